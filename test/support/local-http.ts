import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

export const API_KEY = 'test-api-key';
export const TWILIO_AUTH_TOKEN = 'test-twilio-token';

export interface Outbox {
  sms: Array<{ to: string; from: string; body: string; sid: string; at: string }>;
  email: unknown[];
}

/** A running local stack in a fresh data folder, driven only over its HTTP surface. */
export async function startTestStack(clockStart: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'soft-partner-test-'));
  const stack: LocalStack = await startLocalStack({
    port: 0,
    apiKey: API_KEY,
    twilioAuthToken: TWILIO_AUTH_TOKEN,
    dataDir,
    clockStart: new Date(clockStart),
  });
  let sidCounter = 0;
  const api = {
    url: stack.url,
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
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
          graceTokensLeft: number;
          checkIns: Array<{ localDate: string; status: string }>;
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
