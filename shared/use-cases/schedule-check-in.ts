import { isoWeekday } from '#shared/domain/calendar.js';
import type { Member } from '#shared/domain/partnership.js';
import type { ScheduledStep, SchedulerPort } from '#shared/domain/ports.js';
import { localDateOf, localDateTime, nextLocalDate, wallClockInstant } from '#shared/domain/trial-plan.js';

/**
 * The deterministic schedule name of a member's check-in on a local date (≤ 64 characters). The time
 * is part of it, so a TIME change makes a new schedule; the old one, if it still fires, is stale.
 */
export function checkInScheduleName(
  member: Pick<Member, 'partnershipId' | 'id' | 'checkInTime'>,
  localDate: string,
): string {
  return `ci-${member.partnershipId}-${member.id}-${localDate.replaceAll('-', '')}-${member.checkInTime.replace(':', '')}`;
}

/** Whether the member's cadence has a check-in on a local date (weekdays: Monday to Friday). */
export function isCheckInDay(member: Pick<Member, 'cadence'>, localDate: string): boolean {
  return member.cadence !== 'weekdays' || isoWeekday(localDate) <= 5;
}

/** The next local date after `localDate` with a check-in in the member's cadence. */
export function followingCheckInDate(member: Pick<Member, 'cadence'>, localDate: string): string {
  let date = nextLocalDate(localDate);
  while (!isCheckInDay(member, date)) date = nextLocalDate(date);
  return date;
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
  const todayStillAhead = wallClockInstant(today, member.checkInTime, member.timezone) > now;
  if (!notToday && todayStillAhead && isCheckInDay(member, today)) return today;
  return followingCheckInDate(member, today);
}

/** A team member's support board digest on a local date, at the team's board time in their zone. */
export function boardDigestStep(member: Member, boardTime: string, localDate: string): ScheduledStep {
  return {
    version: 1,
    kind: 'board_digest',
    partnershipId: member.partnershipId,
    memberId: member.id,
    localDate,
    scheduleName: `bd-${member.partnershipId}-${member.id}-${localDate.replaceAll('-', '')}`,
    scheduledTime: wallClockInstant(localDate, boardTime, member.timezone).toISOString(),
  };
}

export async function scheduleBoardDigest(
  scheduler: SchedulerPort,
  member: Member,
  boardTime: string,
  localDate: string,
): Promise<void> {
  await scheduler.schedule(boardDigestStep(member, boardTime, localDate), {
    localDateTime: localDateTime(localDate, boardTime),
    timezone: member.timezone,
  });
}

/**
 * Deletes the member's next pending check-in (the one scheduled at their current time). Here rather
 * than in converse.ts, so consent (and enrollment with it) does not carry the reply grammar.
 */
export async function cancelPendingCheckIn(ctx: {
  deps: { scheduler: SchedulerPort };
  member: Member;
  now: Date;
}) {
  const date = nextCheckInDate(ctx.member, ctx.now);
  await ctx.deps.scheduler.cancel(checkInScheduleName(ctx.member, date));
  await ctx.deps.scheduler.cancel(checkInScheduleName(ctx.member, followingCheckInDate(ctx.member, date)));
}
