/** The Day-14 review's choice (CONTINUE, TWEAK, PAUSE) and the tweaks that change a member's plan. */
import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { TweakChange } from '#shared/domain/conversation/types.js';
import { DEFAULT_QUIET_HOURS, isQuietTime } from '#shared/domain/quiet-hours.js';
import * as steps from '#shared/domain/steps.js';
import { CHOICE_WORDS, type Choice, checkInLabel, nextCheckInLabel } from '#templates/labels.js';
import { scheduleAtInstant } from '../notify.js';
import { cancelPendingCheckIn, scheduleCheckIn } from '../schedule-check-in.js';
import type { IntentHandler, Said, TurnContext } from './context.js';
import { newsToOthers, record, say, today } from './context.js';

/** The answer to a review: each member's own choice is followed, and the others hear it kindly. */
export async function decide(ctx: TurnContext, choice: Choice): Promise<Said> {
  // Chosen already: confirmed once, heard by the others once. TWEAK still says how to change things.
  if (!ctx.member.pendingDecision && choice !== 'pause')
    return say(ctx, choice === 'tweak' ? 'decidedTweak' : 'decisionStands');
  await ctx.deps.store.updateMember(ctx.partnership.id, ctx.member.id, { pendingDecision: false });
  // The others hear each choice once, inside their next check-in, and are never asked to choose by it.
  await record(ctx, 'decision', { choice }, newsToOthers(ctx, 'decision', CHOICE_WORDS[choice]));
  // The confirmation email goes from the dispatcher, right away (a step due now): no SES client here.
  await scheduleAtInstant(ctx.deps.scheduler, steps.decisionEmail(ctx.member, choice, ctx.cause, ctx.now));
  if (choice === 'pause') {
    // Until RESUME: every record is kept; the pending check-in is deleted.
    await ctx.deps.store.pauseMember(ctx.partnership.id, ctx.member.id, undefined, ctx.now);
    await cancelPendingCheckIn(ctx);
    return say(ctx, 'decidedPause');
  }
  return say(ctx, choice === 'continue' ? 'decidedContinue' : 'decidedTweak');
}

export const decision: IntentHandler<'decision'> = (ctx, { choice }) => decide(ctx, choice);

/** A change that is kept: recorded for the history the charter is written from, which is then sent again. */
async function tweaked(ctx: TurnContext, data: Record<string, unknown>, answer: Said): Promise<Said> {
  await record(ctx, 'tweak', data);
  return { ...answer, charterChanged: true };
}

async function changeTime(ctx: TurnContext, time: string): Promise<Said> {
  const quiet = ctx.member.quietHours ?? DEFAULT_QUIET_HOURS;
  if (isQuietTime(time, quiet)) return say(ctx, 'tweakQuiet', { time, ...quiet });
  await ctx.deps.store.updateMember(ctx.partnership.id, ctx.member.id, { checkInTime: time });
  await cancelPendingCheckIn(ctx);
  const moved = { ...ctx.member, checkInTime: time };
  let scheduledFor: string | undefined;
  if (ctx.partnership.startedAt && moved.status === 'active') {
    // The old time's schedule becomes stale (its name carries the time) and sends nothing.
    // One check-in a day: if today's went out at the old time, the new time starts tomorrow.
    const latest = await ctx.latestCheckIn();
    scheduledFor = nextCheckInDate(moved, ctx.now, { notToday: latest?.localDate === today(ctx) });
    await scheduleCheckIn(ctx.deps.scheduler, moved, scheduledFor);
  }
  const next = scheduledFor ? checkInLabel(moved, scheduledFor) : nextCheckInLabel(moved, ctx.now);
  return tweaked(ctx, { time }, say(ctx, 'tweakTime', { time, next }));
}

/** A TWEAK: changed at once, confirmed back, and kept in the history the charter is written from. */
export const tweak: IntentHandler<'tweak'> = async (ctx, { change }: { change: TweakChange }) => {
  const { store } = ctx.deps;
  const { partnership, member } = ctx;
  if (change.kind === 'time') return changeTime(ctx, change.time);
  if (change.kind === 'weekdays' || change.kind === 'daily') {
    await store.updateMember(partnership.id, member.id, { cadence: change.kind });
    return tweaked(
      ctx,
      { cadence: change.kind },
      say(ctx, change.kind === 'weekdays' ? 'tweakWeekdays' : 'tweakDaily'),
    );
  }
  if (change.kind === 'quiet') {
    const hours = { start: change.start, end: change.end };
    if (isQuietTime(member.checkInTime, hours)) return say(ctx, 'quietClash', { time: member.checkInTime });
    await store.updateMember(partnership.id, member.id, { quietHours: hours });
    return tweaked(ctx, { quietHours: hours }, say(ctx, 'quietSet', hours));
  }
  await store.updateMember(partnership.id, member.id, { goal: change.text });
  return tweaked(ctx, { goal: change.text }, say(ctx, 'tweakGoal', { goal: change.text }));
};

/** The charter changed: the dispatcher emails it again, right away (a step due now). */
export async function resendCharter(ctx: TurnContext): Promise<void> {
  await scheduleAtInstant(ctx.deps.scheduler, steps.charter(ctx.member, ctx.cause, ctx.now));
}
