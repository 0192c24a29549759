import { describe, expect, it } from 'vitest';
import { localMs, timeOf, zoned } from '#shared/domain/calendar.js';
import { isQuietTime } from '#shared/domain/quiet-hours.js';
import {
  MAX_VALIDITY_SECONDS,
  quietHoursBegin,
  TEXT_STALE_AFTER_SECONDS,
  textValiditySeconds,
} from '#shared/domain/text-validity.js';
import { seededRandom } from '../support/seeded-random.js';

const NEW_YORK = 'America/New_York';
const LONG = MAX_VALIDITY_SECONDS;

describe('text validity (how long a text may wait in the provider queue)', () => {
  it('is the staleness window in the middle of the day', () => {
    // 09:00 in New York: twelve hours before quiet hours begin at 21:00.
    expect(textValiditySeconds(new Date('2026-11-26T14:00:00Z'), NEW_YORK)).toBe(TEXT_STALE_AFTER_SECONDS);
    expect(TEXT_STALE_AFTER_SECONDS).toBe(3600);
  });

  it('ends strictly before quiet hours begin', () => {
    // 20:30 New York: 1,800 s to 21:00, so the last second a text may leave is 20:59:59.
    expect(textValiditySeconds(new Date('2026-11-27T01:30:00Z'), NEW_YORK)).toBe(1799);
    // Half a second before: no whole second left, the least validity (leave at once or never).
    expect(textValiditySeconds(new Date('2026-11-27T01:59:59.500Z'), NEW_YORK)).toBe(1);
  });

  it('is the least validity from the first instant of quiet hours and inside them', () => {
    expect(textValiditySeconds(new Date('2026-11-27T02:00:00Z'), NEW_YORK)).toBe(1);
    expect(textValiditySeconds(new Date('2026-11-27T09:00:00Z'), NEW_YORK)).toBe(1);
  });

  it('follows the member’s own quiet hours, wrapping past midnight or not', () => {
    const at = new Date('2026-11-26T17:59:00Z'); // 12:59 in New York
    expect(textValiditySeconds(at, NEW_YORK, { start: '13:00', end: '15:00' })).toBe(59);
    // 15:30, after a midday quiet period: the next one is tomorrow at 13:00, far beyond the window.
    expect(
      textValiditySeconds(new Date('2026-11-26T20:30:00Z'), NEW_YORK, { start: '13:00', end: '15:00' }),
    ).toBe(TEXT_STALE_AFTER_SECONDS);
    // 23:30 with quiet hours from 00:15: 44 minutes 59 seconds.
    expect(
      textValiditySeconds(new Date('2026-11-27T04:30:00Z'), NEW_YORK, { start: '00:15', end: '06:00' }),
    ).toBe(44 * 60 + 59);
  });

  it('reads each member’s own time zone for the same instant', () => {
    const at = new Date('2026-11-27T01:30:00Z');
    expect(textValiditySeconds(at, NEW_YORK)).toBe(1799); // 20:30
    expect(textValiditySeconds(at, 'Europe/London')).toBe(1); // 01:30, quiet
    expect(textValiditySeconds(at, 'Asia/Tokyo')).toBe(TEXT_STALE_AFTER_SECONDS); // 10:30
    // 07:00 in Kolkata: fourteen hours to 21:00, more than Twilio's ten-hour maximum.
    expect(textValiditySeconds(at, 'Asia/Kolkata', undefined, 50 * 3600)).toBe(LONG);
  });

  it('finds quiet hours that begin in a skipped hour (clocks spring forward)', () => {
    // 8 March 2026 in New York, 01:00 EST: 02:30 does not exist, the wall clock moves on to 03:30 EDT.
    const at = new Date('2026-03-08T06:00:00Z');
    expect(quietHoursBegin(at, NEW_YORK, { start: '02:30', end: '07:00' })).toEqual(
      new Date('2026-03-08T07:30:00Z'),
    );
    expect(textValiditySeconds(at, NEW_YORK, { start: '02:30', end: '07:00' }, LONG)).toBe(5399);
  });

  it('takes the first of a repeated hour (clocks fall back)', () => {
    // 1 November 2026 in New York, 00:00 EDT: 01:30 happens twice, first at 05:30Z.
    const at = new Date('2026-11-01T04:00:00Z');
    expect(quietHoursBegin(at, NEW_YORK, { start: '01:30', end: '07:00' })).toEqual(
      new Date('2026-11-01T05:30:00Z'),
    );
    expect(textValiditySeconds(at, NEW_YORK, { start: '01:30', end: '07:00' }, LONG)).toBe(5399);
  });

  it('never lets a text leave inside quiet hours nor after the window (seeded instants and zones)', () => {
    const random = seededRandom(19);
    const zones = [NEW_YORK, 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns'];
    for (let index = 0; index < 2000; index++) {
      const zone = zones[index % zones.length] ?? NEW_YORK;
      const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 365 * 86_400_000));
      if (isQuietTime(timeOf(localMs(zoned(at, zone))))) continue;
      const seconds = textValiditySeconds(at, zone);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(TEXT_STALE_AFTER_SECONDS);
      // The last instant it may leave: `seconds` after it was handed over.
      const last = new Date(at.getTime() + seconds * 1000);
      if (seconds > 1)
        expect(isQuietTime(timeOf(localMs(zoned(last, zone)))), last.toISOString()).toBe(false);
    }
  });
});
