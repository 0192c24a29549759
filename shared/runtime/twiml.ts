import { ForbiddenError, ValidationError } from '#shared/domain/errors.js';
import { joinReplies } from '#shared/domain/replies.js';
import { bodyText, type HttpEvent, type HttpResult, header } from './http.js';
import { twilioSignatureMatches } from './twilio-signature.js';

/** The webhook's form fields, after checking that Twilio signed them for our public URL. */
export function verifiedTwilioForm(
  event: HttpEvent,
  /** The account's token, or its primary and secondary tokens during a rotation: any one may have signed. */
  authToken: string | readonly string[],
  publicUrl: string,
): Record<string, string> {
  const tokens = (typeof authToken === 'string' ? [authToken] : authToken).filter((token) => token !== '');
  // A key Twilio sends more than once is signed with all its values, so it is validated that way.
  // No prototype: a field named `constructor` or `__proto__` is just a field.
  const signed: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(bodyText(event))) {
    const seen = Object.hasOwn(signed, key) ? signed[key] : undefined;
    signed[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signature = header(event, 'x-twilio-signature');
  if (!signature || !tokens.some((token) => twilioSignatureMatches(token, signature, publicUrl, signed))) {
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request');
  }
  // Twilio never repeats a key of a message webhook, and repeated values could be reordered without
  // breaking the signature: a form that repeats one is refused, before anything is stored.
  const repeated = Object.keys(signed).filter((key) => Array.isArray(signed[key]));
  if (repeated.length > 0)
    throw new ValidationError(repeated.map((key) => ({ path: key, message: 'is repeated in the form' })));
  // (Object.fromEntries defines each key as an own property, `__proto__` included.)
  return Object.fromEntries(Object.entries(signed).map(([key, value]) => [key, String(value)]));
}

/**
 * Whether XML 1.0 can carry the character: tab, LF, CR and everything from space on, except lone
 * surrogates, U+FFFE and U+FFFF.
 */
function isXmlChar(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff;
}

/**
 * Element text, escaped as twilio's MessagingResponse (xmlbuilder) escapes it, so the bytes are the same:
 * &, < and > always, CR as a reference so XML parsers keep it. Quotes need no escaping in element
 * content, and MessagingResponse leaves them as they are. Like it, a character XML cannot carry throws.
 */
function xmlText(text: string): string {
  // Iterating a string yields code points, and a lone surrogate on its own.
  for (const char of text) {
    if (!isXmlChar(char)) throw new Error('Invalid character in TwiML text');
  }
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#xD;');
}

/** The TwiML document for these messages, byte for byte what twilio's MessagingResponse writes. */
export function messagingTwiml(messages: readonly string[]): string {
  const body = messages.map((text) => (text ? `<Message>${xmlText(text)}</Message>` : '<Message/>')).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>${body ? `<Response>${body}</Response>` : '<Response/>'}`;
}

/** A TwiML answer: short replies are joined into one text, longer ones go as separate messages. */
export function twimlReply(texts: string[] = []): HttpResult {
  const joined = joinReplies(texts);
  const messages = joined.length <= 160 ? (joined ? [joined] : []) : texts;
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: messagingTwiml(messages) };
}
