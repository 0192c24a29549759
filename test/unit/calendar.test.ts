import { DateTime, IANAZone } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dayLabel,
  daysBetween,
  dayTimeLabelOf,
  isoWeekday,
  isValidTimeZone,
  localMs,
  plusDays,
  plusYears,
  systemMidnight,
  timeOf,
  withMonthDay,
  zoned,
} from '#shared/domain/calendar.js';
import type { Weekday } from '#shared/domain/conversation/types.js';
import { graceMonth } from '#shared/domain/grace-ledger.js';
import type { Member } from '#shared/domain/partnership.js';
import { outsideQuietHours, type QuietHours } from '#shared/domain/quiet-hours.js';
import { localDateOf, nextLocalDate, trialDay, wallClockInstant } from '#shared/domain/trial-plan.js';
import { resolveDeadlineMove } from '#shared/use-cases/converse/index.js';
import { checkInLabel } from '#templates/labels.js';
import { seededRandom } from '../support/seeded-random.js';

/**
 * The calendar helpers replaced luxon in production code. These tests hold them to luxon's answers,
 * across zones with unusual rules and on the days their clocks change. The luxon versions below are the
 * code as it was before the switch.
 */
const luxon = {
  localDateOf: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate() ?? '',
  localTime: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm'),
  graceMonth: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM'),
  nextLocalDate: (date: string) =>
    DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate() ?? '',
  trialDay: (start: string, date: string) =>
    Math.round(DateTime.fromISO(date).diff(DateTime.fromISO(start), 'days').days),
  plusDays: (date: string, days: number) => DateTime.fromISO(date).plus({ days }).toISODate(),
  weekday: (date: string) => DateTime.fromISO(date).weekday,
  dayLabel: (date: string) => DateTime.fromISO(date).toFormat('ccc d LLL'),
  midnight: (date: string) => DateTime.fromISO(date).toJSDate(),
  checkInLabel: (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL HH:mm'),

  wallClockInstant(localDate: string, time: string, timezone: string): Date {
    const [hour, minute] = time.split(':').map(Number);
    const wanted = DateTime.fromISO(localDate, { zone: timezone }).set({
      hour,
      minute,
      second: 0,
      millisecond: 0,
    });
    if (wanted.hour === hour && wanted.minute === minute) return wanted.toJSDate();
    let probe = DateTime.fromISO(localDate, { zone: timezone }).startOf('day');
    const target = (hour ?? 0) * 60 + (minute ?? 0);
    while (probe.hour * 60 + probe.minute < target && probe.toISODate() === localDate) {
      probe = probe.plus({ minutes: 1 });
    }
    return probe.toJSDate();
  },

  outsideQuietHours(at: Date, timezone: string, quiet: QuietHours): Date {
    const local = DateTime.fromJSDate(at, { zone: timezone });
    const minutesOf = (time: string) => {
      const [h, m] = time.split(':').map(Number);
      return (h ?? 0) * 60 + (m ?? 0);
    };
    const [now, start, end0] = [
      minutesOf(local.toFormat('HH:mm')),
      minutesOf(quiet.start),
      minutesOf(quiet.end),
    ];
    const isQuiet = start <= end0 ? now >= start && now < end0 : now >= start || now < end0;
    if (!isQuiet) return at;
    const [hour, minute] = quiet.end.split(':').map(Number);
    let end = local.set({ hour, minute, second: 0, millisecond: 0 });
    if (end <= local) end = end.plus({ days: 1 });
    return end.toJSDate();
  },

  resolveDeadlineMove(
    move:
      | { kind: 'weekday'; weekday: Weekday; nextWeek: boolean }
      | { kind: 'days'; days: number }
      | { kind: 'date'; month: number; day: number },
    todayLocal: string,
    deadline?: string,
  ): string {
    const base = DateTime.fromISO(deadline ?? todayLocal);
    const start = DateTime.fromISO(todayLocal);
    switch (move.kind) {
      case 'days':
        return base.plus({ days: move.days }).toISODate() ?? todayLocal;
      case 'weekday': {
        let ahead = (move.weekday - start.weekday + 7) % 7 || 7;
        if (move.nextWeek && ahead < 7 && start.plus({ days: ahead }).weekNumber === start.weekNumber)
          ahead += 7;
        return start.plus({ days: ahead }).toISODate() ?? todayLocal;
      }
      case 'date': {
        let date = start.set({ month: move.month, day: move.day });
        if (date < start) date = date.plus({ years: 1 });
        return date.toISODate() ?? todayLocal;
      }
    }
  },
};

const ZONES = [
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe', // half-hour DST: +10:30 / +11:00
  'Asia/Kolkata', // no DST, half-hour offset
  'Pacific/Chatham', // +12:45 / +13:45, changes at 02:45 local
  'America/Sao_Paulo', // DST until 2019, changing at local midnight
] as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const seeded = seededRandom;

const offsetOf = (zone: string, ms: number) => DateTime.fromMillis(ms, { zone }).offset;

/** The UTC instants (to the hour) at which a zone's offset changed in [fromYear, toYear]. */
function transitions(zone: string, fromYear: number, toYear: number): number[] {
  const found: number[] = [];
  const end = Date.UTC(toYear + 1, 0, 1);
  for (let day = Date.UTC(fromYear, 0, 1); day < end; day += DAY) {
    if (offsetOf(zone, day) === offsetOf(zone, day + DAY)) continue;
    for (let hour = day; hour < day + DAY; hour += HOUR) {
      if (offsetOf(zone, hour) !== offsetOf(zone, hour + HOUR)) found.push(hour + HOUR);
    }
  }
  return found;
}

/** The local dates around each clock change in a zone: the day before, the day itself and the day after. */
function changeDays(zone: string): string[] {
  const dates = new Set<string>();
  for (const at of transitions(zone, 2015, 2027)) {
    for (const shift of [-DAY, 0, DAY]) dates.add(luxon.localDateOf(new Date(at + shift), zone));
  }
  return [...dates].sort();
}

const CHANGE_DAYS = new Map(ZONES.map((zone) => [zone, changeDays(zone)]));

/** Local times, every 5 minutes in the hours when clocks change (late night to 04:00), else every 30. */
function timesOfDay(): string[] {
  const times: string[] = [];
  for (let minutes = 0; minutes < 24 * 60; minutes += minutes < 4 * 60 || minutes >= 22 * 60 ? 5 : 30) {
    times.push(
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
    );
  }
  return times;
}

describe('calendar helpers agree with luxon', () => {
  it('finds the clock changes the tests rely on', () => {
    expect(CHANGE_DAYS.get('Asia/Kolkata')).toEqual([]);
    for (const zone of ZONES.filter((each) => each !== 'Asia/Kolkata')) {
      expect(CHANGE_DAYS.get(zone)?.length, zone).toBeGreaterThan(20);
    }
    // Lord Howe moves by half an hour; Chatham at 02:45 local; São Paulo at midnight (2018).
    expect(CHANGE_DAYS.get('Australia/Lord_Howe')).toContain('2026-10-04');
    expect(CHANGE_DAYS.get('Pacific/Chatham')).toContain('2026-09-27');
    expect(CHANGE_DAYS.get('America/Sao_Paulo')).toContain('2018-11-04');
  });

  it('validates zone names as IANAZone.isValidZone did', () => {
    const names = [
      ...ZONES,
      'UTC',
      'Etc/GMT+5',
      'europe/london',
      'US/Eastern',
      'Asia/Calcutta',
      '',
      'Mars/Olympus',
      'Europe/Londn',
      'Sport~~blorp',
      '+05:30',
      'GMT',
    ];
    for (const name of names) expect(isValidTimeZone(name), name).toBe(IANAZone.isValidZone(name));
  });

  it('reads the local date, time and month of instants around every clock change', () => {
    for (const zone of ZONES) {
      for (const at of transitions(zone, 2015, 2027)) {
        for (let ms = at - 3 * HOUR; ms <= at + 3 * HOUR; ms += 15 * MINUTE) {
          const instant = new Date(ms);
          expect(localDateOf(instant, zone), `${zone} ${instant.toISOString()}`).toBe(
            luxon.localDateOf(instant, zone),
          );
          expect(timeOf(localMs(zoned(instant, zone)))).toBe(luxon.localTime(instant, zone));
          expect(graceMonth(instant, zone)).toBe(luxon.graceMonth(instant, zone));
        }
      }
    }
  });

  it('reads seeded random instants from 1900 to 2100 the same way', () => {
    const random = seeded(20_260_214);
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    for (let index = 0; index < 3000; index++) {
      const instant = new Date(from + Math.floor(random() * (to - from)));
      const zone = ZONES[index % ZONES.length] ?? 'UTC';
      const label = `${zone} ${instant.toISOString()}`;
      expect(localDateOf(instant, zone), label).toBe(luxon.localDateOf(instant, zone));
      expect(graceMonth(instant, zone), label).toBe(luxon.graceMonth(instant, zone));
      expect(dayTimeLabelOf(localMs(zoned(instant, zone))), label).toBe(luxon.checkInLabel(instant, zone));
    }
  });

  it('gives what luxon gave for unreadable zones and instants', () => {
    for (const [at, zone] of [
      [new Date('2026-03-29T12:00:00Z'), 'Mars/Olympus'],
      [new Date(Number.NaN), 'Europe/London'],
      [new Date(Number.NaN), 'Etc/GMT+10'],
    ] as const) {
      expect(localDateOf(at, zone)).toBe(luxon.localDateOf(at, zone));
      expect(graceMonth(at, zone)).toBe(luxon.graceMonth(at, zone));
      expect(outsideQuietHours(at, zone)).toEqual(at);
      expect(luxon.outsideQuietHours(at, zone, { start: '21:00', end: '07:00' })).toEqual(at);
    }
    expect(wallClockInstant('2026-03-29', '07:00', 'Mars/Olympus').getTime()).toBeNaN();
    expect(luxon.wallClockInstant('2026-03-29', '07:00', 'Mars/Olympus').getTime()).toBeNaN();
    expect(wallClockInstant('2026-02-30', '07:00', 'Europe/London').getTime()).toBeNaN();
    expect(luxon.wallClockInstant('2026-02-30', '07:00', 'Europe/London').getTime()).toBeNaN();
  });

  it('places wall-clock times on and around every clock-change day', () => {
    const times = timesOfDay();
    for (const zone of ZONES) {
      for (const date of CHANGE_DAYS.get(zone) ?? []) {
        for (const time of times) {
          expect(wallClockInstant(date, time, zone).toISOString(), `${zone} ${date} ${time}`).toBe(
            luxon.wallClockInstant(date, time, zone).toISOString(),
          );
        }
      }
    }
  });

  it('places wall-clock times on seeded random days', () => {
    const random = seeded(7);
    for (let index = 0; index < 2000; index++) {
      const zone = ZONES[index % ZONES.length] ?? 'UTC';
      const date = luxon.localDateOf(new Date(Date.UTC(1970, 0, 1) + random() * 100 * 365 * DAY), zone);
      const time = `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`;
      expect(wallClockInstant(date, time, zone).toISOString(), `${zone} ${date} ${time}`).toBe(
        luxon.wallClockInstant(date, time, zone).toISOString(),
      );
    }
  });

  it('labels check-ins on clock-change days as luxon did', () => {
    for (const zone of ZONES) {
      for (const date of CHANGE_DAYS.get(zone) ?? []) {
        for (const checkInTime of [
          '00:00',
          '00:30',
          '01:30',
          '02:00',
          '02:15',
          '02:45',
          '03:00',
          '19:00',
          '23:30',
        ]) {
          const member = { checkInTime, timezone: zone } as Member;
          expect(checkInLabel(member, date), `${zone} ${date} ${checkInTime}`).toBe(
            luxon.checkInLabel(luxon.wallClockInstant(date, checkInTime, zone), zone),
          );
        }
      }
    }
  });

  it('ends quiet hours where luxon did, including ends that fall in a gap or occur twice', () => {
    const quiets: QuietHours[] = [
      { start: '21:00', end: '07:00' },
      { start: '22:00', end: '01:30' },
      { start: '23:00', end: '02:30' },
      { start: '00:30', end: '02:15' },
      { start: '01:00', end: '03:00' },
      { start: '22:00', end: '00:00' },
      { start: '20:00', end: '02:45' },
      { start: '23:30', end: '00:30' },
    ];
    for (const zone of ZONES) {
      for (const at of transitions(zone, 2015, 2027)) {
        for (let ms = at - 26 * HOUR; ms <= at + 4 * HOUR; ms += 20 * MINUTE) {
          const instant = new Date(ms);
          for (const quiet of quiets) {
            expect(
              outsideQuietHours(instant, zone, quiet).toISOString(),
              `${zone} ${instant.toISOString()} ${quiet.start}-${quiet.end}`,
            ).toBe(luxon.outsideQuietHours(instant, zone, quiet).toISOString());
          }
        }
      }
    }
  });
});

describe('ISO-date helpers agree with luxon', () => {
  const random = seeded(42);
  const dates = [
    ...Array.from({ length: 1500 }, () =>
      luxon.localDateOf(new Date(Date.UTC(1950, 0, 1) + random() * 150 * 365 * DAY), 'UTC'),
    ),
    '2024-02-29',
    '2023-02-28',
    '2024-12-30',
    '2026-12-28',
    '2027-01-03',
    '0099-12-31',
    '0001-01-01',
    '9999-12-31',
  ];
  const invalid = ['', 'x', '2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-32'];
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('adds days, counts days, names weekdays and labels days', () => {
    for (const date of [...dates, ...invalid]) {
      for (const days of [-400, -1, 0, 1, 3, 7, 14, 30, 365, 3_000_000, 100_000_000]) {
        expect(plusDays(date, days) ?? null, `${date} + ${days}`).toBe(luxon.plusDays(date, days));
      }
      expect(nextLocalDate(date)).toBe(luxon.nextLocalDate(date));
      expect(trialDay('2026-01-15', date)).toBe(luxon.trialDay('2026-01-15', date));
      expect(trialDay(date, '2026-01-15')).toBe(luxon.trialDay(date, '2026-01-15'));
      expect(daysBetween('2026-01-15', date)).toBe(luxon.trialDay('2026-01-15', date));
      expect(isoWeekday(date)).toBe(luxon.weekday(date));
      expect(dayLabel(date), date).toBe(luxon.dayLabel(date));
    }
  });

  it('moves years and sets month and day as luxon did', () => {
    for (const date of [...dates, ...invalid]) {
      expect(plusYears(date, 1) ?? null, date).toBe(DateTime.fromISO(date).plus({ years: 1 }).toISODate());
      expect(withMonthDay(date, 2, 29) ?? null, date).toBe(
        DateTime.fromISO(date).set({ month: 2, day: 29 }).toISODate(),
      );
    }
  });

  it('resolves every kind of deadline move as luxon did', () => {
    const todays = [...dates.slice(0, 400), ...invalid];
    for (const today of todays) {
      for (let weekday = 1; weekday <= 7; weekday++) {
        for (const nextWeek of [false, true]) {
          const move = { kind: 'weekday', weekday: weekday as Weekday, nextWeek } as const;
          expect(resolveDeadlineMove(move, today), `${today} ${weekday} ${nextWeek}`).toBe(
            luxon.resolveDeadlineMove(move, today),
          );
        }
      }
      for (const days of [1, 3, 7, 14, 1_000_000_000]) {
        const move = { kind: 'days', days } as const;
        expect(resolveDeadlineMove(move, today)).toBe(luxon.resolveDeadlineMove(move, today));
        expect(resolveDeadlineMove(move, today, '2026-03-29')).toBe(
          luxon.resolveDeadlineMove(move, today, '2026-03-29'),
        );
      }
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 15, 28, 29, 30, 31]) {
          const move = { kind: 'date', month, day } as const;
          expect(resolveDeadlineMove(move, today), `${today} ${month}-${day}`).toBe(
            luxon.resolveDeadlineMove(move, today),
          );
        }
      }
    }
  });

  it.each(['UTC', 'America/Sao_Paulo', 'Europe/London', 'Pacific/Chatham'])(
    'gives midnight in the process zone (TZ=%s) as luxon did',
    (zone) => {
      process.env.TZ = zone;
      const days = [
        ...dates.slice(0, 200),
        '2018-11-04', // São Paulo skipped midnight
        '2018-02-17',
        '2026-03-29',
        '2026-10-25',
        ...invalid,
      ];
      for (const date of days) {
        expect(systemMidnight(date).getTime(), `${zone} ${date}`).toBe(luxon.midnight(date).getTime());
        expect(plusDays(date, 3) ?? null).toBe(luxon.plusDays(date, 3));
        expect(isoWeekday(date)).toBe(luxon.weekday(date));
      }
    },
  );
});
