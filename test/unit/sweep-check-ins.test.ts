import { describe, expect, it } from 'vitest';
import type { CheckIn, Member, Partnership } from '#shared/domain/partnership.js';
import type { ScheduledStep } from '#shared/domain/ports.js';
import { sweepCheckIns } from '#shared/use-cases/sweep-check-ins.js';

const member = (id: string, overrides: Partial<Member> = {}): Member => ({
  id,
  partnershipId: 'p1',
  status: 'active',
  name: 'Ada',
  phone: '+12125550101',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
  cadence: 'daily',
  checkInBy: 'sms',
  ...overrides,
});

/** A store of one or more partnerships and their latest check-ins, and a scheduler that records names. */
function world(
  partnerships: Array<{ partnership: Partnership; members: Member[] }>,
  latest: Record<string, string> = {},
) {
  const scheduled: ScheduledStep[] = [];
  const deps = {
    store: {
      partnershipsWithActiveMembers: async () =>
        partnerships.filter((p) => p.members.some((m) => m.status === 'active')).map((p) => p.partnership.id),
      getPartnership: async (id: string) => partnerships.find((p) => p.partnership.id === id),
      latestCheckIn: async (_partnershipId: string, memberId: string) =>
        latest[memberId] ? ({ localDate: latest[memberId] } as CheckIn) : undefined,
    },
    scheduler: {
      schedule: async (step: ScheduledStep) => {
        scheduled.push(step);
      },
      cancel: async () => {},
    },
    clock: { now: () => new Date('2026-10-07T12:00:00Z') },
  };
  return { deps, scheduled };
}

const partnership = (startedAt?: string): Partnership => ({
  id: 'p1',
  createdAt: '2026-10-05T12:00:00Z',
  graceTokensPerMonth: 2,
  channels: ['sms'],
  ...(startedAt ? { startedAt } : {}),
});

describe('sweepCheckIns', () => {
  it("schedules the check-in that should be pending for each active member: today's if still ahead", async () => {
    // Prepare: 12:00 UTC is 08:00 in New York, before Ada's 08:30; Ben's 19:00 London is ahead too.
    const { deps, scheduled } = world([
      {
        partnership: partnership('2026-10-05T12:00:00Z'),
        members: [member('m1'), member('m2', { timezone: 'Europe/London', checkInTime: '19:00' })],
      },
    ]);

    // Act
    const outcome = await sweepCheckIns(deps);

    // Assess
    expect(outcome).toEqual({ partnerships: 1, members: 2 });
    expect(scheduled.map((step) => [step.scheduleName, step.scheduledTime])).toEqual([
      ['ci-p1-m1-20261007-0830', '2026-10-07T12:30:00.000Z'],
      ['ci-p1-m2-20261007-1900', '2026-10-07T18:00:00.000Z'],
    ]);
  });

  it('never schedules a second check-in on a day one was already sent, nor on the day of the start', async () => {
    const { deps, scheduled } = world(
      [
        { partnership: partnership('2026-10-05T12:00:00Z'), members: [member('m1')] },
        {
          partnership: { ...partnership('2026-10-07T11:00:00Z'), id: 'p2' },
          members: [member('m3', { partnershipId: 'p2' })],
        },
      ],
      { m1: '2026-10-07' },
    );

    await sweepCheckIns(deps);

    // Partnerships are swept a few at a time: compare as a set.
    expect(scheduled.map((step) => step.scheduleName).sort()).toEqual([
      'ci-p1-m1-20261008-0830',
      'ci-p2-m3-20261008-0830',
    ]);
  });

  it('leaves invited partnerships, paused and opted-out members alone, and keeps a weekdays cadence', async () => {
    const { deps, scheduled } = world([
      { partnership: { ...partnership(), id: 'p0' }, members: [member('m0', { partnershipId: 'p0' })] },
      {
        partnership: partnership('2026-10-05T12:00:00Z'),
        members: [
          member('m1', { status: 'paused' }),
          member('m2', { status: 'opted_out' }),
          // Friday 9 October at 12:00 UTC is past 07:00 in New York: the next weekday is Monday 12.
          member('m3', { cadence: 'weekdays', checkInTime: '07:00' }),
        ],
      },
    ]);
    deps.clock.now = () => new Date('2026-10-09T12:00:00Z');

    await sweepCheckIns(deps);

    expect(scheduled.map((step) => step.scheduleName)).toEqual(['ci-p1-m3-20261012-0700']);
  });
});
