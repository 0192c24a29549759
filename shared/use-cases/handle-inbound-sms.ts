import type { Clock } from '#shared/domain/clock.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import { ConcurrentChangeError } from '#shared/domain/errors.js';
import type { InboundRecord, SchedulerPort, StorePort } from '#shared/domain/ports.js';
import { joinReplies } from '#shared/domain/replies.js';
import * as steps from '#shared/domain/steps.js';
import { cleanMessage } from '#shared/domain/text-hygiene.js';
import { renderSms } from '#templates/sms.js';
import { isSuppressed, optOutMemberships, optOutPhone, restorePhone } from './consent.js';
import { converse } from './converse/index.js';
import { scheduleAtInstant } from './notify.js';
import { routeReply } from './route-reply.js';
import { receiveOnce } from './run-once.js';

export interface InboundDeps {
  store: StorePort;
  scheduler: SchedulerPort;
  clock: Clock;
  /**
   * The store for one message's turn, when the adapter can hold a reply's writes until its completion
   * and write them together (one transaction); without it every write goes straight to the store. A
   * turn whose reads changed before it was written throws ConcurrentChangeError and is computed again.
   */
  turn?: (messageSid: string, attempt: number, now: Date) => StorePort;
}

/** What a text changed: the texts to answer with (as TwiML), none for people who opted out. */
export interface InboundReply {
  replies: string[];
  intents: string[];
  memberId?: string;
  /** What the reply changed that is counted: a phone opted out, a grace token spent. */
  effects?: ReplyEffect[];
}

export type ReplyEffect = 'opted_out' | 'grace_spent';

/** A text handled once; the same MessageSid delivered again changes nothing and is answered with nothing. */
export type InboundOutcome = ({ result: 'handled' } & InboundReply) | { result: 'duplicate'; replies: [] };

/** How long one delivery may hold a message before a redelivery may take it over. */
const CLAIM_LEASE_SECONDS = 60;
/** How often a turn is computed again when what it read changed meanwhile (texts at the same moment). */
const MAX_TURN_ATTEMPTS = 5;

/**
 * Handle a text from a member.
 * Primary course: keep the raw message and claim its MessageSid in one write (Twilio may deliver twice)
 * → find the member by phone (the partnership that prompted last) → understand every intent → change
 * state → answer kindly.
 */
export async function handleInboundSms(
  deps: InboundDeps,
  message: Omit<InboundRecord, 'receivedAt'>,
): Promise<InboundOutcome> {
  const now = deps.clock.now();
  const outcome = await receiveOnce(
    deps.store,
    { ...message, receivedAt: now.toISOString() },
    { now, leaseSeconds: CLAIM_LEASE_SECONDS },
    async () => {
      for (let attempt = 0; ; attempt++) {
        const store = deps.turn?.(message.messageSid, attempt, now) ?? deps.store;
        try {
          const result = await interpret({ ...deps, store }, message, now);
          await store.completeInbound(message.messageSid, {
            intent: result.intents.join(','),
            ...(result.replies.length ? { reply: joinReplies(result.replies) } : {}),
            ...(result.memberId ? { memberId: result.memberId } : {}),
          });
          return result;
        } catch (error) {
          if (!(error instanceof ConcurrentChangeError) || attempt >= MAX_TURN_ATTEMPTS - 1) throw error;
        }
      }
    },
  );
  return outcome ? { result: 'handled', ...outcome } : { result: 'duplicate', replies: [] };
}

async function interpret(
  deps: InboundDeps,
  message: Omit<InboundRecord, 'receivedAt'>,
  now: Date,
): Promise<InboundReply> {
  // The raw form is stored as received; what is read and kept from it is cleaned text.
  const body = cleanMessage(message.body);
  const { intents, evidence } = parseReply(body);
  const kinds = intents.length ? intents.map((intent) => intent.kind) : ['unknown'];
  const optOutType = message.raw.OptOutType?.toUpperCase();
  // Twilio's Advanced Opt-Out names the keyword it acted on; its word is final, whatever the body says.
  if (kinds.includes('stop') || optOutType === 'STOP') {
    const by = optOutType === 'STOP' ? 'twilio_opt_out' : isStopKeyword(body) ? 'sms_keyword' : 'sms_words';
    const changed = await optOutPhone(deps, message.from, by, message.messageSid, now);
    if (!changed) return { intents: ['stop'], replies: [] };
    return { intents: ['stop'], replies: [renderSms('stopped')], effects: ['opted_out'] };
  }
  if (kinds.includes('start') || optOutType === 'START') {
    const restored = await restorePhone(deps, message.from, now);
    const first = restored[0];
    if (first)
      return {
        intents: ['start'],
        memberId: first.id,
        replies: [renderSms('restarted', { name: first.name })],
      };
  }
  // Which partnership the text answers (route-reply.ts: the open prompt wins, invitations never do).
  const routed = await routeReply(deps.store, message.from, body, intents, now);
  // After an opt-out we stay silent until START (carriers and Twilio expect the same).
  if (routed.kind === 'unknown' && (await isSuppressed(deps.store, 'sms', message.from)))
    return { intents: kinds, replies: [] };
  // A stranger, a number in setup, or a member's NEW: the setup function answers, once per MessageSid
  // (this message's claim), from the send queue (self-serve setup: shared/use-cases/self-serve/).
  if (
    routed.kind === 'unknown' ||
    routed.kind === 'setup' ||
    /^new( partner| trial)?[.!]?$/i.test(body.trim())
  ) {
    await scheduleAtInstant(deps.scheduler, steps.setupText(message.from, message.messageSid, body, now));
    return { intents: ['setup'], replies: [] };
  }
  if (routed.kind === 'silent') return { intents: kinds, memberId: routed.member.id, replies: [] };
  if (routed.kind === 'answered')
    return { intents: ['choose'], memberId: routed.member.id, replies: routed.replies };

  const turn = await converse(
    deps,
    {
      partnership: routed.partnership,
      members: routed.members,
      member: routed.member,
      now,
      cause: message.messageSid,
      text: routed.text,
      // A choice ("2 yes") is read again without its number: its evidence is that reading's.
      evidence: routed.intents === intents ? evidence : parseReply(routed.text).evidence,
    },
    routed.intents,
  );
  const routedKinds = routed.intents.length ? routed.intents.map((intent) => intent.kind) : ['unknown'];
  return {
    intents: routedKinds,
    memberId: routed.member.id,
    replies: [...turn.replies, ...routed.after],
    ...(turn.graceSpent ? { effects: ['grace_spent' as const] } : {}),
  };
}

/**
 * An opt-out covers every partnership a phone number belongs to; partners hear it kindly. Returns
 * false when there was nothing left to change (STOP from someone already opted out everywhere), so the
 * opt-out is confirmed once.
 */
export function optOutEverywhere(
  deps: InboundDeps,
  memberships: Array<{ partnershipId: string; memberId: string }>,
  cause: string,
  now: Date,
): Promise<boolean> {
  return optOutMemberships(deps, memberships, cause, now);
}

/** A bare opt-out keyword (STOP, UNSUBSCRIBE …), as carriers define them, rather than words. */
const isStopKeyword = (body: string) =>
  /^(stop|stopall|unsubscribe|cancel|end|quit|optout|revoke)$/i.test(body.trim().replace(/[.!]+$/, ''));
