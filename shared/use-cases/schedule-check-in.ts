import { followingCheckInDate, nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { Member } from '#shared/domain/partnership.js';
import type { ScheduledStep, SchedulerPort } from '#shared/domain/ports.js';
import * as steps from '#shared/domain/steps.js';
import { localDateTime } from '#shared/domain/trial-plan.js';

/** The step that sends a member's check-in on a given local date. */
export const checkInStep = steps.checkIn;

/** A team member's support board digest on a local date, at the team's board time in their zone. */
export const boardDigestStep = steps.boardDigest;

/** Schedules a member's check-in for a local date, at their local check-in time. */
export async function scheduleCheckIn(
  scheduler: SchedulerPort,
  member: Member,
  localDate: string,
): Promise<ScheduledStep> {
  const step = steps.checkIn(member, localDate);
  await scheduler.schedule(step, {
    localDateTime: localDateTime(localDate, member.checkInTime),
    timezone: member.timezone,
  });
  return step;
}

export async function scheduleBoardDigest(
  scheduler: SchedulerPort,
  member: Member,
  boardTime: string,
  localDate: string,
): Promise<void> {
  await scheduler.schedule(steps.boardDigest(member, boardTime, localDate), {
    localDateTime: localDateTime(localDate, boardTime),
    timezone: member.timezone,
  });
}

/**
 * Deletes the member's next pending check-in (the one scheduled at their current time). Here rather
 * than in converse/, so consent (and enrollment with it) does not carry the reply grammar.
 */
export async function cancelPendingCheckIn(ctx: {
  deps: { scheduler: SchedulerPort };
  member: Member;
  now: Date;
}) {
  const date = nextCheckInDate(ctx.member, ctx.now);
  // Two independent deletes: together, one round trip.
  await Promise.all([
    ctx.deps.scheduler.cancel(steps.checkInScheduleName(ctx.member, date)),
    ctx.deps.scheduler.cancel(steps.checkInScheduleName(ctx.member, followingCheckInDate(ctx.member, date))),
  ]);
}
