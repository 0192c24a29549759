import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { ForbiddenError } from '../domain/errors.js';
import { bodyText, type HttpEvent, type HttpResult, header } from './http.js';

/** The webhook's form fields, after checking that Twilio signed them for our public URL. */
export function verifiedTwilioForm(
  event: HttpEvent,
  authToken: string,
  publicUrl: string,
): Record<string, string> {
  const params = Object.fromEntries(new URLSearchParams(bodyText(event)));
  const signature = header(event, 'x-twilio-signature');
  if (!signature || !validateRequest(authToken, signature, publicUrl, params)) {
    throw new ForbiddenError('The X-Twilio-Signature header is missing or does not match this request');
  }
  return params;
}

/** A TwiML answer with zero or one message. */
export function twimlReply(text?: string): HttpResult {
  const response = new MessagingResponse();
  if (text) response.message(text);
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: response.toString() };
}
