import { describe, expect, it } from 'vitest';
import { isQuietTime, outsideQuietHours } from '#shared/domain/quiet-hours.js';

describe('quiet hours', () => {
  it.each([
    ['20:59', false],
    ['21:00', true],
    ['23:30', true],
    ['00:00', true],
    ['06:59', true],
    ['07:00', false],
  ])('treats %s as quiet: %s (default 21:00 to 07:00)', (time, quiet) => {
    expect(isQuietTime(time)).toBe(quiet);
  });

  it('handles quiet hours that do not wrap past midnight', () => {
    expect(isQuietTime('13:30', { start: '13:00', end: '14:00' })).toBe(true);
    expect(isQuietTime('14:00', { start: '13:00', end: '14:00' })).toBe(false);
  });

  it('leaves a time outside quiet hours as it is', () => {
    const at = new Date('2026-10-06T13:00:00Z');
    expect(outsideQuietHours(at, 'Europe/London')).toEqual(at);
  });

  it('defers a late-evening text to 07:00 the next local morning', () => {
    // 22:30 in London (BST) → 07:00 BST = 06:00Z.
    expect(outsideQuietHours(new Date('2026-10-06T21:30:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-10-07T06:00:00.000Z',
    );
  });

  it('defers an early-morning text to 07:00 the same local day', () => {
    // 05:00 in New York (EDT) → 07:00 EDT = 11:00Z.
    expect(outsideQuietHours(new Date('2026-10-06T09:00:00Z'), 'America/New_York').toISOString()).toBe(
      '2026-10-06T11:00:00.000Z',
    );
  });

  it('defers across a daylight-saving change to 07:00 local on the new offset', () => {
    // 23:00 BST on 24 October; clocks fall back that night, so 07:00 on the 25th is GMT = 07:00Z.
    expect(outsideQuietHours(new Date('2026-10-24T22:00:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-10-25T07:00:00.000Z',
    );
  });

  it('defers in a half-hour zone (Australia/Lord_Howe) and a 45-minute zone (Pacific/Chatham)', () => {
    // 22:00 Lord Howe (UTC+11 in January) → 07:00 next day = 20:00Z.
    expect(outsideQuietHours(new Date('2026-01-10T11:00:00Z'), 'Australia/Lord_Howe').toISOString()).toBe(
      '2026-01-10T20:00:00.000Z',
    );
    // 22:00 Chatham (UTC+13:45 in January) → 07:00 next day = 17:15Z.
    expect(outsideQuietHours(new Date('2026-01-10T08:15:00Z'), 'Pacific/Chatham').toISOString()).toBe(
      '2026-01-10T17:15:00.000Z',
    );
  });
});
