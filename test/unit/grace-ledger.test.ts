import { describe, expect, it } from 'vitest';
import { canSpendGrace, graceMonth, graceTokensLeft } from '#shared/domain/grace-ledger.js';

describe('graceMonth', () => {
  it.each<[string, string, string, string]>([
    [
      '23:30 on 31 January in Tokyo is January (UTC: 14:30 the same day)',
      '2026-01-31T14:30:00Z',
      'Asia/Tokyo',
      '2026-01',
    ],
    [
      '00:30 on 1 February in Tokyo is February (UTC: still 31 January)',
      '2026-01-31T15:30:00Z',
      'Asia/Tokyo',
      '2026-02',
    ],
    [
      '23:30 on 31 January in Los Angeles is January (UTC: already 1 February)',
      '2026-02-01T07:30:00Z',
      'America/Los_Angeles',
      '2026-01',
    ],
    [
      '00:30 on 1 February in Los Angeles is February',
      '2026-02-01T08:30:00Z',
      'America/Los_Angeles',
      '2026-02',
    ],
    [
      '23:59 on 31 December in Los Angeles is December (UTC: already the new year)',
      '2026-01-01T07:59:00Z',
      'America/Los_Angeles',
      '2025-12',
    ],
  ])('counts a token in the member’s local month: %s', (_case, at, timezone, month) => {
    // Prepare
    const instant = new Date(at);

    // Act
    const result = graceMonth(instant, timezone);

    // Assess
    expect(result).toBe(month);
  });

  it('puts the same instant in different months for members in different zones', () => {
    // Prepare
    const instant = new Date('2026-01-31T15:30:00Z');

    // Act
    const inTokyo = graceMonth(instant, 'Asia/Tokyo');
    const inLosAngeles = graceMonth(instant, 'America/Los_Angeles');

    // Assess
    expect(inTokyo).toBe('2026-02');
    expect(inLosAngeles).toBe('2026-01');
  });

  it('names the month as a zero-padded YYYY-MM key', () => {
    // Prepare
    const instant = new Date('2026-09-15T12:00:00Z');

    // Act
    const result = graceMonth(instant, 'Europe/London');

    // Assess
    expect(result).toBe('2026-09');
  });
});

describe('graceTokensLeft', () => {
  it.each([
    [2, 0, 2],
    [2, 1, 1],
    [2, 2, 0],
    [10, 4, 6],
    [0, 0, 0],
  ])('with an allowance of %i and %i spent, leaves %i', (allowance, spent, left) => {
    // Prepare: the table row

    // Act
    const result = graceTokensLeft(allowance, spent);

    // Assess
    expect(result).toBe(left);
  });

  it.each([
    [2, 3],
    [2, 50],
    [0, 1],
  ])('never reports a negative balance: allowance %i, %i spent leaves 0', (allowance, spent) => {
    // Prepare: the table row

    // Act
    const result = graceTokensLeft(allowance, spent);

    // Assess
    expect(result).toBe(0);
  });

  it.each([
    { allowance: 2, spent: -1 },
    { allowance: 2, spent: -100 },
  ])(
    'never reports more than the allowance, even for a corrupt negative spend of $spent',
    ({ allowance, spent }) => {
      // Prepare: the table row

      // Act
      const result = graceTokensLeft(allowance, spent);

      // Assess
      expect(result).toBe(allowance);
    },
  );
});

describe('canSpendGrace', () => {
  it('allows the first two tokens of a month and refuses the third with an allowance of 2', () => {
    // Prepare
    const allowance = 2;

    // Act
    const decisions = [0, 1, 2].map((alreadySpent) => canSpendGrace(allowance, alreadySpent));

    // Assess
    expect(decisions).toEqual([true, true, false]);
  });

  it('refuses every token when the allowance is 0', () => {
    // Prepare
    const allowance = 0;

    // Act
    const allowed = canSpendGrace(allowance, 0);

    // Assess
    expect(allowed).toBe(false);
  });

  it('refuses once the recorded spend has somehow exceeded the allowance', () => {
    // Prepare
    const allowance = 2;

    // Act
    const allowed = canSpendGrace(allowance, 5);

    // Assess
    expect(allowed).toBe(false);
  });

  it('agrees with the balance: a token may be spent exactly when at least one is left', () => {
    // Prepare
    const pairs = [0, 1, 2, 3, 5, 10].flatMap((allowance) =>
      [0, 1, 2, 3, 5, 10, 11].map((spent) => ({ allowance, spent })),
    );

    // Act
    const disagreements = pairs.filter(
      ({ allowance, spent }) => canSpendGrace(allowance, spent) !== graceTokensLeft(allowance, spent) > 0,
    );

    // Assess
    expect(disagreements).toEqual([]);
  });
});
