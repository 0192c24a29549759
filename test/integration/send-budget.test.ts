import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDispatchHandler } from '#functions/dispatch.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { keys } from '#shared/adapters/dynamodb/table.js';
import { limits } from '#shared/domain/limits.js';
import type { Member } from '#shared/domain/partnership.js';
import { takeFromDailyBudget } from '#shared/use-cases/safety-valves.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import { pairAwaitingReply } from '../support/reply-scenario.js';

/** Everything printed while `act` runs (the logger writes JSON lines to stdout and stderr). */
async function printedWhile(act: () => Promise<unknown>): Promise<string[]> {
  const printed: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }),
  );
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return printed;
}

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
    const now = new Date('2026-11-25T14:00:00Z');
    let taken: boolean[] = [];
    let nextDay = false;

    // Act: 14 texts at once, then one the next day.
    const printed = await printedWhile(async () => {
      taken = await Promise.all(
        Array.from({ length: 14 }, () => takeFromDailyBudget(servers.store, now, budget)),
      );
      nextDay = await takeFromDailyBudget(servers.store, new Date('2026-11-26T00:00:01Z'), budget);
    });
    const alerts = printed.filter((line) => line.includes('sms daily budget alert'));

    // Assess
    expect(taken.filter(Boolean)).toHaveLength(budget);
    expect(alerts).toHaveLength(1);
    expect(nextDay).toBe(true);
  });

  it('scheduled check-ins at once across the 80 % line through the step’s turn: no counter overshot, one alert', async () => {
    // Prepare: 2 texts left under the alert share, 3 after it, and 8 check-ins due at once (another day).
    clock.set(new Date('2026-11-27T14:00:00Z'));
    const day = '2026-11-27';
    const beforeAlert = Math.floor(limits.textsPerDeploymentPerDay * limits.budgetAlertShare);
    const rest = limits.textsPerDeploymentPerDay - beforeAlert;
    const TableName = servers.dynamoDb.tableName;
    for (const [key, used] of [
      [`sms-budget#${day}`, beforeAlert - 2],
      [`sms-budget-rest#${day}`, rest - 3],
    ] as const)
      await servers.store.db.send(
        new PutCommand({ TableName, Item: { ...keys.quota(key), entity: 'quota', v: 1, used } }),
      );
    const members: Member[] = [];
    for (let index = 300; index < 308; index++) members.push(await pairAwaitingReply(servers, index));
    const dispatch = createDispatchHandler(async () => ({ ...servers, clock }));

    // Act
    const printed = await printedWhile(() =>
      Promise.all(members.map((member) => dispatch(checkInStep(member, '2026-11-28')))),
    );

    // Assess
    const phones = new Set(members.map((member) => member.phone));
    const texts = servers.twilioApi.messages.filter((message) => phones.has(message.to));
    const used = async (key: string) =>
      (await servers.store.db.send(new GetCommand({ TableName, Key: keys.quota(key) }))).Item?.used;
    expect(texts).toHaveLength(5);
    expect(await used(`sms-budget#${day}`)).toBe(beforeAlert);
    expect(await used(`sms-budget-rest#${day}`)).toBe(rest);
    expect(printed.filter((line) => line.includes('sms daily budget alert'))).toHaveLength(1);
  });
});
