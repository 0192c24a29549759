import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTwilioApi } from '#local/twilio-api.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { TwilioSms } from '#shared/adapters/twilio-sms.js';
import { secondsBetweenSends, senderConcurrency } from '../../infra/config.js';

const ACCOUNT_SID = `AC${'0'.repeat(31)}9`;

describe('a sender instance keeps its pace (secondsBetweenSends)', () => {
  let api: LocalTwilioApi;
  let port: number;
  const startedAt: number[] = [];

  beforeEach(async () => {
    api = new LocalTwilioApi({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      clock: new VirtualClock(new Date()),
    });
    port = await api.listen(0);
    startedAt.length = 0;
    // Every send that reaches the API, with when it arrived.
    api.failWhen(() => {
      startedAt.push(performance.now());
      return undefined;
    });
  });
  afterEach(() => api.close());

  const sms = (pace?: number) =>
    new TwilioSms({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      from: '+15005550006',
      apiBaseUrl: `http://127.0.0.1:${port}`,
      ...(pace ? { secondsBetweenSends: pace } : {}),
    });

  it('starts each send at least secondsBetweenSends after the one before, including overlapping calls', async () => {
    // Prepare
    const sender = sms(0.15);
    const began = performance.now();

    // Act: three sends asked for at once, then one more.
    await Promise.all(
      ['+12125550101', '+12125550102', '+12125550103'].map((to) => sender.send({ to, body: 'hi' })),
    );
    await sender.send({ to: '+12125550104', body: 'hi' });

    // Assess: all four went, once each, and the fourth could not start before 3 × 150 ms had passed (a
    // timer never fires early; when each request reaches the API also varies with the connection).
    expect(api.messages.map((message) => message.to)).toEqual([
      '+12125550101',
      '+12125550102',
      '+12125550103',
      '+12125550104',
    ]);
    expect((startedAt[3] ?? 0) - began).toBeGreaterThanOrEqual(3 * 150 - 1);
  });

  it('is sized so the senders the stack runs hand the provider its rate, no more on average', () => {
    for (const mps of [1, 10, 50, 225])
      expect(senderConcurrency(mps) / secondsBetweenSends(mps)).toBeCloseTo(mps, 9);
  });

  it('lets a burst of sends start at once after a pause, then keeps the pace', async () => {
    // Prepare: 150 ms apart on average, three at once.
    const sender = new TwilioSms({
      accountSid: ACCOUNT_SID,
      authToken: 'token',
      from: '+15005550006',
      apiBaseUrl: `http://127.0.0.1:${port}`,
      secondsBetweenSends: 0.15,
      burst: 3,
    });
    const began = performance.now();

    // Act: five sends asked for at once.
    await Promise.all(
      ['+12125550101', '+12125550102', '+12125550103', '+12125550104', '+12125550105'].map((to) =>
        sender.send({ to, body: 'hi' }),
      ),
    );

    // Assess: all five went; the fifth could not start before 2 × 150 ms (the burst took the first three).
    expect(api.messages).toHaveLength(5);
    expect((startedAt[4] ?? 0) - began).toBeGreaterThanOrEqual(2 * 150 - 1);
  });
});
