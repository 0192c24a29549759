import twilioPackage from 'twilio';
import { describe, expect, it } from 'vitest';
import { twilioPackageTransport } from '#local/twilio-package-transport.js';
import { fetchTransport, TwilioSms, type TwilioTransport } from '#shared/adapters/twilio-sms.js';
import { recordingServer, type SeenRequest } from '../support/recording-server.js';

const ACCOUNT_SID = `AC${'0'.repeat(31)}7`;

/** Twilio's answer with a status: the message it queued, or its error. */
const twilioAnswer = (status: number) => ({
  status,
  body: JSON.stringify(
    status === 201
      ? { sid: `SM${'a'.repeat(32)}`, status: 'queued' }
      : { code: status === 429 ? 20429 : 20500, message: `refused with ${status}`, status },
  ),
});

/** A page of Twilio's Messages list: one text to +14155550123 sent just now, and no next page. */
const listAnswer = () => ({
  status: 200,
  body: JSON.stringify({
    messages: [
      {
        sid: `SM${'b'.repeat(32)}`,
        to: '+14155550123',
        from: '+15005550006',
        body: 'hi',
        direction: 'outbound-api',
        status: 'delivered',
        date_created: new Date().toUTCString(),
        messaging_service_sid: null,
      },
    ],
    next_page_uri: null,
    page: 0,
    page_size: 50,
  }),
});

/** Everything Twilio would read of a request. */
const asTwilioReadsIt = (request: SeenRequest) => ({
  method: request.method,
  path: request.path,
  authorization: request.headers.authorization,
  contentType: request.headers['content-type'],
  accept: request.headers.accept,
  form: [...new URLSearchParams(request.body)],
});

describe('the Lambda’s fetch transport and the twilio package’s RequestClient send the same request', () => {
  const twilio = recordingServer({
    otherwise: () => twilioAnswer(201),
    contentType: () => 'application/json',
  });
  const { answers } = twilio;
  const seen = () => twilio.seen.map(asTwilioReadsIt);

  const transports: Array<[string, () => TwilioTransport]> = [
    ['fetch (Lambda)', () => fetchTransport()],
    ['twilio RequestClient (local stack)', () => twilioPackageTransport()],
  ];
  const sms = (transport: TwilioTransport, from = '+15005550006') =>
    new TwilioSms({
      accountSid: ACCOUNT_SID,
      authToken: 'secret-token',
      from,
      apiBaseUrl: twilio.url,
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
    expect(seen()).toHaveLength(2);
    expect(seen()[0]).toEqual(seen()[1]);
    expect(seen()[0]).toEqual({
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
    expect(seen()[0]).toEqual(seen()[1]);
    expect(seen()[0]?.form).toContainEqual(['MessagingServiceSid', `MG${'1'.repeat(32)}`]);
  });

  it.each(transports)(
    '%s: retries a 429 with backoff and sends once it is let through',
    async (_, transport) => {
      answers.push(twilioAnswer(429), twilioAnswer(429));
      await expect(sms(transport()).send({ to: '+14155550123', body: 'hi' })).resolves.toEqual({
        sid: `SM${'a'.repeat(32)}`,
      });
      expect(seen()).toHaveLength(3);
    },
  );

  it.each(transports)(
    '%s: does not retry a 500; the send fails with the twilio package’s RestException',
    async (_, transport) => {
      answers.push(twilioAnswer(500));
      await expect(sms(transport()).send({ to: '+14155550123', body: 'hi' })).rejects.toMatchObject({
        name: 'Error',
        status: 500,
        code: 20500,
        message: 'refused with 500',
      });
      expect(seen()).toHaveLength(1);
    },
  );

  it('asks for the texts already sent with the request client.messages.list({ to, from, limit }) makes', async () => {
    // Prepare: the twilio package's own REST client, pointed at the same server.
    const client = twilioPackage(ACCOUNT_SID, 'secret-token');
    client.api.baseUrl = twilio.url;
    answers.push(listAnswer(), listAnswer(), listAnswer());

    // Act
    const listed = await client.messages.list({ to: '+14155550123', from: '+15005550006', limit: 50 });
    const found = [];
    for (const [, transport] of transports)
      found.push(
        await sms(transport()).findSent({
          to: '+14155550123',
          body: 'hi',
          since: new Date(Date.now() - 5_000),
        }),
      );

    // Assess: one request, three times over; and the text the list holds.
    expect(listed.map((message) => message.sid)).toEqual([`SM${'b'.repeat(32)}`]);
    expect(found).toEqual([{ sid: `SM${'b'.repeat(32)}` }, { sid: `SM${'b'.repeat(32)}` }]);
    expect(seen()).toHaveLength(3);
    expect(seen()[1]).toEqual(seen()[0]);
    expect(seen()[2]).toEqual(seen()[0]);
    expect(seen()[0]).toEqual({
      method: 'GET',
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?To=%2B14155550123&From=%2B15005550006&PageSize=50`,
      authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:secret-token`).toString('base64')}`,
      contentType: undefined,
      accept: 'application/json',
      form: [],
    });
  });
});
