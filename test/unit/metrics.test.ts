import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import type { SmsPort, StorePort } from '#shared/domain/ports.js';
import type { HttpEvent } from '#shared/runtime/http.js';
import { httpHandler } from '#shared/runtime/http-handler.js';
import { countedSms, countedStore, METRIC, withMetrics } from '#shared/runtime/metrics.js';
import { inboundMetrics } from '#shared/runtime/twilio-webhook.js';
import type { InboundOutcome } from '#shared/use-cases/handle-inbound-sms.js';

/** The metric values an invocation has gathered so far, by name (from the embedded metric format). */
function counted(sink: Metrics): Record<string, unknown> {
  const emf = sink.serializeMetrics() as unknown as Record<string, unknown>;
  const names = ['SmsSent', 'SmsSendFailures', 'GraceSpent', 'OptOuts', 'Errors'];
  // A metric added twice in one invocation is an array of values; CloudWatch sums them.
  const total = (value: unknown) =>
    Array.isArray(value) ? value.reduce((sum, each) => sum + each, 0) : value;
  return Object.fromEntries(names.filter((name) => name in emf).map((name) => [name, total(emf[name])]));
}

const sink = () => new Metrics({ namespace: 'Test', serviceName: 'test' });

describe('business metrics at the ports', () => {
  it('counts texts sent and failed sends, and still lets the failure through', async () => {
    // Prepare
    const metrics = sink();
    let calls = 0;
    const sms: SmsPort = {
      send: async () => {
        calls += 1;
        if (calls === 3) throw new Error('Twilio 500');
        return { sid: `SM${calls}` };
      },
      findSent: async ({ to }) => (to === '+12125550101' ? { sid: 'SM-found' } : undefined),
    };
    const counting = countedSms(sms, metrics);

    // Act
    await counting.send({ to: '+1', body: 'a' });
    await counting.send({ to: '+1', body: 'b' });
    const failure = counting.send({ to: '+1', body: 'c' });

    // Assess
    await expect(failure).rejects.toThrow('Twilio 500');
    expect(counted(metrics)).toEqual({ [METRIC.smsSent]: 2, [METRIC.smsSendFailures]: 1 });
    // The look-up of a text already sent passes through, and counts nothing.
    expect(await counting.findSent({ to: '+12125550101', body: 'a', since: new Date(0) })).toEqual({
      sid: 'SM-found',
    });
    expect(counted(metrics)).toEqual({ [METRIC.smsSent]: 2, [METRIC.smsSendFailures]: 1 });
  });

  it('counts a grace token only when one was spent, and an opt-out only for opted_out', async () => {
    // Prepare
    const metrics = sink();
    const left = [1, undefined];
    const store = {
      spendGraceToken: vi.fn(async () => left.shift()),
      setMemberStatus: vi.fn(async () => undefined),
    } as unknown as StorePort;
    const counting = countedStore(store, metrics);

    // Act
    await counting.spendGraceToken('p', 'm1', '2026-11', 2);
    await counting.spendGraceToken('p', 'm1', '2026-11', 2);
    await counting.setMemberStatus('p', 'm1', 'active', new Date());
    await counting.setMemberStatus('p', 'm1', 'opted_out', new Date());

    // Assess
    expect(counted(metrics)).toEqual({ [METRIC.graceSpent]: 1, [METRIC.optOuts]: 1 });
    expect(store.setMemberStatus).toHaveBeenCalledTimes(2);
  });

  it("counts a text's reply, and the opt-out or grace token its turn applied, once; a redelivery nothing", async () => {
    // Prepare
    const metrics = sink();
    const outcomes: InboundOutcome[] = [
      { result: 'handled', replies: ['You are unsubscribed.'], intents: ['stop'], effects: ['opted_out'] },
      {
        result: 'handled',
        replies: ['Grace spent.'],
        intents: ['grace'],
        memberId: 'm1',
        effects: ['grace_spent'],
      },
      { result: 'handled', replies: ['None left.'], intents: ['grace'], memberId: 'm1' },
      { result: 'duplicate', replies: [] },
    ];
    const handler = httpHandler(async () => ({ metrics }), {
      parse: () => undefined,
      run: async () => outcomes.shift() ?? { result: 'duplicate', replies: [] },
      metric: inboundMetrics,
      respond: () => ({ statusCode: 200 }),
    });

    // Act
    for (let reply = 0; reply < 4; reply++) await handler({} as HttpEvent);

    // Assess
    expect(counted(metrics)).toEqual({ [METRIC.graceSpent]: 1, [METRIC.optOuts]: 1 });
    expect(metrics.serializeMetrics()).toMatchObject({ [METRIC.repliesHandled]: [1, 1, 1] });
  });

  it('publishes after every invocation and counts one that threw as an error', async () => {
    // Prepare
    const metrics = sink();
    const published = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const handler = withMetrics(async (fail: boolean) => {
      if (fail) throw new Error('boom');
      return 'ok';
    }, metrics);

    // Act
    const ok = await handler(false);
    const failed = handler(true);

    // Assess
    expect(ok).toBe('ok');
    await expect(failed).rejects.toThrow('boom');
    expect(published).toHaveBeenCalledTimes(2);
    expect(counted(metrics)).toEqual({ [METRIC.errors]: 1 });
  });
});
