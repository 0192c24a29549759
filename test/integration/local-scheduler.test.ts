import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalClockDriver } from '#local/clock-driver.js';
import { VirtualClock } from '#local/virtual-clock.js';
import type { ScheduledStep } from '#shared/domain/ports.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';

const step = (name: string, at: string): ScheduledStep => ({
  version: 1,
  kind: 'check_in',
  partnershipId: 'p0000000000a',
  memberId: 'm1',
  localDate: at.slice(0, 10),
  scheduleName: name,
  scheduledTime: at,
});

describe('the local scheduler on a virtual clock', () => {
  let servers: TestServers;
  let clock: VirtualClock;

  beforeEach(async () => {
    clock = new VirtualClock(new Date('2026-10-06T00:00:00Z'));
    servers = await startTestServers({ name: 'scheduler', clock, twilioAuthToken: 'token' });
  });
  afterEach(async () => {
    await servers.close();
  });

  const schedule = (name: string, at: string) =>
    servers.scheduler.schedule(step(name, at), { localDateTime: at.slice(0, 19), timezone: 'UTC' });

  it('fires every due schedule in due order, at its own time, and deletes it after', async () => {
    const seen: string[] = [];
    const driver = new LocalClockDriver(clock, servers.scheduler, async (event: SQSEvent) => {
      seen.push(`${JSON.parse(event.Records[0]?.body ?? '{}').scheduleName}@${clock.now().toISOString()}`);
      return { batchItemFailures: [] };
    });
    await schedule('b', '2026-10-06T09:00:00.000Z');
    await schedule('a', '2026-10-06T08:00:00.000Z');
    await schedule('later', '2026-10-07T08:00:00.000Z');
    const result = await driver.advanceTo(new Date('2026-10-06T12:00:00Z'));
    expect(seen).toEqual(['a@2026-10-06T08:00:00.000Z', 'b@2026-10-06T09:00:00.000Z']);
    expect(result.now).toBe('2026-10-06T12:00:00.000Z');
    expect((await servers.scheduler.pending()).map((pending) => pending.name)).toEqual(['later']);
  });

  it('retries a failing step and delivers it when a later attempt succeeds', async () => {
    let attempts = 0;
    const driver = new LocalClockDriver(
      clock,
      servers.scheduler,
      async (event): Promise<SQSBatchResponse> => {
        attempts += 1;
        return {
          batchItemFailures: attempts < 3 ? [{ itemIdentifier: event.Records[0]?.messageId ?? '' }] : [],
        };
      },
    );
    await schedule('flaky', '2026-10-06T08:00:00.000Z');
    const result = await driver.advanceTo(new Date('2026-10-06T12:00:00Z'));
    expect(attempts).toBe(3);
    expect(result.fired.map((fired) => fired.outcome)).toEqual(['delivered']);
    expect(driver.deadLetters).toEqual([]);
  });

  it('dead-letters a step that keeps failing, with the reason, and loses nothing', async () => {
    const driver = new LocalClockDriver(clock, servers.scheduler, async () => {
      throw new Error('Twilio answered 500');
    });
    await schedule('broken', '2026-10-06T08:00:00.000Z');
    const result = await driver.advanceTo(new Date('2026-10-06T12:00:00Z'));
    expect(result.fired.map((fired) => fired.outcome)).toEqual(['dead_lettered']);
    expect(driver.deadLetters).toHaveLength(1);
    expect(driver.deadLetters[0]).toMatchObject({ name: 'broken', reason: 'Error: Twilio answered 500' });
    expect(JSON.parse(driver.deadLetters[0]?.payload ?? '{}').scheduleName).toBe('broken');
  });

  it('cancels a pending schedule so it never fires', async () => {
    let fired = 0;
    const driver = new LocalClockDriver(clock, servers.scheduler, async () => {
      fired += 1;
      return { batchItemFailures: [] };
    });
    await schedule('cancelled', '2026-10-06T08:00:00.000Z');
    await servers.scheduler.cancel('cancelled');
    await driver.advanceTo(new Date('2026-10-06T12:00:00Z'));
    expect(fired).toBe(0);
  });
});
