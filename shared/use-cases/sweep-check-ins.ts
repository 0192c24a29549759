import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { Clock } from '#shared/domain/clock.js';
import type { SchedulerPort, StorePort } from '#shared/domain/ports.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import { scheduleCheckIn } from './schedule-check-in.js';

export interface SweepDeps {
  store: Pick<StorePort, 'partnershipsWithActiveMembers' | 'getPartnership' | 'latestCheckIn'>;
  scheduler: SchedulerPort;
  clock: Clock;
}

/** Partnerships swept at once. */
export const SWEEP_CONCURRENCY = 16;

export interface SweepOutcome {
  /** Partnerships looked at (those with an active member). */
  readonly partnerships: number;
  /** Active members of started partnerships whose next check-in was (re)scheduled. */
  readonly members: number;
}

/**
 * The self-healing sweep. Primary course: for every active member of a started partnership, schedule
 * their next check-in, the one that should be pending now. Schedule names are deterministic and creating
 * one that exists is not an error, so a pending check-in is left as it is and only a missing one (a deleted
 * schedule, a step that dead-lettered) comes back. A check-in already sent today is not sent again: the
 * next one is then tomorrow's, as after a TIME change; and the first check-in stays the day after the start.
 */
export async function sweepCheckIns(deps: SweepDeps): Promise<SweepOutcome> {
  const now = deps.clock.now();
  const ids = await deps.store.partnershipsWithActiveMembers();
  let members = 0;
  const sweepOne = async (id: string) => {
    const found = await deps.store.getPartnership(id);
    const { startedAt } = found?.partnership ?? {};
    // Invited partnerships have no check-ins yet: the last YES starts them.
    if (!found || !startedAt) return;
    for (const member of found.members) {
      if (member.status !== 'active') continue;
      const today = localDateOf(now, member.timezone);
      const latest = await deps.store.latestCheckIn(member.partnershipId, member.id);
      // As the chain would: the first check-in is the day after the start, and one a day at most.
      const notToday =
        latest?.localDate === today || localDateOf(new Date(startedAt), member.timezone) === today;
      await scheduleCheckIn(deps.scheduler, member, nextCheckInDate(member, now, { notToday }));
      members += 1;
    }
  };
  // A few partnerships at a time: each is a handful of sequential calls, so the sweep of thousands of
  // members fits the sender's timeout (docs/scale.md has where this stops being enough).
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next];
      next += 1;
      if (id !== undefined) await sweepOne(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, ids.length) }, worker));
  return { partnerships: ids.length, members };
}
