import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatchHandler, createSendQueueHandler } from '#functions/dispatch.js';
import { VirtualClock } from '#local/virtual-clock.js';
import type { Member } from '#shared/domain/partnership.js';
import type { DispatchDeps } from '#shared/use-cases/dispatch/index.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';

const member: Member = {
  id: 'm1',
  partnershipId: 'p0000000000a',
  name: 'Ada',
  phone: '+12125550101',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
  cadence: 'daily',
  checkInBy: 'sms',
  status: 'active',
};
const partner: Member = {
  ...member,
  id: 'm2',
  name: 'Ben',
  phone: '+447911123456',
  timezone: 'Europe/London',
};

describe('scheduled dispatch', () => {
  let servers: TestServers;
  let clock: VirtualClock;
  let deps: DispatchDeps;

  beforeEach(async () => {
    // Prepare: real adapters over DynamoDB Local and the Twilio-compatible SMS API.
    clock = new VirtualClock(new Date('2026-10-06T12:30:00Z'));
    servers = await startTestServers({ name: 'dispatch', clock, twilioAuthToken: 'token' });
    await servers.store.createPartnership(
      {
        id: member.partnershipId,
        createdAt: '2026-10-05T12:00:00.000Z',
        graceTokensPerMonth: 2,
        channels: ['sms'],
      },
      [member, partner],
    );
    deps = {
      store: servers.store,
      sms: servers.sms,
      scheduler: servers.scheduler,
      clock,
      email: servers.email,
      emailSettings: servers.emailSettings,
    };
  });
  afterEach(async () => {
    await servers.close();
  });

  it('sends one check-in when the same schedule and scheduled time arrive five times in a row', async () => {
    const handler = createDispatchHandler(async () => deps);
    const step = checkInStep(member, '2026-10-06');
    const outcomes = [];
    for (let delivery = 0; delivery < 5; delivery++) outcomes.push((await handler(step)).outcome);
    expect(outcomes).toEqual(['sent', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(servers.twilioApi.messages.filter((message) => message.to === member.phone)).toHaveLength(1);
  });

  it('sends one check-in when five deliveries arrive at once', async () => {
    const handler = createDispatchHandler(async () => deps);
    const step = checkInStep(member, '2026-10-06');
    // The deliveries that find the step claimed are refused (the queue retries them after the lease).
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => handler(step)));
    const sent = settled.filter((each) => each.status === 'fulfilled' && each.value.outcome === 'sent');
    const refused = settled.flatMap((each) =>
      each.status === 'rejected' ? [(each.reason as Error).name] : [],
    );
    expect(sent).toHaveLength(1);
    expect(refused.every((name) => name === 'ClaimInProgressError')).toBe(true);
    expect(servers.twilioApi.messages).toHaveLength(1);
    expect((await handler(step)).outcome).toBe('duplicate');
  });

  it('sends nothing for a step whose time is no longer the member’s check-in time (a TIME change replaced it)', async () => {
    const handler = createDispatchHandler(async () => deps);
    const stale = { ...checkInStep(member, '2026-10-06'), scheduledTime: '2026-10-06T12:45:00.000Z' };
    expect((await handler(stale)).outcome).toBe('skipped');
    expect(servers.twilioApi.messages).toHaveLength(0);
  });

  it('sends one check-in a day when a TIME change races the old time’s step: the new time’s step sends nothing', async () => {
    // Prepare: the 08:30 step read the member before the change to 09:00 and sent today's check-in.
    const handler = createDispatchHandler(async () => deps);
    expect((await handler(checkInStep(member, '2026-10-06'))).outcome).toBe('sent');
    await servers.store.updateMember(member.partnershipId, member.id, { checkInTime: '09:00' });
    clock.set(new Date('2026-10-06T13:00:00Z'));

    // Act: the change also scheduled 09:00 today (it had not seen the check-in yet).
    const outcome = (await handler(checkInStep({ ...member, checkInTime: '09:00' }, '2026-10-06'))).outcome;

    // Assess
    expect(outcome).toBe('skipped');
    expect(servers.twilioApi.messages.filter((message) => message.to === member.phone)).toHaveLength(1);
  });

  it('schedules the next local day after sending, at the member’s local time', async () => {
    const handler = createDispatchHandler(async () => deps);
    await handler(checkInStep(member, '2026-10-06'));
    expect(await servers.scheduler.pending()).toEqual([
      { name: 'ci-p0000000000a-m1-20261007-0830', dueAt: '2026-10-07T12:30:00.000Z' },
    ]);
  });

  it('releases the step when the SMS provider fails, so a redelivery sends it', async () => {
    const failing: DispatchDeps = {
      ...deps,
      sms: {
        ...deps.sms,
        send: async () => {
          throw new Error('Twilio answered 500');
        },
      },
    };
    const step = checkInStep(member, '2026-10-06');
    await expect(createDispatchHandler(async () => failing)(step)).rejects.toThrow('Twilio answered 500');
    expect((await createDispatchHandler(async () => deps)(step)).outcome).toBe('sent');
    expect(servers.twilioApi.messages).toHaveLength(1);
  });

  it('sends nothing to a member who opted out, and ends their chain', async () => {
    await servers.store.setMemberStatus(member.partnershipId, member.id, 'opted_out', clock.now());
    const outcome = await createDispatchHandler(async () => deps)(checkInStep(member, '2026-10-06'));
    expect(outcome.outcome).toBe('skipped');
    expect(servers.twilioApi.messages).toHaveLength(0);
    expect(await servers.scheduler.pending()).toEqual([]);
  });

  it('rejects a payload of an unknown version', async () => {
    const step = { ...checkInStep(member, '2026-10-06'), version: 2 };
    await expect(createDispatchHandler(async () => deps)(step)).rejects.toThrow();
    expect(servers.twilioApi.messages).toHaveLength(0);
  });

  it('reports only the failed message of a send-queue batch, and sends the others', async () => {
    const record = (messageId: string, body: unknown) => ({
      messageId,
      receiptHandle: messageId,
      body: JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'scheduler',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:soft-partner-dev-send',
      awsRegion: 'eu-west-1',
    });
    const response = await createSendQueueHandler(async () => deps)({
      Records: [
        record('good', checkInStep(member, '2026-10-06')),
        record('poison', { ...checkInStep(partner, '2026-10-06'), version: 9 }),
      ],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    expect(servers.twilioApi.messages.map((message) => message.to)).toEqual([member.phone]);
  });
});
