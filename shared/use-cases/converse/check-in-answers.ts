/** Answers to the day's check-in: on track, not today, grace, a mood, and the reflection days' words. */
import { graceMonth } from '#shared/domain/grace-ledger.js';
import { isTeam } from '#shared/domain/team.js';
import { trialPlan } from '#shared/domain/trial-plan.js';
import {
  answerCheckIn,
  currentCheckIn,
  type IntentHandler,
  latestCheckInDay,
  newsToOthers,
  record,
  say,
  type TurnContext,
} from './context.js';

export const onTrack: IntentHandler<'on_track'> = async (ctx) => {
  const checkIn = await currentCheckIn(ctx);
  const answers = checkIn?.status === 'sent';
  if (answers) await answerCheckIn(ctx, checkIn.localDate, 'on_track');
  // A pair hears "Ada checked in" in the next check-in; a team never hears who is on track.
  await record(ctx, 'on_track', undefined, isTeam(ctx.members) ? [] : newsToOthers(ctx, 'on_track'));
  return { ...say(ctx, 'onTrack'), marked: true, ...(answers ? { answeredAs: 'on_track' as const } : {}) };
};

export const notToday: IntentHandler<'not_today'> = async (ctx) => {
  await record(ctx, 'not_today');
  return say(ctx, 'notToday');
};

export const grace: IntentHandler<'grace'> = async (ctx) => {
  const left = await ctx.deps.store.spendGraceToken(
    ctx.member.partnershipId,
    ctx.member.id,
    graceMonth(ctx.now, ctx.member.timezone),
    ctx.partnership.graceTokensPerMonth,
  );
  if (left === undefined) return say(ctx, 'graceNoneLeft');
  const checkIn = await currentCheckIn(ctx);
  const answers = checkIn !== undefined && checkIn.status !== 'grace';
  if (answers) await answerCheckIn(ctx, checkIn.localDate, 'grace');
  await record(ctx, 'grace', { left }, newsToOthers(ctx, 'grace'));
  return {
    ...say(ctx, 'graceSpent', { left }),
    marked: true,
    ...(answers ? { answeredAs: 'grace' as const } : {}),
  };
};

export const mood: IntentHandler<'mood'> = async (ctx, { score }) => {
  // Day 7 asks how supported (1, pressured, to 5) the member feels: a number then answers that.
  if ((await latestCheckInDay(ctx)) === 7) {
    await record(ctx, 'support_score', { score });
    return say(ctx, 'supportScore', { mood: score });
  }
  const checkIn = await ctx.latestCheckIn();
  if (checkIn)
    await ctx.deps.store.setCheckInMood(ctx.partnership.id, ctx.member.id, checkIn.localDate, score);
  await record(ctx, 'mood', { score });
  return say(ctx, 'mood', { mood: score });
};

/** Words that answer the Day 3 or Day 7 question are kept as they were written, for the Day-14 summary. */
const REFLECTION_MIN_WORDS = 4;

/** Keeps the member's words when they answer a reflection day's question; whether they did. */
export async function reflect(ctx: TurnContext, text: string, understood: boolean): Promise<boolean> {
  const day = await latestCheckInDay(ctx);
  if (!trialPlan.reflectionDays.includes(day as 3 | 7)) return false;
  if (understood && text.trim().split(/\s+/).length < REFLECTION_MIN_WORDS) return false;
  await record(ctx, 'reflection', { day, text: text.trim().slice(0, 500) });
  return true;
}

/** Any reply to a check-in marks it answered, unless it was marked on track or grace already. */
export async function markAnswered(ctx: TurnContext): Promise<void> {
  if (ctx.marked || ctx.member.status !== 'active') return;
  const checkIn = await currentCheckIn(ctx);
  if (checkIn?.status !== 'sent') return;
  await answerCheckIn(ctx, checkIn.localDate, 'answered');
}
