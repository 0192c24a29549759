import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { startTestLocalStack } from './embedded-servers.js';

export const API_KEY = 'test-api-key';
export const TWILIO_AUTH_TOKEN = 'test-twilio-token';

export interface OutboxEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo: string | null;
  headers: Record<string, string>;
  at: string;
}

export interface Outbox {
  /** `outbound-reply`: the TwiML answer to the member's own text; `outbound-api`: everything we sent unprompted. */
  sms: Array<{ to: string; from: string; body: string; sid: string; at: string; direction: string }>;
  email: OutboxEmail[];
}

/** A reply as a mail client writes it: our Reply-To as recipient, the member's words, our email quoted. */
export function replyEmail(options: { from: string; to: string; text: string; messageId?: string }): string {
  return [
    `From: Ada <${options.from}>`,
    `To: ${options.to}`,
    'Subject: Re: Still on track today?',
    `Message-ID: <${options.messageId ?? `${Math.random().toString(36).slice(2)}@mail.example.com`}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.text,
    '',
    `On Tue, Nov 24, 2026 at 8:30 AM Soft Partner <${options.to}> wrote:`,
    '> Still on track today?',
    '',
  ].join('\r\n');
}

/** A running local stack in a fresh data folder, driven only over its HTTP surface. */
export async function startTestStack(
  clockStart: string,
  options: { sweepEveryMinutes?: number; selfServe?: boolean } = {},
) {
  const stack = await startTestLocalStack({
    name: 'test',
    apiKey: API_KEY,
    twilioAuthToken: TWILIO_AUTH_TOKEN,
    clockStart: new Date(clockStart),
    ...options,
  });
  let sidCounter = 0;
  const api = {
    url: stack.url,
    close: () => stack.close(),
    enroll(body: unknown, apiKey: string | null = API_KEY) {
      return fetch(`${stack.url}/partnerships`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify(body),
      });
    },
    async partnership(id: string) {
      const response = await fetch(`${stack.url}/partnerships/${id}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      return (await response.json()) as {
        id: string;
        members: Array<{
          name: string;
          phone: string;
          status: string;
          emailStatus?: string;
          emailStatusReason?: string;
          emailStatusSince?: string;
          smsStatus?: string;
          smsStatusReason?: string;
          smsStatusSince?: string;
          pausedUntil?: string;
          pendingDecision?: boolean;
          graceTokensLeft: number;
          checkIns: Array<{ localDate: string; status: string; mood?: number }>;
        }>;
      };
    },
    async outbox(): Promise<Outbox> {
      return (await (await fetch(`${stack.url}/local/outbox`)).json()) as Outbox;
    },
    async advance(body: { minutes: number } | { to: string }) {
      const response = await fetch(`${stack.url}/local/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as {
        now: string;
        fired: Array<{ name: string; at: string; outcome: string }>;
      };
    },
    /** POST /local/faults: the local Twilio or SES API refuses sends for `minutes` of virtual time. */
    async fault(body: Record<string, unknown>) {
      const response = await fetch(`${stack.url}/local/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    /** GET /local/faults: the faults in force and every send they refused. */
    async faults() {
      return (await (await fetch(`${stack.url}/local/faults`)).json()) as {
        faults: Array<{ id: string; service: string; to?: string; status: number; until: string }>;
        refusals: Array<{ service: string; to: string; status: number; code: number | string; at: string }>;
      };
    },
    async clearFaults() {
      return (await fetch(`${stack.url}/local/faults`, { method: 'DELETE' })).status;
    },
    /** GET /local/dead-letters. */
    async deadLetters() {
      return (await (await fetch(`${stack.url}/local/dead-letters`)).json()) as {
        deadLetters: Array<{ name: string; step: Record<string, unknown>; reason: string }>;
      };
    },
    /** POST /local/dead-letters/redrive: every dead-lettered step once more, as an SQS redrive. */
    async redrive() {
      const response = await fetch(`${stack.url}/local/dead-letters/redrive`, { method: 'POST' });
      return (await response.json()) as { fired: Array<{ name: string; at: string; outcome: string }> };
    },
    /** Plays SES receiving a raw message (POST /local/inbound-email). */
    async emailIn(raw: string | Buffer, query: Record<string, string> = {}) {
      const response = await fetch(`${stack.url}/local/inbound-email?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822' },
        body: raw,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          messageId: string;
          outcome: { result: string; reason?: string; intents?: string[] };
        },
      };
    },
    /** Opens a link from an email (GET), or presses its page's button / a mail client's one-click (POST). */
    async open(link: string, method: 'GET' | 'POST' = 'GET', body?: string) {
      const response = await fetch(link, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }),
      });
      return { status: response.status, html: await response.text() };
    },
    /** Posts a text to the webhook, form-encoded and signed exactly as Twilio does. */
    async text(from: string, body: string, options: { messageSid?: string; signature?: string | null } = {}) {
      sidCounter += 1;
      const params: Record<string, string> = {
        MessageSid: options.messageSid ?? `SMtest${String(sidCounter).padStart(26, '0')}`,
        AccountSid: 'AC00000000000000000000000000000001',
        From: from,
        To: '+15005550006',
        Body: body,
        NumMedia: '0',
      };
      const url = `${stack.url}/webhooks/twilio/sms`;
      const signature =
        options.signature === undefined
          ? getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params)
          : options.signature;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature === null ? {} : { 'x-twilio-signature': signature }),
        },
        body: new URLSearchParams(params).toString(),
      });
      return { status: response.status, body: await response.text() };
    },
  };
  return api;
}
