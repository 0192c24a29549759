import { createHash } from 'node:crypto';
import { EMAIL_RESUBSCRIBE_PATH } from '#shared/contract.js';
import type { Clock } from '#shared/domain/clock.js';
import {
  type EmailAction,
  emailActions,
  isEmailAction,
  RESUBSCRIBE_ACTION,
  RESUBSCRIBE_VALID_DAYS,
  UNSUBSCRIBE_ACTION,
} from '#shared/domain/email-actions.js';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import type { ConversationStorePort } from '#shared/domain/ports.js';
import { type LinkPayload, signLink, verifyLink } from '#shared/domain/signed-tokens.js';
import { isSuppressed, optOutEmail, restoreEmail } from './consent.js';
import { type ConverseDeps, converse } from './converse/index.js';
import { type LinkKind, type LinkPage, notValid, refused } from './link-pages.js';
import { runOnce } from './run-once.js';

export { type LinkKind, type LinkPage, showCharter } from './link-pages.js';

export interface EmailLinkDeps extends ConverseDeps {
  store: ConversationStorePort;
  clock: Clock;
  linkSecret: string;
}

const CLAIM_LEASE_SECONDS = 30;

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
  // Each endpoint takes only its own scope: an unsubscribe token cannot re-subscribe, nor a button either.
  const inScope =
    kind === 'unsubscribe'
      ? payload.a === UNSUBSCRIBE_ACTION
      : kind === 'resubscribe'
        ? payload.a === RESUBSCRIBE_ACTION
        : isEmailAction(payload.a);
  if (!inScope) return { page: notValid('wrong_endpoint') };
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

/** The offer on a page confirming an unsubscribe: a signed link of its own scope back to our emails. */
function resubscribeLink(deps: EmailLinkDeps, member: Member, now: Date): LinkPage['link'] {
  const token = signLink(deps.linkSecret, {
    p: member.partnershipId,
    m: member.id,
    a: RESUBSCRIBE_ACTION,
    exp: Math.floor(now.getTime() / 1000) + RESUBSCRIBE_VALID_DAYS * 86_400,
  });
  return { text: 'Changed your mind? Get emails again', href: `${EMAIL_RESUBSCRIBE_PATH}?token=${token}` };
}

/** Whether a member's emails are stopped by a choice a re-subscribe undoes (a bounce is not one). */
async function emailsStoppedByChoice(deps: EmailLinkDeps, member: Member): Promise<boolean> {
  if (member.emailStatus === 'unsubscribed' || member.emailStatus === 'complained') return true;
  return member.email !== undefined && (await isSuppressed(deps.store, 'email', member.email));
}

/** GET: says what the link will do, changes nothing (mail scanners and previews open links too). */
export async function showEmailLink(deps: EmailLinkDeps, kind: LinkKind, token?: string): Promise<LinkPage> {
  const resolved = await resolve(deps, kind, token);
  if ('page' in resolved) return resolved.page;
  const { member, action } = resolved;
  if (kind === 'resubscribe') {
    if (!member.email)
      return refused(409, 'No email address', 'We have no email address for you here.', 'rejected:no_email');
    return (await emailsStoppedByChoice(deps, member))
      ? {
          status: 200,
          title: `Get emails again, ${member.name}?`,
          message:
            'We will email you again, in every partnership where you stopped our emails. You can stop them again at any time with the link at the foot of each email.',
          confirm: 'Get emails again',
          outcome: 'shown',
        }
      : {
          status: 200,
          title: 'Nothing to change',
          message: 'You have not unsubscribed from our emails, so there is nothing to undo here.',
          outcome: 'shown',
        };
  }
  if (!action) {
    return member.emailStatus === 'unsubscribed'
      ? {
          status: 200,
          title: 'You are unsubscribed',
          message: 'We no longer email you.',
          link: resubscribeLink(deps, member, deps.clock.now()),
          outcome: 'shown',
        }
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

  if (kind === 'resubscribe') {
    if (!member.email)
      return refused(409, 'No email address', 'We have no email address for you here.', 'rejected:no_email');
    // Idempotent by itself: a second POST finds nothing suppressed and nothing stopped.
    return (await restoreEmail(deps.store, member.email, now))
      ? {
          status: 200,
          title: `Welcome back, ${member.name}`,
          message:
            'Our emails are back on. If you ever want a break from them, the unsubscribe link is at the foot of every email.',
          outcome: 'resubscribed',
        }
      : {
          status: 200,
          title: 'Already done',
          message: 'Our emails are already on for you. Thank you!',
          outcome: 'duplicate',
        };
  }

  if (!action) {
    // Idempotent by itself: a second POST finds the status already set.
    // The address stops in every partnership it is in, and for any enrolled later.
    if (member.email) await optOutEmail(deps.store, member.email, 'email_unsubscribe', now);
    return {
      status: 200,
      title: 'You are unsubscribed',
      message: 'We will not email you again. Your texts carry on; reply STOP to a text to stop those too.',
      link: resubscribeLink(deps, member, now),
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
