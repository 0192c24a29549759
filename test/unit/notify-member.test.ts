import { describe, expect, it } from 'vitest';
import type { Member } from '#shared/domain/partnership.js';
import type { ScheduledStep, SchedulerPort } from '#shared/domain/ports.js';
import { NEWS_SPACING_MINUTES, notifyMember } from '#shared/use-cases/notify.js';
import { BEN } from '../support/members.js';
import { memoryStore } from '../support/memory-store.js';

/** Ben in London (UTC in November), quiet from 21:00 to 07:00; no server: the store is in memory. */
const ben: Member = {
  ...BEN,
  id: 'm2',
  partnershipId: 'p1',
  status: 'active',
  cadence: 'daily',
  checkInBy: 'sms',
};

function world() {
  const scheduled: Array<{ step: ScheduledStep; timezone: string }> = [];
  const scheduler: SchedulerPort = {
    async schedule(step, wallClock) {
      if ('partnershipId' in step) scheduled.push({ step, timezone: wallClock.timezone });
    },
    async cancel() {},
  };
  const deps = { store: memoryStore(), scheduler };
  const notify = (at: string, cause: string) =>
    notifyMember(deps, ben, 'board', { board: 'a quiet hour' }, cause, new Date(at));
  return { notify, scheduled };
}

describe('notifyMember (in memory: the spacing and quiet-hours logic)', () => {
  it('texts at once, then keeps the next partner text an hour after the last', async () => {
    // Prepare
    const { notify, scheduled } = world();

    // Act
    const first = await notify('2026-11-25T14:00:00Z', 'SM1');
    const second = await notify('2026-11-25T14:10:00Z', 'SM2');
    const third = await notify('2026-11-25T17:00:00Z', 'SM3');

    // Assess
    expect(NEWS_SPACING_MINUTES).toBe(60);
    expect([first, second, third].map((at) => at.toISOString())).toEqual([
      '2026-11-25T14:00:00.000Z',
      '2026-11-25T15:00:00.000Z',
      '2026-11-25T17:00:00.000Z',
    ]);
    expect(scheduled.map(({ step }) => step.scheduledTime)).toEqual([
      '2026-11-25T14:00:00.000Z',
      '2026-11-25T15:00:00.000Z',
      '2026-11-25T17:00:00.000Z',
    ]);
    expect(scheduled.every(({ timezone }) => timezone === 'UTC')).toBe(true);
  });

  it('waits for the end of quiet hours, also when the hour of spacing pushes a text into them', async () => {
    // Prepare
    const { notify } = world();

    // Act
    const evening = await notify('2026-11-25T20:30:00Z', 'SM1');
    const pushedIntoNight = await notify('2026-11-25T20:35:00Z', 'SM2');
    const atNight = await notify('2026-11-25T23:00:00Z', 'SM3');

    // Assess
    expect(evening.toISOString()).toBe('2026-11-25T20:30:00.000Z');
    expect(pushedIntoNight.toISOString()).toBe('2026-11-26T07:00:00.000Z');
    expect(atNight.toISOString()).toBe('2026-11-26T08:00:00.000Z');
  });

  it('names the schedule after its cause: the same message redelivered schedules the same text', async () => {
    // Prepare
    const { notify, scheduled } = world();

    // Act
    await notify('2026-11-25T14:00:00Z', 'SMsame');
    await notify('2026-11-25T14:00:00Z', 'SMsame');
    await notify('2026-11-25T14:00:00Z', 'SMother');

    // Assess
    const [once, redelivered, other] = scheduled.map(({ step }) => step.scheduleName);
    expect(once).toBe(redelivered);
    expect(other).not.toBe(once);
    expect(once).toMatch(/^nt-p1-m2-[0-9a-f]{16}$/);
    expect(scheduled[0]?.step).toMatchObject({ kind: 'notify', template: 'board', memberId: 'm2' });
  });
});
