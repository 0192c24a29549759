/**
 * Answer an active or invited member's reply.
 * Primary course: an open question is answered first (a confirmation, then the Day-14 review) → the
 * reflection days keep the member's words → each intent of the text runs through its handler in the
 * table (table.ts), in order; inferred ones that would reach someone or change the plan are asked about
 * first → a reply to a check-in marks it answered → the answers are composed into the turn's texts.
 */
import { plusDays } from '#shared/domain/calendar.js';
import { readReviewAnswer } from '#shared/domain/conversation/grammar.js';
import type { Evidence, Intent } from '#shared/domain/conversation/types.js';
import { messageBudget } from '#shared/domain/message-budget.js';
import type { ConfirmableIntent, Member, Partnership } from '#shared/domain/partnership.js';
import { checkInTemplateFor } from '#shared/domain/trial-plan.js';
import { dayLabel } from '#templates/labels.js';
import { composeAnswers } from '../compose-answers.js';
import { answerConfirmation, askToConfirm, needsConfirmation } from '../confirmations.js';
import { markAnswered, reflect } from './check-in-answers.js';
import {
  both,
  type ConverseDeps,
  latestCheckInDay,
  nothing,
  once,
  type Said,
  say,
  type TurnContext,
  today,
} from './context.js';
import { deadlineMove, resolveDeadlineMove } from './deadlines.js';
import { decide, resendCharter } from './decisions.js';
import { answerInvitee } from './membership.js';
import { MAX_PAUSE_DAYS } from './pause-resume.js';
import { handleIntent, intentHandlers } from './table.js';

export type { ConverseDeps, Said, TurnContext } from './context.js';
export { resolveDeadlineMove } from './deadlines.js';
export { DEFAULT_PAUSE_DAYS, MAX_PAUSE_DAYS } from './pause-resume.js';
export { handleIntent, type IntentHandlers, intentHandlers } from './table.js';

/** What one reply did: the texts to answer with, in order. */
export interface Turn {
  replies: string[];
  /**
   * Whether the answer says something the member must know (grace spent, a choice, a pause, a change,
   * an answer to a question): only then is an emailed reply answered by email (see message-budget).
   */
  mustKnow: boolean;
  /** Whether the turn spent a grace token (the wiring counts it). */
  graceSpent: boolean;
}

/** The replies that answer a check-in (a question, a pause or a resume do not). */
const ANSWERS_CHECK_IN: ReadonlySet<Intent['kind']> = new Set<Intent['kind']>([
  'on_track',
  'accept',
  'not_today',
  'grace',
  'need',
  'offer',
  'on_it',
  'deadline_move',
  'win',
  'mood',
  'decision',
  'tweak',
]);

/**
 * Answer an active or invited member. Every intent in the text is applied in order (a "yes, and I
 * could use help with the intro" is both on track and a need); replies are gathered.
 */
export async function converse(
  deps: ConverseDeps,
  scene: {
    partnership: Partnership;
    members: Member[];
    member: Member;
    now: Date;
    cause: string;
    /** The member's own words, when they wrote some (a reply, not a button). */
    text?: string;
    /** How sure each reading of `intents` is (none: all explicit, as buttons are). */
    evidence?: Evidence[];
  },
  intents: Intent[],
): Promise<Turn> {
  const { text: written, evidence, ...rest } = scene;
  const { store } = deps;
  const ctx: TurnContext = {
    deps,
    ...rest,
    latestCheckIn: once(() => store.latestCheckIn(rest.member.partnershipId, rest.member.id)),
    marked: false,
  };
  if (ctx.member.status === 'invited') return turnOf(ctx, await answerInvitee(ctx, intents));
  // An open question is answered first: a confirmation (SEND / NO), then the review (yes, no, change …).
  const answered = written === undefined ? undefined : await answerConfirmation(store, rest, written);
  if (answered?.kind === 'replied') return { replies: [answered.reply], mustKnow: true, graceSpent: false };
  const confirmed = answered?.kind === 'confirmed' ? answered : undefined;
  const text = confirmed ? undefined : written;
  if (confirmed) intents = [confirmed.intent];
  else if (
    ctx.member.pendingDecision &&
    text !== undefined &&
    // Only the review's own question takes a loose yes as CONTINUE: on later days yes means on track.
    checkInTemplateFor(await latestCheckInDay(ctx)) === 'day14'
  ) {
    const choice = readReviewAnswer(text);
    if (choice) return turnOf(ctx, await decide(ctx, choice));
  }
  const reflected = text !== undefined && (await reflect(ctx, text, intents.length > 0));
  let done: Said = intents.length === 0 ? say(ctx, reflected ? 'reflectionThanks' : 'clarify') : nothing;
  // This turn's doings so far, seen by the next handler (the check-in it answered, whether it marked it).
  const sofar = (): TurnContext => ({
    ...ctx,
    marked: Boolean(done.marked),
    ...(done.answeredAs ? { answeredAs: done.answeredAs } : {}),
  });
  const questions: string[] = [];
  for (const [index, intent] of intents.entries()) {
    if (!confirmed && evidence?.[index] === 'inferred') {
      // Inferred: what would reach someone or change the plan is asked about first (once a turn).
      if (needsConfirmation(intent) && questions.length === 0) {
        const first = await confirmFirst(sofar(), intent);
        if (typeof first === 'string') questions.push(first);
        else done = both(done, first);
      }
      if (needsConfirmation(intent) || intent.kind === 'accept') continue;
    }
    done = both(done, await handleIntent(intentHandlers, sofar(), intent));
  }
  if (reflected || intents.some((intent) => ANSWERS_CHECK_IN.has(intent.kind))) await markAnswered(sofar());
  if (done.charterChanged) await resendCharter(ctx);
  if (confirmed) await confirmed.close();
  if (done.answers.length === 0 && questions.length === 0) done = say(ctx, 'clarify');
  return turnOf(ctx, done, questions);
}

/** The turn's texts: its answers composed, then each question asked before acting, as its own text. */
function turnOf(ctx: TurnContext, done: Said, questions: readonly string[] = []): Turn {
  const emailConfirms: readonly string[] = messageBudget.emailConfirms;
  return {
    replies: [...composeAnswers(done.answers, ctx.member.id, today(ctx)), ...questions],
    mustKnow: questions.length > 0 || done.answers.some((answer) => emailConfirms.includes(answer.template)),
    graceSpent: done.answers.some((answer) => answer.template === 'graceSpent'),
  };
}

/**
 * Asks before acting on an inferred intent: the question to send, or what was done at once instead (a
 * date that answers a partner's proposal answers a deadline question).
 */
async function confirmFirst(ctx: TurnContext, intent: ConfirmableIntent): Promise<string | Said> {
  let date = today(ctx);
  if (intent.kind === 'deadline_move') {
    if (await ctx.deps.store.pendingProposalFor(ctx.partnership.id, ctx.member.id))
      return deadlineMove(ctx, intent);
    date = resolveDeadlineMove(intent.move, today(ctx), ctx.member.deadline);
    if (date < today(ctx)) return nothing;
  }
  if (intent.kind === 'pause' && intent.days !== undefined)
    date = plusDays(today(ctx), Math.min(intent.days, MAX_PAUSE_DAYS)) ?? date;
  return askToConfirm(ctx.deps.store, ctx, intent, dayLabel(date));
}
