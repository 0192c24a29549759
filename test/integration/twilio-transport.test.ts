import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { twilioPackageTransport } from '../../local/twilio-package-transport.js';
import { fetchTransport, TwilioSms, type TwilioTransport } from '../../shared/adapters/twilio-sms.js';

/** What reached the server: everything Twilio would read of a request. */
interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  accept: string | undefined;
  form: Array<[string, string]>;
}

const ACCOUNT_SID = `AC${'0'.repeat(31)}7`;
const read = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('the Lambda’s fetch transport and the twilio package’s RequestClient send the same request', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  /** The statuses the next requests are answered with; 201 once they run out. */
  const answers: number[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      seen.push({
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        accept: request.headers.accept,
        form: [...new URLSearchParams(await read(request))],
      });
      const status = answers.shift() ?? 201;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          status === 201
            ? { sid: `SM${'a'.repeat(32)}`, status: 'queued' }
            : { code: status === 429 ? 20429 : 20500, message: `refused with ${status}`, status },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    answers.length = 0;
  });

  const transports: Array<[string, () => TwilioTransport]> = [
    ['fetch (Lambda)', () => fetchTransport()],
    ['twilio RequestClient (local stack)', () => twilioPackageTransport()],
  ];
  const sms = (transport: TwilioTransport, from = '+15005550006') =>
    new TwilioSms({
      accountSid: ACCOUNT_SID,
      authToken: 'secret-token',
      from,
      apiBaseUrl: baseUrl,
      statusCallbackUrl: 'https://api.example.org/webhooks/twilio/status',
      transport,
    });

  it('sends one identical request for a text with accents, emoji, & and + in it', async () => {
    // Act
    const sids = [];
    for (const [, transport] of transports)
      sids.push(await sms(transport()).send({ to: '+14155550123', body: 'Día 3 💪 & 1+1 = "two"' }));

    // Assess
    expect(sids).toEqual([{ sid: `SM${'a'.repeat(32)}` }, { sid: `SM${'a'.repeat(32)}` }]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]).toEqual({
      method: 'POST',
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:secret-token`).toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      accept: 'application/json',
      form: [
        ['To', '+14155550123'],
        ['Body', 'Día 3 💪 & 1+1 = "two"'],
        ['From', '+15005550006'],
        ['StatusCallback', 'https://api.example.org/webhooks/twilio/status'],
      ],
    });
  });

  it('sends from a Messaging Service the same way', async () => {
    for (const [, transport] of transports)
      await sms(transport(), `MG${'1'.repeat(32)}`).send({ to: '+14155550123', body: 'hi' });
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]?.form).toContainEqual(['MessagingServiceSid', `MG${'1'.repeat(32)}`]);
  });

  it.each(transports)(
    '%s: retries a 429 with backoff and sends once it is let through',
    async (_, transport) => {
      answers.push(429, 429);
      await expect(sms(transport()).send({ to: '+14155550123', body: 'hi' })).resolves.toEqual({
        sid: `SM${'a'.repeat(32)}`,
      });
      expect(seen).toHaveLength(3);
    },
  );

  it.each(transports)(
    '%s: does not retry a 500; the send fails with the twilio package’s RestException',
    async (_, transport) => {
      answers.push(500);
      await expect(sms(transport()).send({ to: '+14155550123', body: 'hi' })).rejects.toMatchObject({
        name: 'Error',
        status: 500,
        code: 20500,
        message: 'refused with 500',
      });
      expect(seen).toHaveLength(1);
    },
  );
});
