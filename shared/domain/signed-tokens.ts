import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from './zod.js';

/**
 * Signed references that travel in email: the Reply-To address of a check-in email, and the tokens
 * in unsubscribe and action links. Both are HMAC-SHA256 over what they name, so nobody can forge
 * one for another member, and links expire.
 */

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function mac(secret: string, message: string, length: number): string {
  const digest = createHmac('sha256', secret).update(message).digest();
  // Lower-case base32: mail systems may fold the case of a local part.
  return Array.from(digest.subarray(0, length), (byte) => ALPHABET[byte % 32]).join('');
}

function sameText(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface ReplyReference {
  partnershipId: string;
  memberId: string;
  /** The local date of the check-in the email asked about. */
  localDate: string;
}

const REPLY_MAC_LENGTH = 16;
const referencePattern = /^reply\+([0-9a-z]{12})-(m[1-8])-(\d{8})-([0-9a-z]{16})$/;

/** The Reply-To address of a check-in email; its local part is at most 64 octets (RFC 5321). */
export function replyAddress(secret: string, reference: ReplyReference, domain: string): string {
  const body = `${reference.partnershipId}-${reference.memberId}-${reference.localDate.replaceAll('-', '')}`;
  const local = `reply+${body}-${mac(secret, `reply:${body}`, REPLY_MAC_LENGTH)}`;
  if (local.length > 64) throw new Error('reply address local part would exceed 64 octets');
  return `${local}@${domain}`;
}

/** The reference a reply address carries, if its signature holds; undefined for anything else. */
export function parseReplyAddress(secret: string, address: string): ReplyReference | undefined {
  const local = address.trim().toLowerCase().split('@')[0] ?? '';
  const match = referencePattern.exec(local);
  if (!match) return undefined;
  const [, partnershipId = '', memberId = '', date = '', signature = ''] = match;
  const body = `${partnershipId}-${memberId}-${date}`;
  if (!sameText(signature, mac(secret, `reply:${body}`, REPLY_MAC_LENGTH))) return undefined;
  return {
    partnershipId,
    memberId,
    localDate: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
  };
}

export const linkPayloadSchema = z.object({
  /** Partnership and member the link acts for. */
  p: z.string().check(z.minLength(1)),
  m: z.string().check(z.minLength(1)),
  /** What the link does: unsubscribe, yes, grace, mood-3, continue … */
  a: z.string().check(z.minLength(1), z.maxLength(32)),
  /** The local date of the check-in an action answers, when it answers one. */
  d: z.optional(z.iso.date()),
  /** Expiry, seconds since the epoch. */
  exp: z.number().check(z.int(), z.gt(0)),
});
export type LinkPayload = z.infer<typeof linkPayloadSchema>;

export type LinkCheck =
  | { ok: true; payload: LinkPayload }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** A URL-safe token for an email link: the payload and its signature. */
export function signLink(secret: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(`link:${body}`).digest('base64url')}`;
}

/** Checks a link token's signature and expiry. */
export function verifyLink(secret: string, token: string, now: Date): LinkCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(`link:${body}`).digest('base64url');
  if (!sameText(signature, expected)) return { ok: false, reason: 'bad_signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = linkPayloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, payload: parsed.data };
}

const charterPattern = /^([0-9a-z]{12})-(m[1-8])-([0-9a-z]{16})$/;

/**
 * The token in a charter link: short enough for a text message, signed so nobody can read another
 * partnership's charter. It does not expire: the page always shows the charter as it stands.
 */
export function charterToken(secret: string, partnershipId: string, memberId: string): string {
  const body = `${partnershipId}-${memberId}`;
  return `${body}-${mac(secret, `charter:${body}`, REPLY_MAC_LENGTH)}`;
}

export function parseCharterToken(
  secret: string,
  token: string,
): { partnershipId: string; memberId: string } | undefined {
  const match = charterPattern.exec(token.trim().toLowerCase());
  if (!match) return undefined;
  const [, partnershipId = '', memberId = '', signature = ''] = match;
  const expected = mac(secret, `charter:${partnershipId}-${memberId}`, REPLY_MAC_LENGTH);
  return sameText(signature, expected) ? { partnershipId, memberId } : undefined;
}
