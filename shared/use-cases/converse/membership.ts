/** Being in a partnership: joining it, asking where one stands (STATUS, HELP), and words handled elsewhere. */
import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { Intent } from '#shared/domain/conversation/types.js';
import { graceMonth, graceTokensLeft } from '#shared/domain/grace-ledger.js';
import { everyoneHasJoined } from '#shared/domain/partnership.js';
import { localDateOf, trialDay, trialPlan } from '#shared/domain/trial-plan.js';
import { nextCheckInLabel } from '#templates/labels.js';
import { scheduleBoardDigest, scheduleCheckIn } from '../schedule-check-in.js';
import {
  type IntentHandler,
  newsToOthers,
  nothing,
  record,
  type Said,
  say,
  type TurnContext,
  today,
} from './context.js';

/** What an invitee without a word for the organiser is told to do. */
const ASK_THE_INVITER = 'Ask whoever invited you.';

export const status: IntentHandler<'status'> = async (ctx) => {
  const { partnership, member } = ctx;
  const spent = await ctx.deps.store.graceSpent(
    partnership.id,
    member.id,
    graceMonth(ctx.now, member.timezone),
  );
  const started = partnership.startedAt
    ? localDateOf(new Date(partnership.startedAt), member.timezone)
    : undefined;
  const day = started ? Math.max(0, trialDay(started, today(ctx))) : 0;
  return say(ctx, 'status', {
    left: graceTokensLeft(partnership.graceTokensPerMonth, spent),
    day: Math.min(day, trialPlan.lengthDays),
    next: nextCheckInLabel(member, ctx.now),
  });
};

export const help: IntentHandler<'help'> = async (ctx) =>
  say(ctx, 'help', { organiser: ctx.partnership.organiser ?? ASK_THE_INVITER });

/** START from someone who never stopped: there is nothing to restart (STOP and START are read before). */
export const start: IntentHandler<'start'> = async (ctx) => say(ctx, 'notPaused');

/** Already in: nothing to join (an invitation elsewhere is routed to before converse). */
export const join: IntentHandler<'join'> = async (ctx) => say(ctx, 'clarify');

/** Handled before a conversation starts: it covers every partnership of the number. */
export const stop: IntentHandler<'stop'> = async () => nothing;

/** A YES to the invitation: the member joins; the last one to join starts everyone's check-ins. */
async function joinInvitation(ctx: TurnContext): Promise<Said> {
  await ctx.deps.store.setMemberStatus(ctx.partnership.id, ctx.member.id, 'active', ctx.now);
  const after = ctx.members.map((each) =>
    each.id === ctx.member.id ? { ...each, status: 'active' as const } : each,
  );
  if (!everyoneHasJoined(after)) return say(ctx, 'joinedWaiting');
  // Conditional: of two last members joining at once, exactly one starts the partnership.
  if (await ctx.deps.store.markPartnershipStarted(ctx.partnership.id, ctx.now)) {
    // Those who joined earlier hear that everyone is in, inside their Day-1 check-in.
    await record(ctx, 'started', undefined, newsToOthers(ctx, 'started'));
    for (const each of after) {
      const first = nextCheckInDate(each, ctx.now, { notToday: true });
      await scheduleCheckIn(ctx.deps.scheduler, each, first);
      // A team's support board is delivered daily from Day 1, at the team's board time.
      if (ctx.partnership.boardTime)
        await scheduleBoardDigest(ctx.deps.scheduler, each, ctx.partnership.boardTime, first);
    }
  }
  return say(ctx, 'joined');
}

/** An invited member's reply: a yes joins, HELP is answered, anything else is a kind reminder. */
export async function answerInvitee(ctx: TurnContext, intents: readonly Intent[]): Promise<Said> {
  if (intents.some((intent) => ['on_track', 'accept', 'join'].includes(intent.kind)))
    return joinInvitation(ctx);
  if (intents.some((intent) => intent.kind === 'help'))
    return say(ctx, 'help', { organiser: ASK_THE_INVITER });
  return say(ctx, 'invitationReminder');
}
