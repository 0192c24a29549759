import { DateTime } from 'luxon';

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
  const local = DateTime.fromJSDate(at, { zone: timezone });
  if (!isQuietTime(local.toFormat('HH:mm'), quiet)) return at;
  const [hour, minute] = quiet.end.split(':').map(Number);
  let end = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}
