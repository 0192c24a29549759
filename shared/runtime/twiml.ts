import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { z } from 'zod';
import { ForbiddenError, ValidationError, validationIssues } from '../domain/errors.js';
import { bodyText, type HttpEvent, type HttpResult, header } from './http.js';

/** The webhook's form fields, after checking that Twilio signed them for our public URL. */
export function verifiedTwilioForm(
  event: HttpEvent,
  authToken: string,
  publicUrl: string,
): Record<string, string> {
  // A key Twilio sends more than once is signed with all its values, so it is validated that way.
  // No prototype: a field named `constructor` or `__proto__` is just a field.
  const signed: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(bodyText(event))) {
    const seen = Object.hasOwn(signed, key) ? signed[key] : undefined;
    signed[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signature = header(event, 'x-twilio-signature');
  if (!signature || !validateRequest(authToken, signature, publicUrl, signed)) {
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request');
  }
  // Fields we read are single-valued; of a repeated one, the first value is kept.
  // (Object.fromEntries defines each key as an own property, `__proto__` included.)
  return Object.fromEntries(
    Object.entries(signed).map(([key, value]) => [key, Array.isArray(value) ? (value[0] ?? '') : value]),
  );
}

/** A TwiML answer: short replies are joined into one text, longer ones go as separate messages. */
export function twimlReply(texts: string[] = []): HttpResult {
  const response = new MessagingResponse();
  const joined = texts.join(' ');
  for (const text of joined.length <= 160 ? (joined ? [joined] : []) : texts) response.message(text);
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: response.toString() };
}

/** The fields of Twilio's inbound message webhook that we rely on; the rest is kept raw. */
export const inboundSmsFormSchema = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)\w{10,40}$/, { message: 'must be a Twilio message SID' }),
    From: z.string().min(1, { message: 'is required' }).max(32),
    To: z.string().min(1, { message: 'is required' }).max(32),
    Body: z.string().max(1600).default(''),
  })
  .loose();

/** The fields of Twilio's message status callback that we rely on. */
export const statusCallbackFormSchema = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)\w{10,40}$/, { message: 'must be a Twilio message SID' }),
    MessageStatus: z.string().regex(/^[a-z_]{2,24}$/, { message: 'must be a Twilio message status' }),
    ErrorCode: z.string().max(10).optional(),
  })
  .loose();

export function parseStatusCallbackForm(form: Record<string, string>) {
  const parsed = statusCallbackFormSchema.safeParse(form);
  if (!parsed.success) throw new ValidationError(validationIssues(parsed.error.issues));
  return parsed.data;
}

/** Parses the verified form, naming each missing or malformed field. */
export function parseInboundSmsForm(form: Record<string, string>) {
  const parsed = inboundSmsFormSchema.safeParse(form);
  if (!parsed.success) throw new ValidationError(validationIssues(parsed.error.issues));
  return parsed.data;
}
