import { localMs, resolveWallClock, startOfLocalDay, timeOf, zoned } from './calendar.js';

/** By default nobody is texted between 21:00 and 07:00 their time. */
export const DEFAULT_QUIET_HOURS = { start: '21:00', end: '07:00' } as const;

export interface QuietHours {
  start: string;
  end: string;
}

const minutesOf = (time: string) => {
  const [hour, minute] = time.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
};

/** Whether a local wall-clock time falls inside quiet hours (which may wrap past midnight). */
export function isQuietTime(time: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  // An explicit undefined (a member who never chose) means the defaults too.
  const [at, start, end] = [minutesOf(time), minutesOf(quiet.start), minutesOf(quiet.end)];
  return start <= end ? at >= start && at < end : at >= start || at < end;
}

/** The first instant at or after `at` that is outside the member's quiet hours. */
export function outsideQuietHours(at: Date, timezone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const now = zoned(at, timezone);
  if (!isQuietTime(timeOf(localMs(now)), quiet)) return at;
  const [hour, minute] = quiet.end.split(':').map(Number);
  // Today's end of quiet hours, an ambiguous or skipped time resolved from the offset now in force.
  const today = startOfLocalDay(localMs(now)) + (hour ?? 0) * 3_600_000 + (minute ?? 0) * 60_000;
  let end = resolveWallClock(today, timezone, now.offset);
  // Already past: the same wall time tomorrow, resolved from the offset today's end had.
  if (end.ms <= now.ms) end = resolveWallClock(localMs(end) + 86_400_000, timezone, end.offset);
  return new Date(end.ms);
}
