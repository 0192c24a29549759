import type { Clock } from '../domain/clock.js';
import type { SchedulerPort, StorePort } from '../domain/ports.js';
import { localDateOf } from '../domain/trial-plan.js';
import { nextCheckInDate, scheduleCheckIn } from './schedule-check-in.js';

export interface SweepDeps {
  store: Pick<StorePort, 'partnershipsWithActiveMembers' | 'getPartnership' | 'latestCheckIn'>;
  scheduler: SchedulerPort;
  clock: Clock;
}

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
  for (const id of ids) {
    const found = await deps.store.getPartnership(id);
    // Invited partnerships have no check-ins yet: the last YES starts them.
    const { startedAt } = found?.partnership ?? {};
    if (!found || !startedAt) continue;
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
  }
  return { partnerships: ids.length, members };
}
