import type { Member } from '../domain/partnership.js';
import type { ScheduledStep, SchedulerPort } from '../domain/ports.js';
import { localDateOf, localDateTime, nextLocalDate, wallClockInstant } from '../domain/trial-plan.js';

/** The deterministic schedule name of a member's check-in on a local date (≤ 64 characters). */
export function checkInScheduleName(member: Pick<Member, 'partnershipId' | 'id'>, localDate: string): string {
  return `ci-${member.partnershipId}-${member.id}-${localDate.replaceAll('-', '')}`;
}

/** The step that sends a member's check-in on a given local date. */
export function checkInStep(member: Member, localDate: string): ScheduledStep {
  return {
    version: 1,
    kind: 'check_in',
    partnershipId: member.partnershipId,
    memberId: member.id,
    localDate,
    scheduleName: checkInScheduleName(member, localDate),
    scheduledTime: wallClockInstant(localDate, member.checkInTime, member.timezone).toISOString(),
  };
}

/** Schedules a member's check-in for a local date, at their local check-in time. */
export async function scheduleCheckIn(
  scheduler: SchedulerPort,
  member: Member,
  localDate: string,
): Promise<ScheduledStep> {
  const step = checkInStep(member, localDate);
  await scheduler.schedule(step, {
    localDateTime: localDateTime(localDate, member.checkInTime),
    timezone: member.timezone,
  });
  return step;
}

/** The first check-in date after `now`: today if the member's time is still ahead, else tomorrow. */
export function nextCheckInDate(member: Member, now: Date, { notToday = false } = {}): string {
  const today = localDateOf(now, member.timezone);
  if (notToday) return nextLocalDate(today);
  return wallClockInstant(today, member.checkInTime, member.timezone) > now ? today : nextLocalDate(today);
}
