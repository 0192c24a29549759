import {
  daysBetween,
  firstMinuteOfChange,
  isoDateOf,
  localMs,
  offsetAt,
  parseIsoDate,
  plusDays,
  resolveWallClock,
  timeOf,
  zoned,
} from './calendar.js';

/**
 * The programme, as data. Read it top to bottom: this is what a partnership lives through.
 * Day 1 is the first local day after everyone said yes; each day's check-in comes at the member's
 * own check-in time, and on the days below it carries that day's question instead of the plain one.
 */
export const trialPlan = {
  lengthDays: 14,
  /** Everyone is texted an invitation when the partnership is created. */
  invite: { channel: 'sms', template: 'invitation', waitDays: 7 },
  /** Once every member has replied YES, each gets one check-in a day, at their own local time. */
  dailyCheckIn: { channel: 'sms', template: 'checkIn', startsOn: 'the day after everyone joined' },
  /** The days that ask for more than "still on track?". */
  days: {
    1: { template: 'day1', purpose: 'Align: the goal, the soft rules, and how to reply' },
    3: { template: 'day3', purpose: 'Micro-check-in: what feels easy, what feels hard?' },
    7: {
      template: 'day7',
      purpose: 'Mid-point reflection: what works, what needs a tweak, supported or pressured 1-5',
    },
    14: {
      template: 'day14',
      purpose: 'Final review: CONTINUE, TWEAK or PAUSE (the summary email comes too)',
    },
  },
  /** The days whose question invites the member's own words (kept for the Day-14 summary). */
  reflectionDays: [3, 7],
  /** After CONTINUE the check-ins go on, with a review like Day 14's every 14 days. */
  reviewEveryDays: 14,
} as const satisfies {
  lengthDays: number;
  invite: object;
  dailyCheckIn: object;
  days: Record<number, { template: string; purpose: string }>;
  reflectionDays: readonly number[];
  reviewEveryDays: number;
};

export type PlanDay = keyof typeof trialPlan.days;

/** Which day of the trial a local date is for a member whose partnership started on `startLocalDate`. */
export function trialDay(startLocalDate: string, localDate: string): number {
  return Math.round(daysBetween(startLocalDate, localDate));
}

/** The check-in template for a day of the trial: that day's own question, or the daily one. */
export function checkInTemplateFor(day: number): (typeof trialPlan.days)[PlanDay]['template'] | 'checkIn' {
  if (day > trialPlan.lengthDays && day % trialPlan.reviewEveryDays === 0) return trialPlan.days[14].template;
  return day in trialPlan.days ? trialPlan.days[day as PlanDay].template : trialPlan.dailyCheckIn.template;
}

/** The local calendar date of an instant in a zone, as YYYY-MM-DD. */
export function localDateOf(at: Date, timezone: string): string {
  return isoDateOf(localMs(zoned(at, timezone))) ?? '';
}

/** The day after a local date. */
export function nextLocalDate(localDate: string): string {
  return plusDays(localDate, 1) ?? '';
}

/**
 * The instant a wall-clock time occurs on a local date. A time that does not exist that day
 * (clocks spring forward) moves to the first valid minute after it; a time that occurs twice
 * (clocks fall back) is the first occurrence, so it fires once.
 */
export function wallClockInstant(localDate: string, time: string, timezone: string): Date {
  const [hour, minute] = time.split(':').map(Number);
  const midnight = parseIsoDate(localDate);
  const local = midnight + (hour ?? 0) * 3_600_000 + (minute ?? 0) * 60_000;
  // The day starts in the offset in force the day before, so an ambiguous time resolved from
  // midnight's offset is its first occurrence (clocks fall back later in the day).
  const start = resolveWallClock(midnight, timezone, offsetAt(timezone, midnight - 86_400_000));
  const wanted = resolveWallClock(local, timezone, start.offset);
  if (timeOf(localMs(wanted)) === timeOf(local)) return new Date(wanted.ms);
  // Skipped by a spring-forward gap: the wanted time was pushed on by the gap's length, so the change
  // lies between that time read in the new offset and in the old one. Its first minute is the answer.
  return new Date(firstMinuteOfChange(timezone, local - wanted.offset * 60_000, wanted.ms));
}

/** The local date (in YYYY-MM-DD) and wall time (HH:MM) a schedule expression uses. */
export function localDateTime(localDate: string, time: string): string {
  return `${localDate}T${time}:00`;
}
