import type { Member } from '#shared/domain/partnership.js';
import type {
  ConversationStorePort,
  ScheduledStep,
  SchedulerPort,
  SetupStepPayload,
} from '#shared/domain/ports.js';
import { outsideQuietHours } from '#shared/domain/quiet-hours.js';
import * as steps from '#shared/domain/steps.js';
import type { SmsTemplate } from '#templates/sms.js';

/** Partner news to one member is spaced at least this far apart. */
export const NEWS_SPACING_MINUTES = 60;

export interface NotifyDeps {
  store: ConversationStorePort;
  scheduler: SchedulerPort;
}

/**
 * Texts a member as soon as kindness allows: now, or when their quiet hours end, and never within
 * an hour of the last partner news to them. `cause` (e.g. the inbound MessageSid) makes the
 * schedule name deterministic, so a redelivered message schedules the same text, once.
 */
export async function notifyMember(
  deps: NotifyDeps,
  recipient: Member,
  template: SmsTemplate,
  values: Record<string, string | number>,
  cause: string,
  now: Date,
): Promise<Date> {
  // The hour between partner texts can push a slot into quiet hours: then the slot moves to their end.
  let at = outsideQuietHours(now, recipient.timezone, recipient.quietHours);
  for (let attempt = 0; attempt < 3; attempt++) {
    at = await deps.store.reserveNewsSlot(recipient.partnershipId, recipient.id, at, NEWS_SPACING_MINUTES);
    const allowed = outsideQuietHours(at, recipient.timezone, recipient.quietHours);
    if (allowed.getTime() === at.getTime()) break;
    at = allowed;
  }
  await scheduleAtInstant(deps.scheduler, steps.notify(recipient, template, values, cause, at));
  return at;
}

/** Schedules a step at the instant it names (its scheduledTime, in UTC), whatever the member's zone. */
export function scheduleAtInstant(
  scheduler: SchedulerPort,
  step: ScheduledStep | SetupStepPayload,
): Promise<void> {
  return scheduler.schedule(step, { localDateTime: step.scheduledTime.slice(0, 19), timezone: 'UTC' });
}
