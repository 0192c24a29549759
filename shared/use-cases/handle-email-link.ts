import { createHash } from 'node:crypto';
import { charterFor } from '../domain/charter.js';
import type { Clock } from '../domain/clock.js';
import {
  type EmailAction,
  emailActions,
  isEmailAction,
  UNSUBSCRIBE_ACTION,
} from '../domain/email-actions.js';
import type { Member, Partnership } from '../domain/partnership.js';
import type { StorePort } from '../domain/ports.js';
import { type LinkPayload, parseCharterToken, verifyLink } from '../domain/signed-tokens.js';
import { optOutEmail } from './consent.js';
import { type ConverseDeps, converse } from './converse.js';
import { runOnce } from './run-once.js';

export interface EmailLinkDeps extends ConverseDeps {
  store: StorePort;
  clock: Clock;
  linkSecret: string;
}

/** Which endpoint a link was opened on: the one-click unsubscribe, or an email button. */
export type LinkKind = 'unsubscribe' | 'action';

/** What the small page says; `confirm` is the button that applies the link (a GET never does). */
export interface LinkPage {
  status: number;
  title: string;
  message: string;
  confirm?: string;
  /** Why nothing was applied, for the log (never personal data). */
  outcome: string;
}

const CLAIM_LEASE_SECONDS = 30;

const refused = (status: number, title: string, message: string, outcome: string): LinkPage => ({
  status,
  title,
  message,
  outcome,
});

const notValid = (reason: string) =>
  refused(
    reason === 'expired' ? 410 : 400,
    reason === 'expired' ? 'This link has expired' : 'This link does not work',
    reason === 'expired'
      ? 'Links in our emails work for a few days. Reply to the latest email or text instead, and we will take it from there.'
      : 'The link may have been cut short when it was copied. Open it again from the email, or simply reply to the email.',
    `rejected:${reason}`,
  );

type Resolved =
  | { page: LinkPage }
  | {
      payload: LinkPayload;
      partnership: Partnership;
      members: Member[];
      member: Member;
      action?: EmailAction;
    };

async function resolve(deps: EmailLinkDeps, kind: LinkKind, token: string | undefined): Promise<Resolved> {
  const check = verifyLink(deps.linkSecret, token ?? '', deps.clock.now());
  if (!check.ok) return { page: notValid(check.reason) };
  const { payload } = check;
  const isUnsubscribe = payload.a === UNSUBSCRIBE_ACTION;
  if (isUnsubscribe !== (kind === 'unsubscribe') || (!isUnsubscribe && !isEmailAction(payload.a)))
    return { page: notValid('wrong_endpoint') };
  const found = await deps.store.getPartnership(payload.p);
  const member = found?.members.find((each) => each.id === payload.m);
  if (!found || !member)
    return {
      page: refused(
        404,
        'We could not find you',
        'This partnership no longer exists.',
        'rejected:unknown_member',
      ),
    };
  return {
    payload,
    ...found,
    member,
    ...(isEmailAction(payload.a) ? { action: emailActions[payload.a] } : {}),
  };
}

/** GET: says what the link will do, changes nothing (mail scanners and previews open links too). */
export async function showEmailLink(deps: EmailLinkDeps, kind: LinkKind, token?: string): Promise<LinkPage> {
  const resolved = await resolve(deps, kind, token);
  if ('page' in resolved) return resolved.page;
  const { member, action } = resolved;
  if (!action) {
    return member.emailStatus === 'unsubscribed'
      ? { status: 200, title: 'You are unsubscribed', message: 'We no longer email you.', outcome: 'shown' }
      : {
          status: 200,
          title: `Stop emails, ${member.name}?`,
          message:
            'We will stop emailing you. Your texts carry on as they are; reply STOP to a text to stop those too.',
          confirm: 'Unsubscribe from emails',
          outcome: 'shown',
        };
  }
  return {
    status: 200,
    title: `Hi ${member.name}`,
    message: action.question,
    confirm: action.button,
    outcome: 'shown',
  };
}

/**
 * POST: applies the link, once.
 * Primary course: verify the signed token → find the member → claim the token (a double click or a
 * retried POST applies nothing twice) → unsubscribe, or answer exactly as the same words in a reply
 * would → say what happened.
 */
export async function applyEmailLink(deps: EmailLinkDeps, kind: LinkKind, token?: string): Promise<LinkPage> {
  const resolved = await resolve(deps, kind, token);
  if ('page' in resolved) return resolved.page;
  const { payload, member, action } = resolved;
  const now = deps.clock.now();

  if (!action) {
    // Idempotent by itself: a second POST finds the status already set.
    // The address stops in every partnership it is in, and for any enrolled later.
    if (member.email) await optOutEmail(deps.store, member.email, 'email_unsubscribe', now);
    return {
      status: 200,
      title: 'You are unsubscribed',
      message: 'We will not email you again. Your texts carry on; reply STOP to a text to stop those too.',
      outcome: 'unsubscribed',
    };
  }

  if (member.status === 'opted_out')
    return refused(
      409,
      'You have stopped messages',
      'Text START to us to come back any time.',
      'rejected:opted_out',
    );
  if (action.answersCheckIn) {
    const latest = await deps.store.latestCheckIn(member.partnershipId, member.id);
    if (!latest || latest.localDate !== payload.d)
      return refused(
        409,
        'That check-in has passed',
        'A newer check-in is waiting for you: answer that one, by text or email.',
        'rejected:stale_check_in',
      );
  }
  const digest = createHash('sha256')
    .update(token ?? '')
    .digest('hex');
  const turn = await runOnce(deps.store, `link#${digest}`, { now, leaseSeconds: CLAIM_LEASE_SECONDS }, () =>
    converse(
      deps,
      {
        partnership: resolved.partnership,
        members: resolved.members,
        member,
        now,
        cause: `link-${digest.slice(0, 16)}`,
      },
      [action.intent],
    ),
  );
  if (!turn)
    return {
      status: 200,
      title: 'Already done',
      message: 'We have this one already. Thank you!',
      outcome: 'duplicate',
    };
  return {
    status: 200,
    title: `Thank you, ${member.name}`,
    message: turn.replies.join('\n\n'),
    outcome: action.intent.kind,
  };
}

/** GET /charter/{token}: the member's one-page charter as it stands now (the link a text carries). */
export async function showCharter(deps: EmailLinkDeps, token: string): Promise<LinkPage> {
  const reference = parseCharterToken(deps.linkSecret, token);
  if (!reference) return notValid('bad_signature');
  const found = await deps.store.getPartnership(reference.partnershipId);
  const member = found?.members.find((each) => each.id === reference.memberId);
  if (!found || !member)
    return refused(
      404,
      'We could not find you',
      'This partnership no longer exists.',
      'rejected:unknown_member',
    );
  const charter = charterFor(found.partnership, found.members, member);
  const rows: Array<[string, string]> = [
    ['Your goal', member.goal],
    ["Everyone's goals", charter.goals.join('; ')],
    ['Our values', charter.values],
    ['Cadence', charter.cadence],
    ['Channels', charter.channels],
    ['Grace', charter.gracePolicy],
    ['Setbacks', charter.setbacks],
    ['Wins', charter.wins],
    ['Quiet hours', charter.quietHours],
  ];
  return {
    status: 200,
    title: `Your charter, ${member.name}`,
    message: rows.map(([label, text]) => `${label}: ${text}`).join('\n\n'),
    outcome: 'charter',
  };
}
