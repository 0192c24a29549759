import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTwilioApi, type LocalTwilioLimits } from '#local/twilio-api.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { fetchTransport, TwilioSms } from '#shared/adapters/twilio-sms.js';

const ACCOUNT_SID = `AC${'0'.repeat(31)}7`;
const FROM = '+15005550006';
const NINE = new Date('2026-11-26T14:00:00.000Z');

/** A webhook that records the delivery reports Twilio posts, checking each signature. */
async function reportSink() {
  const reports: Array<{ sid: string; status: string; errorCode?: string; signed: boolean }> = [];
  let url = '';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const signature = String(request.headers['x-twilio-signature'] ?? '');
      reports.push({
        sid: form.MessageSid ?? '',
        status: form.MessageStatus ?? '',
        ...(form.ErrorCode ? { errorCode: form.ErrorCode } : {}),
        signed: validateRequest('token', signature, url, form),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/twilio/status`;
  return { reports, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the local Twilio API queues each sender's texts as Twilio does", () => {
  let clock: VirtualClock;
  let api: LocalTwilioApi;
  let base: string;
  let sink: Awaited<ReturnType<typeof reportSink>>;

  const start = async (limits: LocalTwilioLimits) => {
    api = new LocalTwilioApi({ accountSid: ACCOUNT_SID, authToken: 'token', clock, ...limits });
    base = `http://127.0.0.1:${await api.listen(0)}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
  };
  const post = (form: Record<string, string>) =>
    fetch(base, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:token`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
    });
  const text = (to: string, extra: Record<string, string> = {}) =>
    post({ To: to, From: FROM, Body: 'Still on track today? Reply YES or NO.', ...extra });
  const advance = (seconds: number) => {
    clock.set(new Date(clock.now().getTime() + seconds * 1000));
    api.release();
  };
  const statuses = () => api.messages.map((message) => message.status);

  beforeEach(async () => {
    clock = new VirtualClock(NINE);
    sink = await reportSink();
  });
  afterEach(async () => {
    await api.close();
    await sink.close();
  });

  it('accepts texts above the rate and lets them out 1 / MPS apart on its clock', async () => {
    // Prepare
    await start({ messagesPerSecond: 2 });

    // Act: five texts at the same instant, twice the rate of this sender.
    const answers = await Promise.all(
      ['+12125550101', '+12125550102', '+12125550103', '+12125550104', '+12125550105'].map((to) => text(to)),
    );

    // Assess: every one accepted and queued; only the first has left.
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    for (const answer of answers) expect(((await answer.json()) as { status: string }).status).toBe('queued');
    expect(statuses()).toEqual(['delivered', 'queued', 'queued', 'queued', 'queued']);
    advance(1);
    expect(statuses()).toEqual(['delivered', 'delivered', 'delivered', 'queued', 'queued']);
    advance(1);
    expect(api.messages.map((message) => message.sentAt)).toEqual([
      '2026-11-26T14:00:00.000Z',
      '2026-11-26T14:00:00.500Z',
      '2026-11-26T14:00:01.000Z',
      '2026-11-26T14:00:01.500Z',
      '2026-11-26T14:00:02.000Z',
    ]);
    expect(api.queued).toBe(0);
  });

  it('keeps one queue per sender', async () => {
    await start({ messagesPerSecond: 1 });
    await text('+12125550101');
    await text('+12125550102');
    await text('+12125550103', { From: '+15005550007' });
    expect(statuses()).toEqual(['delivered', 'queued', 'delivered']);
  });

  it('posts the sent and delivered reports, signed, as each text leaves, and none before', async () => {
    // Prepare
    await start({ messagesPerSecond: 1 });

    // Act
    await text('+12125550101', { StatusCallback: sink.url });
    await text('+12125550102', { StatusCallback: sink.url });
    await api.reportsPosted();
    const [first, second] = api.messages;

    // Assess: the first left at once; the second only once the clock reached its turn.
    expect(sink.reports).toEqual([
      { sid: first?.sid, status: 'sent', signed: true },
      { sid: first?.sid, status: 'delivered', signed: true },
    ]);
    advance(1);
    await api.reportsPosted();
    expect(sink.reports.slice(2)).toEqual([
      { sid: second?.sid, status: 'sent', signed: true },
      { sid: second?.sid, status: 'delivered', signed: true },
    ]);
  });

  it('fails a text still queued when its ValidityPeriod ends (30036), without taking its turn', async () => {
    // Prepare
    await start({ messagesPerSecond: 1 });

    // Act: three texts at once with a validity of one second: the third would wait two.
    for (const to of ['+12125550101', '+12125550102', '+12125550103'])
      await text(to, { ValidityPeriod: '1', StatusCallback: sink.url });
    advance(1);
    await text('+12125550104', { ValidityPeriod: '1' });
    advance(5);
    await api.reportsPosted();

    // Assess
    expect(statuses()).toEqual(['delivered', 'delivered', 'failed', 'delivered']);
    const failed = api.messages[2];
    expect(failed).toMatchObject({ errorCode: 30036, validityPeriod: 1 });
    expect(failed?.sentAt).toBeUndefined();
    expect(sink.reports.filter((report) => report.sid === failed?.sid)).toEqual([
      { sid: failed?.sid, status: 'failed', errorCode: '30036', signed: true },
    ]);
    // The failed text gave its turn (14:00:02) to the one after it.
    expect(api.messages[3]?.sentAt).toBe('2026-11-26T14:00:02.000Z');
  });

  it("refuses a sender's text past 10 hours of queue (21611); in a Messaging Service it fails (30001)", async () => {
    // Prepare: a queue of two seconds, to keep the test small.
    await start({ messagesPerSecond: 1, maxQueueSeconds: 2 });
    for (const to of ['+12125550101', '+12125550102', '+12125550103']) await text(to);

    // Act
    const refused = await text('+12125550104');
    await post({ To: '+12125550105', MessagingServiceSid: `MG${'0'.repeat(32)}`, Body: 'hi' });
    await post({ To: '+12125550106', MessagingServiceSid: `MG${'0'.repeat(32)}`, Body: 'hi' });
    await post({ To: '+12125550107', MessagingServiceSid: `MG${'0'.repeat(32)}`, Body: 'hi' });
    const overflowing = await post({
      To: '+12125550108',
      MessagingServiceSid: `MG${'0'.repeat(32)}`,
      Body: 'hi',
    });
    advance(0);

    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 21611, status: 400 });
    expect(api.messages.map((message) => message.to)).not.toContain('+12125550104');
    expect(overflowing.status).toBe(201);
    expect(api.messages.at(-1)).toMatchObject({ to: '+12125550108', status: 'failed', errorCode: 30001 });
  });

  it('answers 429 (20429) only above the concurrent requests allowed, never for the rate', async () => {
    // Prepare: at most two requests in flight; a rate of one a second.
    await start({ messagesPerSecond: 1, maxConcurrentRequests: 2 });
    const { port } = new URL(base);

    // Act: ten sends one after another (ten times the rate): all accepted.
    for (let index = 0; index < 10; index++) expect((await text(`+1212555010${index}`)).status).toBe(201);

    // Two requests held open (their bodies not yet sent), then a third.
    const held = [0, 1].map(() => {
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: new URL(base).pathname,
        headers: {
          Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:token`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
      });
      const answered = new Promise<number>((resolve) =>
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }),
      );
      request.write('To=%2B12125550198&');
      return { request, answered };
    });
    while (api.requestsInFlight < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const third = await text('+12125550199');
    for (const { request } of held) request.end(`From=${encodeURIComponent(FROM)}&Body=hi`);

    // Assess
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 20429, status: 429 });
    expect(await Promise.all(held.map(({ answered }) => answered))).toEqual([201, 201]);
    expect((await text('+12125550200')).status).toBe(201);
  });

  it("refuses a ValidityPeriod outside Twilio's 1 to 36,000 seconds (90007)", async () => {
    await start({});
    for (const value of ['0', '36001', '2.5', 'soon']) {
      const answer = await text('+12125550101', { ValidityPeriod: value });
      expect(answer.status, value).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 90007 });
    }
    expect((await text('+12125550101', { ValidityPeriod: '36000' })).status).toBe(201);
  });

  it('still consults the fault rule first: a refused text takes no turn in the queue', async () => {
    await start({ messagesPerSecond: 1 });
    api.failWhen(({ to }) => (to === '+12125550101' ? 503 : undefined));
    expect((await text('+12125550101')).status).toBe(503);
    await text('+12125550102');
    expect(api.messages).toMatchObject([{ to: '+12125550102', status: 'delivered' }]);
  });

  it('receives the ValidityPeriod the Twilio adapter sends', async () => {
    await start({ messagesPerSecond: 1 });
    const sms = new TwilioSms({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      from: FROM,
      apiBaseUrl: base.replace(/\/2010-04-01\/.*$/, ''),
      transport: fetchTransport(0),
    });
    await sms.send({ to: '+12125550101', body: 'hi', validitySeconds: 1799 });
    await sms.send({ to: '+12125550102', body: 'hi' });
    expect(api.messages.map((message) => message.validityPeriod)).toEqual([1799, 36_000]);
  });
});
