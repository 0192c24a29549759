import { isoWeekday } from './calendar.js';
import type { Member } from './partnership.js';
import { localDateOf, nextLocalDate, wallClockInstant } from './trial-plan.js';

/** Whether the member's cadence has a check-in on a local date (weekdays: Monday to Friday). */
export function isCheckInDay(member: Pick<Member, 'cadence'>, localDate: string): boolean {
  return member.cadence !== 'weekdays' || isoWeekday(localDate) <= 5;
}

/** The next local date after `localDate` with a check-in in the member's cadence. */
export function followingCheckInDate(member: Pick<Member, 'cadence'>, localDate: string): string {
  let date = nextLocalDate(localDate);
  while (!isCheckInDay(member, date)) date = nextLocalDate(date);
  return date;
}

/** The first check-in date after `now`: today if the member's time is still ahead, else tomorrow. */
export function nextCheckInDate(member: Member, now: Date, { notToday = false } = {}): string {
  const today = localDateOf(now, member.timezone);
  const todayStillAhead = wallClockInstant(today, member.checkInTime, member.timezone) > now;
  if (!notToday && todayStillAhead && isCheckInDay(member, today)) return today;
  return followingCheckInDate(member, today);
}
