import { localMs, resolveWallClock, startOfLocalDay, timeOf, zoned } from './calendar.js';
import { DEFAULT_QUIET_HOURS, isQuietTime, type QuietHours } from './quiet-hours.js';

/**
 * How long a text may wait in the SMS provider's queue before it is no longer worth sending. Every text
 * we send speaks of today and now ("still on track?", a partner's news): an hour late it still reads
 * naturally, later it is stale, and tomorrow's check-in says it better. Our senders keep the provider's
 * queue to seconds (infra/config.ts smsBurstPerSender), so only a provider-side stall reaches this.
 */
export const TEXT_STALE_AFTER_SECONDS = 3600;

/** The range the provider accepts for a text's validity period (Twilio's ValidityPeriod: 1 to 36,000 s). */
export const MIN_VALIDITY_SECONDS = 1;
export const MAX_VALIDITY_SECONDS = 36_000;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The first instant at or after `at` inside the member's quiet hours (`at` itself when already inside). */
export function quietHoursBegin(at: Date, timezone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const now = zoned(at, timezone);
  if (isQuietTime(timeOf(localMs(now)), quiet)) return at;
  const [hour, minute] = quiet.start.split(':').map(Number);
  const today = startOfLocalDay(localMs(now)) + (hour ?? 0) * 60 * MINUTE + (minute ?? 0) * MINUTE;
  let start = resolveWallClock(today, timezone, now.offset);
  // Already past today: the same wall time tomorrow, resolved from the offset today's start had.
  if (start.ms <= now.ms) start = resolveWallClock(localMs(start) + DAY, timezone, start.offset);
  return new Date(start.ms);
}

/**
 * The validity period, in whole seconds, of a text handed to the provider at `now`: it leaves the
 * provider's queue before the member's quiet hours begin and before it is stale, or never.
 *
 *     validity = clamp(min(ceil((quietStart − now) / 1 s) − 1, staleAfter), 1, 36,000)
 *
 * The provider sends a text whose elapsed time is at most the validity, so the last second it may leave
 * is strictly before quiet hours begin. A text handed over inside quiet hours (our senders hold them for
 * the morning) or in the very last second before them gets the least validity: it leaves at once or fails.
 */
export function textValiditySeconds(
  now: Date,
  timezone: string,
  quiet: QuietHours = DEFAULT_QUIET_HOURS,
  staleAfterSeconds: number = TEXT_STALE_AFTER_SECONDS,
): number {
  const untilQuiet = Math.ceil((quietHoursBegin(now, timezone, quiet).getTime() - now.getTime()) / 1000) - 1;
  const seconds = Math.min(untilQuiet, Math.floor(staleAfterSeconds));
  return Math.min(MAX_VALIDITY_SECONDS, Math.max(MIN_VALIDITY_SECONDS, seconds));
}
