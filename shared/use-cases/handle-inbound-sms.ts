import { renderSms } from '../../templates/sms.js';
import type { Clock } from '../domain/clock.js';
import { parseReply } from '../domain/conversation/grammar.js';
import type { Member } from '../domain/partnership.js';
import type { InboundRecord, SchedulerPort, StorePort } from '../domain/ports.js';
import { cleanMessage } from '../domain/text-hygiene.js';
import { cancelPendingCheckIn, converse } from './converse.js';
import { notifyMember } from './notify.js';
import { receiveOnce } from './run-once.js';
import { nextCheckInDate, scheduleCheckIn } from './schedule-check-in.js';

export interface InboundDeps {
  store: StorePort;
  scheduler: SchedulerPort;
  clock: Clock;
}

export interface InboundOutcome {
  /** The texts to answer with (as TwiML); none for duplicates and for people who opted out. */
  replies: string[];
  intents: string[];
  memberId?: string;
}

/** How long one delivery may hold a message before a redelivery may take it over. */
const CLAIM_LEASE_SECONDS = 60;

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
      const result = await interpret(deps, message, now);
      await deps.store.completeInbound(message.messageSid, {
        intent: result.intents.join(','),
        ...(result.replies.length ? { reply: result.replies.join('\n') } : {}),
        ...(result.memberId ? { memberId: result.memberId } : {}),
      });
      return result;
    },
  );
  return outcome ?? { replies: [], intents: ['duplicate'] };
}

async function interpret(
  deps: InboundDeps,
  message: Omit<InboundRecord, 'receivedAt'>,
  now: Date,
): Promise<InboundOutcome> {
  // The raw form is stored as received; what is read and kept from it is cleaned text.
  const body = cleanMessage(message.body);
  const { intents } = parseReply(body);
  const kinds = intents.length ? intents.map((intent) => intent.kind) : ['unknown'];
  const memberships = await deps.store.findMembershipsByPhone(message.from);
  const latest = memberships[0];
  if (!latest) return { intents: ['unknown_sender'], replies: [renderSms('unknownNumber')] };

  if (kinds.includes('stop')) {
    const changed = await optOutEverywhere(deps, memberships, message.messageSid, now);
    return { intents: ['stop'], memberId: latest.memberId, replies: changed ? [renderSms('stopped')] : [] };
  }

  const found = await deps.store.getPartnership(latest.partnershipId);
  const member = found?.members.find((candidate) => candidate.id === latest.memberId);
  if (!found || !member) return { intents: ['unknown_sender'], replies: [renderSms('unknownNumber')] };

  if (kinds.includes('start') && member.status === 'opted_out') {
    for (const membership of memberships) {
      await deps.store.setMemberStatus(membership.partnershipId, membership.memberId, 'active', now);
    }
    const back: Member = { ...member, status: 'active' };
    if (found.partnership.startedAt) await scheduleCheckIn(deps.scheduler, back, nextCheckInDate(back, now));
    return {
      intents: ['start'],
      memberId: member.id,
      replies: [renderSms('restarted', { name: member.name })],
    };
  }
  // After an opt-out we stay silent until START (carriers and Twilio expect the same).
  if (member.status === 'opted_out') return { intents: kinds, memberId: member.id, replies: [] };

  const turn = await converse(
    deps,
    {
      partnership: found.partnership,
      members: found.members,
      member,
      now,
      cause: message.messageSid,
      text: body,
    },
    intents,
  );
  return { intents: kinds, memberId: member.id, replies: turn.replies };
}

/**
 * An opt-out covers every partnership a phone number belongs to; partners hear it kindly. Returns
 * false when there was nothing left to change (STOP from someone already opted out everywhere), so the
 * opt-out is confirmed once.
 */
export async function optOutEverywhere(
  deps: InboundDeps,
  memberships: Array<{ partnershipId: string; memberId: string }>,
  cause: string,
  now: Date,
): Promise<boolean> {
  let changed = false;
  for (const membership of memberships) {
    const found = await deps.store.getPartnership(membership.partnershipId);
    const leaving = found?.members.find((each) => each.id === membership.memberId);
    if (leaving?.status === 'opted_out') continue;
    changed = true;
    await deps.store.setMemberStatus(membership.partnershipId, membership.memberId, 'opted_out', now);
    await deps.store.recordEvent(membership.partnershipId, {
      memberId: membership.memberId,
      kind: 'opted_out',
      at: now.toISOString(),
    });
    if (leaving) await cancelPendingCheckIn({ deps, member: leaving, now });
    for (const partner of found?.members ?? []) {
      if (!leaving || partner.id === leaving.id || partner.status === 'opted_out') continue;
      await notifyMember(deps, partner, 'partnerStepped', { partner: leaving.name }, cause, now);
    }
  }
  return changed;
}
