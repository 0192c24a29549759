import { renderSms } from '../../templates/sms.js';
import type { Clock } from '../domain/clock.js';
import type { ScheduledStep, SchedulerPort, SmsPort, StorePort } from '../domain/ports.js';
import { nextLocalDate } from '../domain/trial-plan.js';
import { scheduleCheckIn } from './schedule-check-in.js';

export interface DispatchDeps {
  store: StorePort;
  sms: SmsPort;
  scheduler: SchedulerPort;
  clock: Clock;
}

export type DispatchOutcome = 'sent' | 'duplicate' | 'skipped';

/** Long enough for one send and one schedule; after it a redelivery may take the step over. */
const CLAIM_LEASE_SECONDS = 120;

/** The idempotency key of a step: schedule name and scheduled time, never the execution id. */
export function stepIdempotencyKey(step: ScheduledStep): string {
  return `step#${step.scheduleName}@${step.scheduledTime}`;
}

/**
 * Run a due step.
 * Primary course: claim the step's key → record the check-in → text the member → schedule the
 * next day's check-in → mark the step done. A failure releases the claim and is rethrown so the
 * platform retries (and finally dead-letters) the delivery.
 */
export async function dispatchScheduledStep(
  deps: DispatchDeps,
  step: ScheduledStep,
): Promise<DispatchOutcome> {
  const now = deps.clock.now();
  const key = stepIdempotencyKey(step);
  if ((await deps.store.claim(key, now, CLAIM_LEASE_SECONDS)) !== 'claimed') return 'duplicate';
  try {
    const found = await deps.store.getPartnership(step.partnershipId);
    const member = found?.members.find((candidate) => candidate.id === step.memberId);
    if (member?.status !== 'active') {
      // Opted out or paused: nothing is sent and the chain stops until they come back.
      await deps.store.completeClaim(key, now);
      return 'skipped';
    }
    await deps.store.recordCheckInSent({
      partnershipId: member.partnershipId,
      memberId: member.id,
      localDate: step.localDate,
      status: 'sent',
      sentAt: now.toISOString(),
    });
    await deps.sms.send({
      to: member.phone,
      body: renderSms('checkIn', { name: member.name, goal: member.goal }),
    });
    await deps.store.notePrompted(member, now);
    await scheduleCheckIn(deps.scheduler, member, nextLocalDate(step.localDate));
    await deps.store.completeClaim(key, now);
    return 'sent';
  } catch (error) {
    await deps.store.releaseClaim(key);
    throw error;
  }
}
