/**
 * Asking before acting on a reading we inferred (issue 16).
 *
 * Primary course: a reply that merely contains a need, a win, an offer, a date or a break → one short
 * answer quoting what would be sent ("Pass this on to Ben: '…'? Reply SEND or NO.") and the question
 * kept on the member → SEND acts on it as if it had been said explicitly; NO drops it; anything else is
 * read as a new reply and leaves the question open → at the member's next check-in it lapses quietly.
 *
 * Confirmations answer the member's own text (TwiML), so they are never unprompted texts. Only one
 * question is open at a time; a newer one replaces it.
 */

import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import { readConfirmationAnswer, readDaysAnswer } from '#shared/domain/conversation/grammar.js';
import type { Intent } from '#shared/domain/conversation/types.js';
import {
  type ConfirmableIntent,
  type Member,
  type Partnership,
  partnerLabel,
} from '#shared/domain/partnership.js';
import type { ConversationStorePort } from '#shared/domain/ports.js';
import { isTeam } from '#shared/domain/team.js';
import { wallClockInstant } from '#shared/domain/trial-plan.js';
import { excerpt, renderSms, type SmsTemplate } from '#templates/sms.js';
import { type KindTable, runByKind } from './kind-table.js';

/** The longest pause a member is asked about, in days (as PAUSE allows). */
const MAX_DAYS_ANSWER = 7;

export interface ConfirmationScene {
  partnership: Partnership;
  members: Member[];
  member: Member;
  now: Date;
}

/** What a member's text did to their open confirmation question. */
export type ConfirmationAnswer =
  /** Not an answer (or nothing is open): read the text as usual. */
  | { kind: 'none' }
  /** NO, or SEND with nothing open: this is the whole answer. */
  | { kind: 'replied'; reply: string }
  /** SEND (or a number of days): act on `intent` as explicit, then `close` the question. */
  | { kind: 'confirmed'; intent: ConfirmableIntent; close: () => Promise<void> };

/** The question that confirms each kind of inferred intent, quoting what would be sent. */
const QUESTIONS: KindTable<
  ConfirmableIntent,
  undefined,
  { template: SmsTemplate; values?: Record<string, string> }
> = {
  need: (_, intent) => ({ template: 'confirmNeed', values: { need: excerpt(intent.text) } }),
  offer: (_, intent) => ({ template: 'confirmOffer', values: { offer: excerpt(intent.text) } }),
  win: (_, intent) => ({ template: 'confirmWin', values: { win: excerpt(intent.text) } }),
  deadline_move: () => ({ template: 'confirmDeadline' }),
  pause: () => ({ template: 'pauseHowLong' }),
};

/** Intents that reach another person or change the plan: inferred, they are confirmed first. */
export function needsConfirmation(intent: Intent): intent is ConfirmableIntent {
  return Object.hasOwn(QUESTIONS, intent.kind);
}

function openQuestion(member: Member, now: Date) {
  const pending = member.pendingConfirmation;
  return pending && new Date(pending.expiresAt) > now ? pending : undefined;
}

/** Reads a reply as the answer to the member's open confirmation, if it is one. */
export async function answerConfirmation(
  store: ConversationStorePort,
  scene: ConfirmationScene,
  text: string,
): Promise<ConfirmationAnswer> {
  const { member, now } = scene;
  const open = openQuestion(member, now);
  const close = (askedAt: string) => async () => {
    await store.takePendingConfirmation(member.partnershipId, member.id, askedAt);
  };
  const answer = readConfirmationAnswer(text);
  if (open?.intent.kind === 'pause' && open.intent.days === undefined) {
    // The question was "how many days?": a number answers it.
    const days = readDaysAnswer(text);
    if (days !== undefined && days >= 1 && days <= MAX_DAYS_ANSWER) {
      return { kind: 'confirmed', intent: { kind: 'pause', days }, close: close(open.askedAt) };
    }
  } else if (open && answer === 'send') {
    return { kind: 'confirmed', intent: open.intent, close: close(open.askedAt) };
  }
  if (open && answer === 'no') {
    await store.takePendingConfirmation(member.partnershipId, member.id, open.askedAt);
    return { kind: 'replied', reply: renderSms('confirmDeclined', { name: member.name }) };
  }
  if (!open && answer === 'send') {
    return { kind: 'replied', reply: renderSms('confirmNothing', { name: member.name }) };
  }
  return { kind: 'none' };
}

/**
 * Opens a confirmation question for an inferred intent and returns the reply that asks it.
 * `date` is the new deadline a move would propose, as members read it ("Thu 3 Dec").
 */
export async function askToConfirm(
  store: ConversationStorePort,
  scene: ConfirmationScene,
  intent: ConfirmableIntent,
  date: string,
): Promise<string> {
  const { member, members, now } = scene;
  const partner = isTeam(members) ? 'the team' : partnerLabel(members, member);
  const values: Record<string, string | number> = { name: member.name, partner, date };
  // A break with a number: the member's own PAUSE n does it, nothing is kept open.
  if (intent.kind === 'pause' && intent.days !== undefined)
    return renderSms('pauseAsk', { ...values, days: Math.min(intent.days, MAX_DAYS_ANSWER) });
  const question = runByKind(QUESTIONS, undefined, intent);
  const next = nextCheckInDate(member, now);
  await store.setPendingConfirmation(member.partnershipId, member.id, {
    intent,
    askedAt: now.toISOString(),
    expiresAt: wallClockInstant(next, member.checkInTime, member.timezone).toISOString(),
  });
  return renderSms(question.template, { ...values, ...question.values });
}
