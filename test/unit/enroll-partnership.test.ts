import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '#shared/domain/errors.js';
import { limits } from '#shared/domain/limits.js';
import type { ScheduledStep, SchedulerPort } from '#shared/domain/ports.js';
import { enrollPartnership } from '#shared/use-cases/enroll-partnership.js';
import { ADA, BEN } from '../support/members.js';
import { memoryStore } from '../support/memory-store.js';

const NOW = new Date('2026-11-24T14:00:00Z');

/** The use case over the in-memory store and a scheduler that records steps: no server. */
function world() {
  const store = memoryStore();
  const scheduled: ScheduledStep[] = [];
  const scheduler: SchedulerPort = {
    async schedule(step) {
      if ('partnershipId' in step) scheduled.push(step);
    },
    async cancel() {},
  };
  const deps = { store, scheduler, clock: { now: () => NOW } };
  return {
    store,
    scheduled,
    enroll: (input: unknown, options = {}) => enrollPartnership(deps, input, options),
  };
}

describe('enrollPartnership (in memory: the logic, not the storage)', () => {
  it('stores the pair as invited and schedules, for each, the invitation now and its lapse a week on', async () => {
    // Prepare
    const { store, scheduled, enroll } = world();

    // Act
    const { partnership } = await enroll({ members: [ADA, BEN] });

    // Assess
    const found = await store.getPartnership(partnership.id);
    expect(found?.members.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: 'm1', status: 'invited' },
      { id: 'm2', status: 'invited' },
    ]);
    expect(scheduled.map(({ kind, memberId, scheduledTime }) => [kind, memberId, scheduledTime])).toEqual([
      ['invitation_lapse', 'm1', '2026-12-01T14:00:00.000Z'],
      ['invitation', 'm1', '2026-11-24T14:00:00.000Z'],
      ['invitation_lapse', 'm2', '2026-12-01T14:00:00.000Z'],
      ['invitation', 'm2', '2026-11-24T14:00:00.000Z'],
    ]);
    expect(found?.partnership.startedAt).toBeUndefined();
  });

  it('refuses, storing and scheduling nothing, a member whose number opted out of our texts', async () => {
    // Prepare
    const { store, scheduled, enroll } = world();
    await store.suppressPerson('sms', BEN.phone, 'sms_keyword', NOW);

    // Act
    const attempt = enroll({ members: [ADA, BEN] });

    // Assess
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'members.1.phone' }] });
    expect(scheduled).toEqual([]);
    expect(await store.findMembershipsByPhone(ADA.phone)).toEqual([]);
  });

  it('refuses a person already in as many open partnerships as one may be in', async () => {
    // Prepare
    const { enroll } = world();
    for (let n = 0; n < limits.openPartnershipsPerPerson; n++)
      await enroll({ members: [ADA, { ...BEN, phone: `+4479111234${String(n).padStart(2, '0')}` }] });

    // Act
    const attempt = enroll({ members: [ADA, BEN] });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: 'members.0.phone', message: expect.stringMatching(/already in 5 partnerships/) }],
    });
  });

  it('refuses an enrollment that does not parse before it reads the store', async () => {
    const { enroll } = world();

    await expect(enroll({ members: [ADA] })).rejects.toThrow(ValidationError);
  });

  it('starts a partnership whose members all said yes by text: once, check-ins from the next day', async () => {
    // Prepare
    const { store, scheduled, enroll } = world();

    // Act
    const { partnership } = await enroll({ members: [ADA, BEN] }, { joined: true });

    // Assess
    const found = await store.getPartnership(partnership.id);
    expect(found?.partnership.startedAt).toBe(NOW.toISOString());
    expect(found?.members.map((member) => member.status)).toEqual(['active', 'active']);
    expect((await store.history(partnership.id)).events.map((event) => event.kind)).toEqual(['started']);
    expect(scheduled.map(({ kind, memberId }) => [kind, memberId])).toEqual([
      ['check_in', 'm1'],
      ['check_in', 'm2'],
    ]);
    expect(scheduled.map((step) => ('localDate' in step ? step.localDate : undefined))).toEqual([
      '2026-11-25',
      '2026-11-25',
    ]);
  });
});
