import {
  CHARTER_PATH,
  EMAIL_ACTION_PATH,
  EMAIL_RESUBSCRIBE_PATH,
  EMAIL_UNSUBSCRIBE_PATH,
} from '#shared/contract.js';
import type { Charter } from '#shared/domain/charter.js';
import {
  type EmailActionName,
  emailActions,
  UNSUBSCRIBE_ACTION,
  UNSUBSCRIBE_VALID_DAYS,
} from '#shared/domain/email-actions.js';
import { UndeliverableError } from '#shared/domain/errors.js';
import { emailReachable, type Member } from '#shared/domain/partnership.js';
import type { EmailPort, ReachabilityPort, StorePort } from '#shared/domain/ports.js';
import { charterToken, replyAddress, signLink } from '#shared/domain/signed-tokens.js';
import { compiledEmails } from '#templates/email/compiled.js';
import { bulletList } from '#templates/email/markup.js';
import { type EmailValues, renderEmail } from '#templates/email/render.js';
import type { EmailTemplateName } from '#templates/email/subjects.js';
import { noteDelivered, noteUndeliverable } from './undeliverable.js';

/** What signs and addresses our emails: one secret, the public URL of the links, the inbound domain. */
export interface EmailSettings {
  linkSecret: string;
  /** No trailing slash; the links are `<publicBaseUrl>/email/...`. */
  publicBaseUrl: string;
  /** Replies go to reply+<token>@inboundDomain. */
  inboundDomain: string;
}

export interface MemberEmailDeps {
  email: EmailPort;
  emailSettings: EmailSettings;
}

/** The links' paths (shared/contract.ts), as the email tests read them. */
export {
  CHARTER_PATH,
  EMAIL_ACTION_PATH as ACTION_PATH,
  EMAIL_RESUBSCRIBE_PATH as RESUBSCRIBE_PATH,
  EMAIL_UNSUBSCRIBE_PATH as UNSUBSCRIBE_PATH,
};

/** The charter's page: a short signed link that fits in a text. */
export function charterUrl(settings: EmailSettings, member: Pick<Member, 'partnershipId' | 'id'>): string {
  return `${settings.publicBaseUrl}${CHARTER_PATH}/${charterToken(settings.linkSecret, member.partnershipId, member.id)}`;
}
const DAY_SECONDS = 86_400;

const expiry = (now: Date, days: number) => Math.floor(now.getTime() / 1000) + days * DAY_SECONDS;

/** The one-click unsubscribe link of a member (RFC 8058). */
export function unsubscribeUrl(settings: EmailSettings, member: Member, now: Date): string {
  const token = signLink(settings.linkSecret, {
    p: member.partnershipId,
    m: member.id,
    a: UNSUBSCRIBE_ACTION,
    exp: expiry(now, UNSUBSCRIBE_VALID_DAYS),
  });
  return `${settings.publicBaseUrl}${EMAIL_UNSUBSCRIBE_PATH}?token=${token}`;
}

/** A button's link: the confirmation page for one action, for one member (and one check-in). */
export function actionUrl(
  settings: EmailSettings,
  member: Member,
  action: EmailActionName,
  now: Date,
  localDate: string,
): string {
  const definition = emailActions[action];
  const token = signLink(settings.linkSecret, {
    p: member.partnershipId,
    m: member.id,
    a: action,
    ...(definition.answersCheckIn ? { d: localDate } : {}),
    exp: expiry(now, definition.validDays),
  });
  return `${settings.publicBaseUrl}${EMAIL_ACTION_PATH}?token=${token}`;
}

/** Placeholder → action: every template that shows a button gets its signed link filled in. */
const ACTION_PLACEHOLDERS: Record<string, EmailActionName> = {
  actionUrlYes: 'yes',
  actionUrlGrace: 'grace',
  actionUrlMood1: 'mood-1',
  actionUrlMood2: 'mood-2',
  actionUrlMood3: 'mood-3',
  actionUrlMood4: 'mood-4',
  actionUrlMood5: 'mood-5',
  actionUrlContinue: 'continue',
  actionUrlTweak: 'tweak',
  actionUrlPause: 'pause',
};

export interface MemberEmail {
  template: EmailTemplateName;
  values: EmailValues;
  /** The local date the email is about (the check-in it asks for); signs its reply address and buttons. */
  localDate: string;
  /** Threads our answer under the member's own message. */
  inReplyTo?: string;
}

/**
 * Email one member, if we may: they gave an address and have not unsubscribed, bounced or complained.
 * Every email carries a signed Reply-To (a plain reply is understood like a text), one-click
 * unsubscribe headers, and tags (ids only) so that bounces and complaints find the member again.
 * Returns whether it went: one SES refuses for good is recorded on the member (undeliverable.ts) and
 * not retried; one that goes clears that record.
 */
export async function emailMember(
  /** Without a store (a preview, a fixture), a refusal for good is thrown as it is. */
  deps: MemberEmailDeps & { store?: StorePort & ReachabilityPort },
  member: Member,
  email: MemberEmail,
  now: Date,
): Promise<boolean> {
  if (!member.email || !emailReachable(member)) return false;
  const settings = deps.emailSettings;
  const unsubscribe = unsubscribeUrl(settings, member, now);
  const links: Record<string, string> = {};
  for (const placeholder of compiledEmails[email.template].placeholders) {
    const action = ACTION_PLACEHOLDERS[placeholder];
    if (action) links[placeholder] = actionUrl(settings, member, action, now, email.localDate);
  }
  const rendered = renderEmail(email.template, {
    name: member.name,
    goal: member.goal,
    ...links,
    ...email.values,
    unsubscribeUrl: unsubscribe,
  });
  const message = {
    to: member.email,
    ...rendered,
    replyTo: replyAddress(
      settings.linkSecret,
      { partnershipId: member.partnershipId, memberId: member.id, localDate: email.localDate },
      settings.inboundDomain,
    ),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      ...(email.inReplyTo
        ? { 'In-Reply-To': `<${email.inReplyTo}>`, References: `<${email.inReplyTo}>` }
        : {}),
    },
    tags: { template: email.template, partnership: member.partnershipId, member: member.id },
  };
  try {
    await deps.email.send(message);
  } catch (error) {
    if (!(error instanceof UndeliverableError) || !deps.store) throw error;
    await noteUndeliverable(deps.store, member, error, now);
    return false;
  }
  if (deps.store) await noteDelivered(deps.store, member, 'email', now);
  return true;
}

/** The charter as email values: plain text for each row, and everyone's goals as a list. */
export function charterEmailValues(charter: Charter): EmailValues {
  const { goals, ...rows } = charter;
  const list = bulletList(goals);
  return { ...rows, goalsHtml: list.html, goalsText: list.text };
}
