import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.js';
import { takeFromDailyBudget } from '#shared/use-cases/safety-valves.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';

describe("the deployment's daily send budget (against the local DynamoDB)", () => {
  let servers: TestServers;
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));

  beforeAll(async () => {
    servers = await startTestServers({ name: 'budget', clock, twilioAuthToken: 'test-token' });
  });
  afterAll(async () => {
    await servers.close();
  });

  it('allows the budget, warns once at 80 %, refuses the rest of the day, and starts again the next day', async () => {
    // Prepare
    const budget = 10;
    const printed: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      }),
    );
    const now = new Date('2026-11-25T14:00:00Z');

    // Act: 14 texts at once, then one the next day.
    const taken = await Promise.all(
      Array.from({ length: 14 }, () => takeFromDailyBudget(servers.store, now, budget)),
    );
    const nextDay = await takeFromDailyBudget(servers.store, new Date('2026-11-26T00:00:01Z'), budget);
    for (const spy of spies) spy.mockRestore();
    const alerts = printed.filter((line) => line.includes('sms daily budget alert'));

    // Assess
    expect(taken.filter(Boolean)).toHaveLength(budget);
    expect(alerts).toHaveLength(1);
    expect(nextDay).toBe(true);
  });
});
