/** A break from check-ins (PAUSE, PAUSE n) and the way back (RESUME). */
import { plusDays } from '#shared/domain/calendar.js';
import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import * as steps from '#shared/domain/steps.js';
import { dayLabel, nextCheckInLabel } from '#templates/labels.js';
import { cancelPendingCheckIn, scheduleCheckIn } from '../schedule-check-in.js';
import { type IntentHandler, record, say, today } from './context.js';
import { decide } from './decisions.js';

/** The longest pause a member can ask for, in days. */
export const MAX_PAUSE_DAYS = 7;
export const DEFAULT_PAUSE_DAYS = 2;

export const pause: IntentHandler<'pause'> = async (ctx, { days: requested }) => {
  // At the Day-14 review, PAUSE is that choice: a pause until RESUME.
  if (ctx.member.pendingDecision && requested === undefined) return decide(ctx, 'pause');
  const days = Math.min(Math.max(requested ?? DEFAULT_PAUSE_DAYS, 1), MAX_PAUSE_DAYS);
  const until = plusDays(today(ctx), days) ?? today(ctx);
  await ctx.deps.store.pauseMember(ctx.partnership.id, ctx.member.id, until, ctx.now);
  await cancelPendingCheckIn(ctx);
  await ctx.deps.scheduler.schedule(steps.resume(ctx.member, until), {
    localDateTime: `${until}T${ctx.member.checkInTime}:00`,
    timezone: ctx.member.timezone,
  });
  await record(ctx, 'pause', { days, until });
  return say(ctx, days === 1 ? 'pausedOneDay' : 'paused', { days, date: dayLabel(until) });
};

export const resume: IntentHandler<'resume'> = async (ctx) => {
  if (!(await ctx.deps.store.resumeMember(ctx.partnership.id, ctx.member.id, ctx.now)))
    return say(ctx, 'notPaused');
  const active = { ...ctx.member, status: 'active' as const };
  if (ctx.partnership.startedAt)
    await scheduleCheckIn(ctx.deps.scheduler, active, nextCheckInDate(active, ctx.now));
  await record(ctx, 'resume');
  return say(ctx, 'welcomeBack', { next: nextCheckInLabel(active, ctx.now) });
};
