import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

interface Schedules {
  schedules: Array<{ name: string; dueAt: string }>;
  sweeps: { count: number; last?: string };
}

describe('the hourly sweep restores missing check-in schedules (local virtual clock)', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  const schedules = async (): Promise<Schedules> =>
    (await (await fetch(`${stack.url}/local/schedules`)).json()) as Schedules;
  /** Ada's (New York, 08:30) Day-1 check-in: `ci-<partnership>-<member>-20261006-0830`. */
  const adasDayOne = (list: Schedules) => list.schedules.find((each) => each.name.endsWith('-20261006-0830'));

  beforeAll(async () => {
    // Prepare: a started partnership, its Day-1 check-ins pending.
    stack = await startTestStack('2026-10-05T12:00:00Z', { sweepEveryMinutes: 60 });
    expect((await stack.enroll({ members: [ADA, BEN] })).status).toBe(201);
    await stack.text(ADA.phone, 'YES');
    await stack.text(BEN.phone, 'YES');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('lists the pending check-ins, and deletes one as an operator (or a failed deploy) might', async () => {
    const before = adasDayOne(await schedules());
    expect(before).toMatchObject({ dueAt: '2026-10-06T12:30:00.000Z' });

    const deleted = await fetch(`${stack.url}/local/schedules/${before?.name}`, { method: 'DELETE' });

    expect(deleted.status).toBe(204);
    expect(adasDayOne(await schedules())).toBeUndefined();
  });

  it('schedules it again at the next sweep, under the same name, and leaves the others as they were', async () => {
    const othersBefore = (await schedules()).schedules;

    // Act: the sweep fires on the hour of virtual time.
    await stack.advance({ minutes: 60 });

    // Assess
    const after = await schedules();
    expect(after.sweeps.count).toBe(1);
    expect(after.sweeps.last).toBe('2026-10-05T13:00:00.000Z');
    expect(adasDayOne(after)).toMatchObject({ dueAt: '2026-10-06T12:30:00.000Z' });
    // Idempotent: what was pending is still pending, once; nothing else appeared.
    const names = after.schedules.map((each) => each.name);
    expect(new Set(names).size).toBe(names.length);
    expect(after.schedules.filter((each) => !each.name.endsWith('-20261006-0830'))).toEqual(othersBefore);
  });

  it('so the member gets that check-in on time, once', async () => {
    await stack.advance({ to: '2026-10-06T13:00:00Z' });

    const checkIns = (await stack.outbox()).sms.filter(
      (message) => message.to === ADA.phone && /^Day 1 of 14/i.test(message.body),
    );
    expect(checkIns.map((message) => message.at)).toEqual(['2026-10-06T12:30:00.000Z']);
  });
});
