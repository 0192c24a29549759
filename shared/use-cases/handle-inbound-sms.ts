import { renderSms, type SmsTemplate } from '../../templates/sms.js';
import type { Clock } from '../domain/clock.js';
import { graceMonth } from '../domain/grace-ledger.js';
import { everyoneHasJoined, type Member } from '../domain/partnership.js';
import type { InboundRecord, SchedulerPort, StorePort } from '../domain/ports.js';
import { parseReply, type ReplyIntent } from '../domain/reply-grammar.js';
import { nextCheckInDate, scheduleCheckIn } from './schedule-check-in.js';

export interface InboundDeps {
  store: StorePort;
  scheduler: SchedulerPort;
  clock: Clock;
}

export interface InboundOutcome {
  /** The text to answer with (as TwiML); none for duplicates and for people who opted out. */
  reply?: string;
  intent: ReplyIntent | 'duplicate' | 'unknown_sender';
  memberId?: string;
}

/** How long one delivery may hold a message before a redelivery may take it over. */
const CLAIM_LEASE_SECONDS = 60;

/**
 * Handle a text from a member.
 * Primary course: keep the raw message → claim its MessageSid (Twilio may deliver twice) → find the
 * member by phone (the partnership prompted last) → understand the reply → change state → answer kindly.
 */
export async function handleInboundSms(
  deps: InboundDeps,
  message: Omit<InboundRecord, 'receivedAt'>,
): Promise<InboundOutcome> {
  const now = deps.clock.now();
  await deps.store.storeInbound({ ...message, receivedAt: now.toISOString() });
  const claimKey = `inbound-sms#${message.messageSid}`;
  if ((await deps.store.claim(claimKey, now, CLAIM_LEASE_SECONDS)) !== 'claimed')
    return { intent: 'duplicate' };
  try {
    const outcome = await interpret(deps, message, now);
    await deps.store.completeInbound(message.messageSid, {
      intent: outcome.intent,
      ...(outcome.reply ? { reply: outcome.reply } : {}),
      ...(outcome.memberId ? { memberId: outcome.memberId } : {}),
    });
    await deps.store.completeClaim(claimKey, now);
    return outcome;
  } catch (error) {
    await deps.store.releaseClaim(claimKey);
    throw error;
  }
}

async function interpret(
  deps: InboundDeps,
  message: Omit<InboundRecord, 'receivedAt'>,
  now: Date,
): Promise<InboundOutcome> {
  const { intent } = parseReply(message.body);
  const memberships = await deps.store.findMembershipsByPhone(message.from);
  const latest = memberships[0];
  if (!latest) return { intent: 'unknown_sender', reply: renderSms('unknownNumber') };

  if (intent === 'stop') {
    // An opt-out covers every partnership this number belongs to.
    for (const membership of memberships) {
      await deps.store.setMemberStatus(membership.partnershipId, membership.memberId, 'opted_out', now);
    }
    return { intent, memberId: latest.memberId, reply: renderSms('stopped') };
  }

  const found = await deps.store.getPartnership(latest.partnershipId);
  const member = found?.members.find((candidate) => candidate.id === latest.memberId);
  if (!found || !member) return { intent: 'unknown_sender', reply: renderSms('unknownNumber') };
  const say = (template: SmsTemplate, values: Record<string, string | number> = {}) => ({
    intent,
    memberId: member.id,
    reply: renderSms(template, { name: member.name, ...values }),
  });

  if (intent === 'start') {
    if (member.status !== 'opted_out') return say('help');
    for (const membership of memberships) {
      await deps.store.setMemberStatus(membership.partnershipId, membership.memberId, 'active', now);
    }
    if (found.partnership.startedAt)
      await scheduleCheckIn(deps.scheduler, member, nextCheckInDate(member, now));
    return say('restarted');
  }
  // After an opt-out we stay silent until START (carriers and Twilio expect the same).
  if (member.status === 'opted_out') return { intent, memberId: member.id };
  if (intent === 'help') return say('help');

  if (member.status === 'invited') {
    if (intent !== 'on_track') return say('invitationReminder');
    return join(deps, found.members, member, now, say);
  }

  if (intent === 'on_track') {
    const checkIn = await deps.store.latestCheckIn(member.partnershipId, member.id);
    if (checkIn?.status === 'sent') {
      await deps.store.answerCheckIn(member.partnershipId, member.id, checkIn.localDate, 'on_track', now);
    }
    return say('onTrack');
  }
  if (intent === 'grace') {
    const left = await deps.store.spendGraceToken(
      member.partnershipId,
      member.id,
      graceMonth(now, member.timezone),
      found.partnership.graceTokensPerMonth,
    );
    if (left === undefined) return say('graceNoneLeft');
    const checkIn = await deps.store.latestCheckIn(member.partnershipId, member.id);
    if (checkIn && checkIn.status !== 'grace') {
      await deps.store.answerCheckIn(member.partnershipId, member.id, checkIn.localDate, 'grace', now);
    }
    return say('graceSpent', { left });
  }
  return say('clarify');
}

/** A YES to the invitation: the member joins; the last one to join starts everyone's check-ins. */
async function join(
  deps: InboundDeps,
  members: Member[],
  member: Member,
  now: Date,
  say: (template: SmsTemplate) => InboundOutcome,
): Promise<InboundOutcome> {
  await deps.store.setMemberStatus(member.partnershipId, member.id, 'active', now);
  const after = members.map((candidate) =>
    candidate.id === member.id ? { ...candidate, status: 'active' as const } : candidate,
  );
  if (!everyoneHasJoined(after)) return say('joinedWaiting');
  // Conditional: of two last members joining at once, exactly one starts the partnership.
  if (await deps.store.markPartnershipStarted(member.partnershipId, now)) {
    for (const each of after) {
      await scheduleCheckIn(deps.scheduler, each, nextCheckInDate(each, now, { notToday: true }));
    }
  }
  return say('joined');
}
