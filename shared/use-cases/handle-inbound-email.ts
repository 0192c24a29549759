import { plusDays } from '#shared/domain/calendar.js';
import type { Clock } from '#shared/domain/clock.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import { REPLY_ADDRESS_VALID_DAYS } from '#shared/domain/email-actions.js';
import { partnerLabel } from '#shared/domain/partnership.js';
import type { ConversationStorePort, RawMailPort } from '#shared/domain/ports.js';
import type { ReplyParser } from '#shared/domain/reply-parser.js';
import { senderVerdict } from '#shared/domain/sender-authentication.js';
import { parseReplyAddress, type ReplyReference } from '#shared/domain/signed-tokens.js';
import * as steps from '#shared/domain/steps.js';
import { cleanMessage, cleanText } from '#shared/domain/text-hygiene.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import { optOutEmail, optOutPhone } from './consent.js';
import { type ConverseDeps, converse } from './converse/index.js';
import type { EmailSettings } from './member-email.js';
import { scheduleAtInstant } from './notify.js';
import { receiveOnce } from './run-once.js';

export interface InboundEmailDeps extends ConverseDeps {
  emailSettings: EmailSettings;
  store: ConversationStorePort;
  clock: Clock;
  rawMail: RawMailPort;
  /** Reads the MIME and strips our quoted words (the runtime passes the postal-mime adapter). */
  replyParser: ReplyParser;
}

/** SES's verdicts on a received message (the receipt of its Lambda action event). */
export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

/** What SES tells the inbound handler about one received message; the raw message is in S3. */
export interface ReceivedEmail {
  /** SES's message id: the S3 object key, and what a redelivery is recognised by. */
  messageId: string;
  /** Envelope recipients. */
  recipients: string[];
  verdicts: { spf: Verdict; dkim: Verdict; dmarc?: Verdict; spam: Verdict; virus: Verdict };
}

export type RejectReason =
  | 'verdict_failed'
  | 'unauthenticated'
  | 'unparseable'
  | 'too_many_parts'
  | 'too_large'
  | 'no_reply_token'
  | 'expired_token'
  | 'unknown_member'
  | 'sender_mismatch'
  /** A From: header with more than one mailbox. */
  | 'multiple_from'
  /** No DMARC pass, and no SPF or DKIM pass for the From domain itself. */
  | 'unaligned';

export type InboundEmailOutcome =
  | { result: 'applied'; intents: string[]; memberId: string }
  | { result: 'rejected'; reason: RejectReason }
  | { result: 'duplicate' }
  | { result: 'ignored'; memberId: string }
  /** Nothing of the member's own was left once our quoted words were removed: nothing changed, a clarification went out. */
  | { result: 'unclear'; reason: 'empty'; memberId: string };

const CLAIM_LEASE_SECONDS = 120;

/**
 * Why a message may not be trusted, from SES's verdicts: any FAIL (SPF, DKIM, DMARC where the sender
 * publishes a policy, spam, virus) rejects it, and so does mail that neither SPF nor DKIM vouches for,
 * since the sender's address is half of what lets a reply act for a member.
 */
export function verdictProblem(verdicts: ReceivedEmail['verdicts']): RejectReason | undefined {
  const all = [verdicts.spf, verdicts.dkim, verdicts.dmarc, verdicts.spam, verdicts.virus];
  if (all.includes('FAIL')) return 'verdict_failed';
  if (verdicts.spf !== 'PASS' && verdicts.dkim !== 'PASS') return 'unauthenticated';
  return undefined;
}

/** "Re: Re: Still on track…" → "Still on track…": the subject our answer threads under. */
const threadSubject = (subject: string) =>
  cleanText(subject)
    .replace(/^\s*((re|aw|sv|antw|réf|rif|res)\s*:\s*)+/i, '')
    .slice(0, SUBJECT_MAX_LENGTH)
    .trim() || 'Your check-in';

/**
 * Capped before the answering step is scheduled (the step's schema holds a subject and a Message-ID to
 * RFC 5322's 998 characters a line): a longer subject is cut, a longer Message-ID is not threaded on.
 */
const SUBJECT_MAX_LENGTH = 200;
const MESSAGE_ID_MAX_LENGTH = 998;

/**
 * Handle an emailed reply to one of our emails.
 * Primary course: note the raw message (SES already stored it) → claim its SES message id (SES may
 * deliver twice) → check SES's verdicts → parse the MIME and strip the quoted history → check the
 * signed Reply-To token and that the sender is that member → apply the same grammar as a text →
 * answer by email. Whatever fails a check is kept, logged by reason, and never applied.
 */
