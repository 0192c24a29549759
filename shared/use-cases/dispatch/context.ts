import type { Clock } from '#shared/domain/clock.js';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import type {
  ReachabilityPort,
  SchedulerPort,
  SendClaimPort,
  SmsPort,
  StorePort,
} from '#shared/domain/ports.js';
import type { ScheduledStep } from '#shared/domain/scheduled-step.js';
import type { KindTable } from '../kind-table.js';
import type { MemberEmailDeps } from '../member-email.js';

export interface DispatchDeps extends MemberEmailDeps {
  /**
   * The sender's store: it also records whether our channels reach a member (permanent send errors), and
   * claims each message before its provider call (SendClaimPort).
   */
  store: StorePort & ReachabilityPort & SendClaimPort;
  sms: SmsPort;
  scheduler: SchedulerPort;
  clock: Clock;
}

/** `held`: a text others caused, over the person's daily cap (limits.unpromptedTextsPerPersonPerDay). */
export type DispatchOutcome = 'sent' | 'duplicate' | 'skipped' | 'held';

/** What a due step runs with: the ports (each send at most once per step), the partnership as read, the member. */
export interface StepContext {
  readonly deps: DispatchDeps;
  readonly partnership: Partnership;
  readonly members: Member[];
  /** The member the step is for: never one who opted out (those steps are skipped before). */
  readonly member: Member;
  readonly now: Date;
}

/** One runner for every kind of step: a new step does not compile until it has one (steps/index.ts). */
export type StepRunners = KindTable<ScheduledStep, StepContext, Promise<DispatchOutcome>>;

/** Whether an email went, as the step's outcome. */
export const sentIf = (emailed: boolean): DispatchOutcome => (emailed ? 'sent' : 'skipped');
