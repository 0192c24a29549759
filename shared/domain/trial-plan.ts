import { DateTime } from 'luxon';

/**
 * The programme, as data. Read it top to bottom: this is what a partnership lives through.
 * Later issues add Day 1, 3, 7 and 14 steps; the engine only needs the step kinds below.
 */
export const trialPlan = {
  /** Everyone is texted an invitation when the partnership is created. */
  invite: { channel: 'sms', template: 'invitation' },
  /** Once every member has replied YES, each gets one check-in a day, at their own local time. */
  dailyCheckIn: { channel: 'sms', template: 'checkIn', startsOn: 'the next local day after everyone joined' },
} as const;

export type StepKind = 'check_in';

/** The local calendar date of an instant in a zone, as YYYY-MM-DD. */
export function localDateOf(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? '';
}

/** The day after a local date. */
export function nextLocalDate(localDate: string): string {
  return DateTime.fromISO(localDate, { zone: 'UTC' }).plus({ days: 1 }).toISODate() ?? '';
}

/**
 * The instant a wall-clock time occurs on a local date. A time that does not exist that day
 * (clocks spring forward) moves to the first valid minute after it; a time that occurs twice
 * (clocks fall back) is the first occurrence, so it fires once.
 */
export function wallClockInstant(localDate: string, time: string, timezone: string): Date {
  const [hour, minute] = time.split(':').map(Number);
  const wanted = DateTime.fromISO(localDate, { zone: timezone }).set({
    hour,
    minute,
    second: 0,
    millisecond: 0,
  });
  if (wanted.hour === hour && wanted.minute === minute) {
    // Luxon picks the earlier offset for ambiguous times, which is the first occurrence.
    return wanted.toJSDate();
  }
  // Skipped by a spring-forward gap: walk forward minute by minute from before the gap.
  let probe = DateTime.fromISO(localDate, { zone: timezone }).startOf('day');
  const target = (hour ?? 0) * 60 + (minute ?? 0);
  while (probe.hour * 60 + probe.minute < target && probe.toISODate() === localDate) {
    probe = probe.plus({ minutes: 1 });
  }
  return probe.toJSDate();
}

/** The local date (in YYYY-MM-DD) and wall time (HH:MM) a schedule expression uses. */
export function localDateTime(localDate: string, time: string): string {
  return `${localDate}T${time}:00`;
}