export async function handleInboundEmail(
  deps: InboundEmailDeps,
  received: ReceivedEmail,
): Promise<InboundEmailOutcome> {
  const now = deps.clock.now();
  const recordId = `ses:${received.messageId}`;
  const outcome = await receiveOnce(
    deps.store,
    {
      messageSid: recordId,
      from: '',
      to: received.recipients.join(', '),
      body: '',
      receivedAt: now.toISOString(),
      raw: { channel: 'email', objectKey: deps.rawMail.key(received.messageId), ...received.verdicts },
    },
    { now, leaseSeconds: CLAIM_LEASE_SECONDS },
    async () => {
      const result = await interpret(deps, received, now);
      await deps.store.completeInbound(recordId, {
        intent:
          result.result === 'applied'
            ? result.intents.join(',')
            : result.result === 'unclear'
              ? `unclear:${result.reason}`
              : result.result,
        ...('memberId' in result ? { memberId: result.memberId } : {}),
        ...(result.result === 'rejected' ? { rejected: result.reason } : {}),
      });
      return result;
    },
  );
  return outcome ?? { result: 'duplicate' };
}

async function interpret(
  deps: InboundEmailDeps,
  received: ReceivedEmail,
  now: Date,
): Promise<InboundEmailOutcome> {
  const problem = verdictProblem(received.verdicts);
  if (problem) return { result: 'rejected', reason: problem };

  const raw = await deps.rawMail.get(received.messageId);
  const read = await deps.replyParser.read(raw);
  if ('unreadable' in read) return { result: 'rejected', reason: read.unreadable };
  const parsed = read.reply;
  // The sender must be the From: address itself (DMARC, or SPF/DKIM aligned to its domain).
  const sender = senderVerdict(raw, received.verdicts.dmarc);
  if (!sender.ok) return { result: 'rejected', reason: sender.reason };

  let reference: ReplyReference | undefined;
  for (const address of [...received.recipients, ...parsed.recipients]) {
    reference = parseReplyAddress(deps.emailSettings.linkSecret, address);
    if (reference) break;
  }
  if (!reference) return { result: 'rejected', reason: 'no_reply_token' };
  const found = await deps.store.getPartnership(reference.partnershipId);
  const member = found?.members.find((each) => each.id === reference.memberId);
  if (!found || !member) return { result: 'rejected', reason: 'unknown_member' };
  const lastDay = plusDays(reference.localDate, REPLY_ADDRESS_VALID_DAYS);
  if (!lastDay || localDateOf(now, member.timezone) > lastDay)
    return { result: 'rejected', reason: 'expired_token' };
  if (!member.email || parsed.from !== member.email.toLowerCase())
    return { result: 'rejected', reason: 'sender_mismatch' };
  // After an opt-out we stay silent until START by text, as with SMS.
  if (member.status === 'opted_out') return { result: 'ignored', memberId: member.id };

  // Only the member's own words: every line we could have sent them, with their name, goal and
  // partner filled in, is removed wherever it stands (see docs/email-replies.md).
  const text = cleanMessage(
    deps.replyParser.ownWords(parsed.body, {
      name: member.name,
      goal: member.goal,
      partner: partnerLabel(found.members, member),
    }),
  );
  const { intents, evidence } = parseReply(text);
  const kinds = intents.length ? intents.map((intent) => intent.kind) : ['unknown'];
  if (kinds.includes('stop')) {
    // STOP by email is a reasonable way to revoke consent: texts and emails both stop.
    await optOutPhone(deps, member.phone, 'email_stop', `ses-${received.messageId}`, now);
    await optOutEmail(deps.store, member.email, 'email_stop', now);
    return { result: 'applied', intents: ['stop'], memberId: member.id };
  }
  const turn = await converse(
    deps,
    {
      partnership: found.partnership,
      members: found.members,
      member,
      now,
      cause: `ses-${received.messageId}`,
      // Nothing left of their own is not a reflection: it only earns a clarification.
      ...(text === '' ? {} : { text }),
      evidence,
    },
    intents,
  );
  // A plain yes is not confirmed by email: only what changed that the member must know is.
  const replies = turn.mustKnow ? turn.replies : [];
  if (replies.length > 0) {
    // The answer goes out through the sender, in the member's thread, as every message we send does.
    const inReplyTo =
      parsed.messageId && parsed.messageId.length <= MESSAGE_ID_MAX_LENGTH ? parsed.messageId : undefined;
    await scheduleAtInstant(
      deps.scheduler,
      steps.emailReply(
        member,
        received.messageId,
        {
          subject: threadSubject(parsed.subject),
          message: replies.join('\n\n'),
          localDate: reference.localDate,
          inReplyTo,
        },
        now,
      ),
    );
  }
  if (text === '') return { result: 'unclear', reason: 'empty', memberId: member.id };
  return { result: 'applied', intents: kinds, memberId: member.id };
}
