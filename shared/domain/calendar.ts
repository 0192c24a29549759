import { tzOffset } from '@date-fns/tz/tzOffset';

/**
 * Dates and wall clocks in members' own time zones, small enough for every Lambda bundle.
 *
 * The zone rules come from the platform's tz database through `tzOffset` (@date-fns/tz: the zone's UTC
 * offset at an instant, read with Intl.DateTimeFormat). Everything else is plain arithmetic on UTC
 * milliseconds: shifting an instant by its offset gives a Date whose UTC fields are the local ones.
 *
 * These helpers replaced luxon and give the same answers it gave, including its DST choices (see
 * `resolveWallClock`) and its "Invalid DateTime" for what cannot be read.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** What luxon printed for a date or instant it could not read; kept so messages do not change. */
const INVALID = 'Invalid DateTime';

/** Whether the platform knows a time zone name (as luxon's IANAZone.isValidZone decided). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format();
    return true;
  } catch {
    return false;
  }
}

/** A zone's UTC offset in minutes at an instant (UTC ms); NaN for an unknown zone or an invalid instant. */
export function offsetAt(zone: string, ms: number): number {
  return Number.isFinite(ms) ? tzOffset(zone, new Date(ms)) : Number.NaN;
}

/** An instant with the offset its zone had then. */
export interface Zoned {
  /** The instant, in UTC milliseconds. */
  ms: number;
  /** The zone's UTC offset then, in minutes. */
  offset: number;
}

/** An instant as seen in a zone. */
export function zoned(at: Date, zone: string): Zoned {
  const ms = at.getTime();
  return { ms, offset: offsetAt(zone, ms) };
}

/** The local wall clock, as milliseconds since 1970-01-01T00:00 local ("local ms"). NaN if unknown. */
export const localMs = ({ ms, offset }: Zoned): number => ms + offset * MINUTE;

/**
 * The instant a local wall-clock time (in local ms) occurs in a zone, resolved exactly as luxon
 * resolves it, starting from a guessed offset (luxon used the offset of the DateTime being changed):
 * - a time that occurs twice (clocks fall back) takes the occurrence in the guessed offset (a guess from
 *   before the change gives the first occurrence, one from after it the second);
 * - a time that does not exist (clocks spring forward) is pushed forward by the length of the gap
 *   (02:30 in a gap from 02:00 to 03:00 becomes 03:30).
 */
export function resolveWallClock(local: number, zone: string, guess: number): Zoned {
  let ms = local - guess * MINUTE;
  const second = offsetAt(zone, ms);
  if (second === guess) return { ms, offset: guess };
  ms -= (second - guess) * MINUTE;
  const third = offsetAt(zone, ms);
  if (third === second) return { ms, offset: second };
  // In a gap: the offset changed, and the wall clock moves on by the change.
  return { ms: local - Math.min(second, third) * MINUTE, offset: Math.max(second, third) };
}

/**
 * The first whole minute at or after a zone's clock change, given a whole minute `before` it and one
 * `after` it (no other change between). Found by halving, so only a few zone look-ups are needed.
 */
export function firstMinuteOfChange(zone: string, before: number, after: number): number {
  const offsetBefore = offsetAt(zone, before);
  let [low, high] = [before, after];
  while (high - low > MINUTE) {
    const middle = low + Math.ceil((high - low) / 2 / MINUTE) * MINUTE;
    if (offsetAt(zone, middle) === offsetBefore) low = middle;
    else high = middle;
  }
  return high;
}

/** Local midnight at the start of the local day that local ms fall on. */
export const startOfLocalDay = (local: number): number => Math.floor(local / DAY) * DAY;

