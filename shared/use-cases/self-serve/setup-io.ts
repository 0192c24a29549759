/** What every part of a setup reads and writes with: the setup item, its timers, and the texts. */
import type { Clock } from '#shared/domain/clock.js';
import { RecipientUnsubscribedError } from '#shared/domain/errors.js';
import { limits } from '#shared/domain/limits.js';
import type {
  ClaimStorePort,
  HistoryStorePort,
  PartnershipStorePort,
  PersonStorePort,
  QuotaStorePort,
  SchedulerPort,
  SetupStorePort,
  SmsPort,
} from '#shared/domain/ports.js';
import { type Setup, setupSchema } from '#shared/domain/self-serve/setup.js';
import * as steps from '#shared/domain/steps.js';
import { isSuppressed } from '#shared/use-cases/consent.js';
import { scheduleAtInstant } from '#shared/use-cases/notify.js';
import { takeFromDailyBudget } from '#shared/use-cases/safety-valves.js';
import { renderSetupSms } from '#templates/setup-sms.js';
import type { Say } from './dialog.js';

/** How many milliseconds a day has. */
export const DAY_MS = 86_400_000;

export type SetupOutcome =
  | 'started'
  | 'answered'
  | 'repeated'
  | 'off'
  | 'opted_out'
  | 'nudged'
  | 'dropped'
  | 'stale'
  | 'duplicate';

export interface SetupDeps {
  /** What a setup reads and writes beside its own item: consent, claims, allowances, the trial it starts. */
  store: PartnershipStorePort &
    HistoryStorePort &
    ClaimStorePort &
    QuotaStorePort &
    Pick<PersonStorePort, 'getPerson'>;
  setups: SetupStorePort;
  scheduler: SchedulerPort;
  sms: SmsPort;
  clock: Clock;
  /** ISO countries we text (as enrollment); undefined: every country. */
  smsCountries?: readonly string[];
  /** false: self-serve is off for this stage; a stranger gets one polite line and nothing else. */
  selfServe: boolean;
}

export async function loadSetup(deps: SetupDeps, phone: string): Promise<Setup | undefined> {
  const stored = await deps.setups.getSetup(phone);
  return stored === undefined ? undefined : setupSchema.parse(stored);
}

/** A write that lost a race with another text: the step is delivered again and read afresh. */
export class SetupChangedError extends Error {
  constructor() {
    super('The setup changed while this text was read; retry');
    this.name = 'SetupChangedError';
  }
}

/** Writes the setup one revision on, and (re)arms its 24-hour nudge and 7-day drop. */
export async function save(deps: SetupDeps, setup: Setup, lastSid: string | undefined): Promise<Setup> {
  const now = deps.clock.now();
  // Revision 0 is a setup never written: it may only be created, never written over another.
  const expected = setup.revision === 0 ? undefined : setup.revision;
  const next: Setup = {
    ...setup,
    revision: setup.revision + 1,
    updatedAt: now.toISOString(),
    ...(lastSid ? { lastSid } : {}),
  };
  if (!(await deps.setups.putSetup(next, expected))) throw new SetupChangedError();
  await armTimers(deps, next);
  return next;
}

/** The nudge after a day and the drop after a week, both for this revision only (an answer re-arms them). */
export async function armTimers(deps: SetupDeps, setup: Setup) {
  const now = deps.clock.now().getTime();
  const before = steps.setupTimerNames(setup.phone, setup.revision - 1);
  await deps.scheduler.cancel(before.nudge);
  await deps.scheduler.cancel(before.drop);
  if (setup.step !== 'waiting' && setup.step !== 'invited')
    await scheduleAtInstant(
      deps.scheduler,
      steps.setupNudge(setup.phone, setup.revision, new Date(now + limits.setupNudgeHours * 3_600_000)),
    );
  if (setup.step !== 'waiting')
    await scheduleAtInstant(
      deps.scheduler,
      steps.setupDrop(setup.phone, setup.revision, new Date(now + limits.setupDropDays * DAY_MS)),
    );
}

/** Texts a person in a setup (they just texted us, or are invited), within the day's send budget. */
export async function text(deps: SetupDeps, phone: string, says: Say[]): Promise<void> {
  for (const each of says) {
    if (await isSuppressed(deps.store, 'sms', phone)) return;
    if (!(await takeFromDailyBudget(deps.store, deps.clock.now()))) return;
    try {
      await deps.sms.send({ to: phone, body: renderSetupSms(each.template, each.values) });
    } catch (error) {
      if (error instanceof RecipientUnsubscribedError) return;
      throw error;
    }
  }
}
