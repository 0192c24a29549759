import { describe, expect, it } from 'vitest';
import { localDateOf, nextLocalDate, wallClockInstant } from '#shared/domain/trial-plan.js';

/** The wall clock an instant shows in a zone, read with Intl rather than the code under test. */
function wallClock(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

describe('localDateOf', () => {
  it.each([
    { at: '2026-01-31T15:30:00Z', timezone: 'Asia/Tokyo', date: '2026-02-01' },
    { at: '2026-01-31T15:30:00Z', timezone: 'America/Los_Angeles', date: '2026-01-31' },
    { at: '2026-01-01T07:59:00Z', timezone: 'America/Los_Angeles', date: '2025-12-31' },
    { at: '2026-07-14T11:15:00Z', timezone: 'Pacific/Chatham', date: '2026-07-15' },
  ])('puts $at on $date in $timezone', ({ at, timezone, date }) => {
    // Prepare
    const instant = new Date(at);

    // Act
    const result = localDateOf(instant, timezone);

    // Assess
    expect(result).toBe(date);
  });
});

describe('nextLocalDate', () => {
  it.each([
    { date: '2026-07-15', next: '2026-07-16' },
    { date: '2026-01-31', next: '2026-02-01' },
    { date: '2026-04-30', next: '2026-05-01' },
    { date: '2026-02-28', next: '2026-03-01' },
    { date: '2028-02-28', next: '2028-02-29' },
    { date: '2028-02-29', next: '2028-03-01' },
    { date: '2026-12-31', next: '2027-01-01' },
    { date: '2026-03-08', next: '2026-03-09' },
    { date: '2026-11-01', next: '2026-11-02' },
  ])('follows $date with $next', ({ date, next }) => {
    // Prepare: the table row

    // Act
    const result = nextLocalDate(date);

    // Assess
    expect(result).toBe(next);
  });
});

describe('wallClockInstant', () => {
  it('places 08:30 on a summer day in New York at 12:30Z (EDT, UTC-4)', () => {
    // Prepare
    const date = '2026-07-15';

    // Act
    const instant = wallClockInstant(date, '08:30', 'America/New_York');

    // Assess
    expect(instant.toISOString()).toBe('2026-07-15T12:30:00.000Z');
  });

  it('places 08:30 on a winter day in New York at 13:30Z (EST, UTC-5)', () => {
    // Prepare
    const date = '2026-01-15';

    // Act
    const instant = wallClockInstant(date, '08:30', 'America/New_York');

    // Assess
    expect(instant.toISOString()).toBe('2026-01-15T13:30:00.000Z');
  });

  it.each([
    { time: '02:00', expected: '2026-03-08T07:00:00.000Z' },
    { time: '02:30', expected: '2026-03-08T07:00:00.000Z' },
    { time: '02:59', expected: '2026-03-08T07:00:00.000Z' },
  ])(
    'moves $time, skipped when New York springs forward, to 03:00 EDT, the first minute after the gap',
    ({ time, expected }) => {
      // Prepare
      const springForward = '2026-03-08';

      // Act
      const instant = wallClockInstant(springForward, time, 'America/New_York');

      // Assess
      expect(instant.toISOString()).toBe(expected);
      expect(wallClock(instant, 'America/New_York')).toBe('2026-03-08T03:00');
    },
  );

  it.each([
    { time: '01:59', expected: '2026-03-08T06:59:00.000Z' },
    { time: '03:00', expected: '2026-03-08T07:00:00.000Z' },
    { time: '08:30', expected: '2026-03-08T12:30:00.000Z' },
  ])(
    'leaves $time, which exists on the spring-forward day in New York, where it is',
    ({ time, expected }) => {
      // Prepare
      const springForward = '2026-03-08';

      // Act
      const instant = wallClockInstant(springForward, time, 'America/New_York');

      // Assess
      expect(instant.toISOString()).toBe(expected);
    },
  );

  it('fires 01:30 once on the New York fall-back day, at its first occurrence (EDT, 05:30Z)', () => {
    // Prepare
    const fallBack = '2026-11-01';

    // Act
    const instant = wallClockInstant(fallBack, '01:30', 'America/New_York');

    // Assess
    expect(instant.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it.each([
    { time: '02:00', expected: '2026-10-03T15:30:00.000Z' },
    { time: '02:15', expected: '2026-10-03T15:30:00.000Z' },
    { time: '02:29', expected: '2026-10-03T15:30:00.000Z' },
  ])(
    'moves $time, skipped by Lord Howe’s 30-minute spring forward, to 02:30 local (UTC+11)',
    ({ time, expected }) => {
      // Prepare
      const springForward = '2026-10-04';

      // Act
      const instant = wallClockInstant(springForward, time, 'Australia/Lord_Howe');

      // Assess
      expect(instant.toISOString()).toBe(expected);
      expect(wallClock(instant, 'Australia/Lord_Howe')).toBe('2026-10-04T02:30');
    },
  );

  it('leaves 01:59 on Lord Howe’s spring-forward day just before the gap (UTC+10:30)', () => {
    // Prepare
    const springForward = '2026-10-04';

    // Act
    const instant = wallClockInstant(springForward, '01:59', 'Australia/Lord_Howe');

    // Assess
    expect(instant.toISOString()).toBe('2026-10-03T15:29:00.000Z');
  });

  it('fires 01:45 once on Lord Howe’s 30-minute fall back, at its first occurrence (UTC+11)', () => {
    // Prepare
    const fallBack = '2026-04-05';

    // Act
    const instant = wallClockInstant(fallBack, '01:45', 'Australia/Lord_Howe');

    // Assess
    expect(instant.toISOString()).toBe('2026-04-04T14:45:00.000Z');
  });

  it.each([
    { date: '2026-07-15', time: '08:30', expected: '2026-07-14T19:45:00.000Z', offset: 'UTC+12:45' },
    { date: '2026-07-15', time: '00:00', expected: '2026-07-14T11:15:00.000Z', offset: 'UTC+12:45' },
    { date: '2026-01-15', time: '08:30', expected: '2026-01-14T18:45:00.000Z', offset: 'UTC+13:45' },
    { date: '2026-01-15', time: '23:59', expected: '2026-01-15T10:14:00.000Z', offset: 'UTC+13:45' },
  ])('converts $time on $date in Chatham ($offset) to $expected', ({ date, time, expected }) => {
    // Prepare: the table row

    // Act
    const instant = wallClockInstant(date, time, 'Pacific/Chatham');

    // Assess
    expect(instant.toISOString()).toBe(expected);
  });

  it('moves 03:00, skipped when Chatham springs forward from 02:45 to 03:45, to 03:45 local', () => {
    // Prepare
    const springForward = '2026-09-27';

    // Act
    const instant = wallClockInstant(springForward, '03:00', 'Pacific/Chatham');

    // Assess
    expect(instant.toISOString()).toBe('2026-09-26T14:00:00.000Z');
    expect(wallClock(instant, 'Pacific/Chatham')).toBe('2026-09-27T03:45');
  });

  it('shows every quarter hour of an ordinary day on the wall clock it was asked for', () => {
    // Prepare
    const zones = ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    const times = Array.from({ length: 96 }, (_, i) => {
      const hour = String(Math.floor(i / 4)).padStart(2, '0');
      const minute = String((i % 4) * 15).padStart(2, '0');
      return `${hour}:${minute}`;
    });

    // Act
    const mismatches = zones.flatMap((zone) =>
      times
        .map((time) => ({ zone, time, shown: wallClock(wallClockInstant('2026-07-15', time, zone), zone) }))
        .filter(({ time, shown }) => shown !== `2026-07-15T${time}`),
    );

    // Assess
    expect(mismatches).toEqual([]);
  });
});