/** A Date holding a local wall clock in its UTC fields; undefined if the local ms are not a date. */
function fields(local: number): Date | undefined {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const pad = (value: number, length = 2) =>
  value < 0 ? `-${String(-value).padStart(length, '0')}` : String(value).padStart(length, '0');

/** The ISO date (YYYY-MM-DD) of local ms, as luxon wrote it (years past 9999 as +YYYYYY); undefined if invalid. */
export function isoDateOf(local: number): string | undefined {
  const date = fields(local);
  if (!date) return undefined;
  const year = date.getUTCFullYear();
  const long = year > 9999 || year < 0;
  return `${long && year >= 0 ? '+' : ''}${pad(year, long ? 6 : 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The 'yyyy-MM' month of local ms, or luxon's "Invalid DateTime". */
export function isoMonthOf(local: number): string {
  const date = fields(local);
  if (!date) return INVALID;
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}`;
}

/** The 'HH:mm' time of local ms, or luxon's "Invalid DateTime". */
export function timeOf(local: number): string {
  const date = fields(local);
  if (!date) return INVALID;
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** Local ms as members read a day: "Mon 3 Feb" (luxon's 'ccc d LLL' in English), or "Invalid DateTime". */
export function dayLabelOf(local: number): string {
  const date = fields(local);
  if (!date) return INVALID;
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** Local ms as "Mon 3 Feb 19:00" (luxon's 'ccc d LLL HH:mm'), or "Invalid DateTime". */
export function dayTimeLabelOf(local: number): string {
  return fields(local) ? `${dayLabelOf(local)} ${timeOf(local)}` : INVALID;
}

/** Local ms of a calendar date (month 1–12), rolling over as Date does: 30 February is 1 or 2 March. */
export function localMsOf(year: number, month: number, day: number, hour = 0, minute = 0): number {
  // setUTCFullYear, unlike Date.UTC, leaves the years 0–99 alone.
  return new Date(0).setUTCFullYear(year, month - 1, day) + hour * 3_600_000 + minute * MINUTE;
}

/** Local midnight of an ISO date (strictly YYYY-MM-DD, a real day), or NaN. */
export function parseIsoDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return localMsOf(year, month, day);
}

function daysInMonth(year: number, month: number): number {
  return new Date(localMsOf(year, month + 1, 0)).getUTCDate();
}

/** The date some days after (or before) an ISO date; undefined if the date is not one. */
export function plusDays(date: string, days: number): string | undefined {
  return isoDateOf(parseIsoDate(date) + days * DAY);
}

/**
 * The same month and day some years on, as luxon's plus({ years }): 29 February becomes 28 February in
 * a year without one. Undefined if the date is not one.
 */
export function plusYears(date: string, years: number): string | undefined {
  const start = parseIsoDate(date);
  if (Number.isNaN(start)) return undefined;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoDateOf(localMsOf(year + years, month, Math.min(day, daysInMonth(year + years, month))));
}

/** An ISO date moved to a month and day of its year, rolling over as luxon's set({ month, day }) did. */
export function withMonthDay(date: string, month: number, day: number): string | undefined {
  const start = parseIsoDate(date);
  const year = fields(start)?.getUTCFullYear();
  return year === undefined ? undefined : isoDateOf(localMsOf(year, month, day));
}

/** Whole days from one ISO date to another (negative if `to` is earlier); NaN if either is not a date. */
export function daysBetween(from: string, to: string): number {
  return (parseIsoDate(to) - parseIsoDate(from)) / DAY;
}

/** The ISO weekday of an ISO date: 1 is Monday, 7 is Sunday; NaN if it is not a date. */
export function isoWeekday(date: string): number {
  const day = fields(parseIsoDate(date))?.getUTCDay();
  return day === undefined ? Number.NaN : ((day + 6) % 7) + 1;
}

/** An ISO date as members read it: "Mon 3 Feb", or "Invalid DateTime" if it is not a date. */
export function dayLabel(date: string): string {
  return dayLabelOf(parseIsoDate(date));
}

/**
 * Midnight at the start of an ISO date in the process's own time zone (UTC on Lambda), as luxon's
 * DateTime.fromISO(date) gave it; an invalid Date if it is not a date.
 */
export function systemMidnight(date: string): Date {
  const day = fields(parseIsoDate(date));
  if (!day) return new Date(Number.NaN);
  const midnight = new Date(0);
  midnight.setFullYear(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  midnight.setHours(0, 0, 0, 0);
  return midnight;
}
