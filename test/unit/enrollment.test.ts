import { describe, expect, it } from 'vitest';
import { type EnrollmentInput, enrollmentSchema } from '#shared/domain/enrollment.js';

const ADA = {
  name: 'Ada',
  phone: '+12125550101',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
};
const BEN = {
  name: 'Ben',
  phone: '+447911123456',
  timezone: 'Europe/London',
  checkInTime: '19:00',
  goal: 'run 3 km',
};

function issuesOf(input: unknown) {
  const result = enrollmentSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, code: issue.code }));
}

describe('enrollmentSchema', () => {
  it('accepts a valid pair and fills in two grace tokens a month', () => {
    // Prepare
    const input: EnrollmentInput = { members: [ADA, BEN] };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).toEqual({
      members: [ADA, BEN].map((member) => ({ ...member, cadence: 'daily', checkInBy: 'sms' })),
      graceTokensPerMonth: 2,
      bufferDays: 0,
    });
  });

  it('keeps an explicit grace allowance', () => {
    // Prepare
    const input: EnrollmentInput = { members: [ADA, BEN], graceTokensPerMonth: 0 };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.data?.graceTokensPerMonth).toBe(0);
  });

  it.each([
    { written: '+1 212 555 0101', e164: '+12125550101' },
    { written: '+1 (212) 555-0101', e164: '+12125550101' },
    { written: '  +1-212-555-0101  ', e164: '+12125550101' },
    { written: '+44 7911 123456', e164: '+447911123456' },
    { written: '+44 (0)7911 123456', e164: '+447911123456' },
  ])('normalises the phone number $written to E.164 $e164', ({ written, e164 }) => {
    // Prepare
    const input = {
      members: [
        { ...ADA, phone: '+33612345678' },
        { ...BEN, phone: written },
      ],
    };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.data?.members[1]?.phone).toBe(e164);
  });

  it('trims surrounding spaces from names, zones and goals', () => {
    // Prepare
    const input = {
      members: [{ ...ADA, name: '  Ada ', timezone: ' America/New_York ', goal: ' write ' }, BEN],
    };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.data?.members[0]).toMatchObject({
      name: 'Ada',
      timezone: 'America/New_York',
      goal: 'write',
    });
  });

  it('accepts up to eight members', () => {
    // Prepare
    const members = Array.from({ length: 8 }, (_, i) => ({ ...ADA, phone: `+1212555010${i}` }));

    // Act
    const result = enrollmentSchema.safeParse({ members });

    // Assess
    expect(result.success).toBe(true);
  });

  it('rejects a partnership of one', () => {
    // Prepare
    const input = { members: [ADA] };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: ['members'], code: 'too_small' }]);
  });

  it('rejects a partnership of nine', () => {
    // Prepare
    const members = Array.from({ length: 9 }, (_, i) => ({ ...ADA, phone: `+1212555010${i}` }));

    // Act
    const issues = issuesOf({ members });

    // Assess
    expect(issues).toEqual([{ path: ['members'], code: 'too_big' }]);
  });

  it.each([
    ['a local number without country code', '555-0100'],
    ['an international number without the plus', '12125550102'],
    ['a number that is too short', '+1212'],
    ['a number in the UK drama range', '+447700900123'],
    ['text that is not a number', 'call me'],
  ])('rejects %s (%j) at the member’s phone', (_case, phone) => {
    // Prepare
    const input = { members: [ADA, { ...BEN, phone }] };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: ['members', 1, 'phone'], code: 'custom' }]);
  });

  it.each(['Mars/Olympus', 'UTC', 'EST', ''])(
    'rejects %j, which is not an IANA Area/Location zone, at the member’s timezone',
    (timezone) => {
      // Prepare
      const input = { members: [ADA, { ...BEN, timezone }] };

      // Act
      const issues = issuesOf(input);

      // Assess
      expect(issues).toEqual([{ path: ['members', 1, 'timezone'], code: 'custom' }]);
    },
  );

  it.each(['24:00', '7:5', '7:05', '07:60', '0830', '08:30:00'])(
    'rejects the check-in time %j, which is not 24-hour HH:MM',
    (checkInTime) => {
      // Prepare
      const input = { members: [ADA, { ...BEN, checkInTime }] };

      // Act
      const issues = issuesOf(input);

      // Assess
      expect(issues).toEqual([{ path: ['members', 1, 'checkInTime'], code: 'invalid_format' }]);
    },
  );

  it.each(['07:00', '20:59'])(
    'accepts the check-in time %s at the edges of the texting day',
    (checkInTime) => {
      // Prepare
      const input = { members: [ADA, { ...BEN, checkInTime }] };

      // Act
      const result = enrollmentSchema.safeParse(input);

      // Assess
      expect(result.success).toBe(true);
    },
  );

  it.each(['21:00', '23:59', '00:00', '06:59'])(
    'refuses kindly a check-in time %s inside quiet hours',
    (checkInTime) => {
      // Prepare
      const input = { members: [ADA, { ...BEN, checkInTime }] };

      // Act
      const result = enrollmentSchema.safeParse(input);

      // Assess
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
        [
          ['members', 1, 'checkInTime'],
          'is inside quiet hours (21:00 to 07:00); pick a time we may text you',
        ],
      ]);
    },
  );

  it('rejects a phone number already used by another member, at the later member', () => {
    // Prepare
    const input = { members: [ADA, BEN, { ...BEN, name: 'Cy', phone: ADA.phone }] };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: ['members', 2, 'phone'], code: 'custom' }]);
  });

  it('recognises a duplicate phone number written differently', () => {
    // Prepare
    const input = { members: [ADA, { ...BEN, phone: '+1 (212) 555-0101' }] };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: ['members', 1, 'phone'], code: 'custom' }]);
  });

  it.each<[string, string, string, string]>([
    ['a name longer than 24 characters', 'name', 'x'.repeat(25), 'too_big'],
    ['a blank name', 'name', '   ', 'too_small'],
    ['a goal longer than 60 characters', 'goal', 'x'.repeat(61), 'too_big'],
    ['an empty goal', 'goal', '', 'too_small'],
    ['an email address without an @', 'email', 'ada', 'invalid_format'],
  ])('rejects %s at that member field', (_case, field, value, code) => {
    // Prepare
    const input = { members: [ADA, { ...BEN, [field]: value }] };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: ['members', 1, field], code }]);
  });

  it('accepts a name of 24 and a goal of 60 characters, the longest the SMS copy is sized for', () => {
    // Prepare
    const input = { members: [ADA, { ...BEN, name: 'x'.repeat(24), goal: 'y'.repeat(60) }] };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    { graceTokensPerMonth: -1, code: 'too_small' },
    { graceTokensPerMonth: 11, code: 'too_big' },
    { graceTokensPerMonth: 1.5, code: 'invalid_type' },
  ])('rejects a grace allowance of $graceTokensPerMonth', ({ graceTokensPerMonth, code }) => {
    // Prepare
    const input = { members: [ADA, BEN], graceTokensPerMonth };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([{ path: ['graceTokensPerMonth'], code }]);
  });

  it('ignores the old partnership-level channels ["sms"] and refuses any other, pointing to checkInBy', () => {
    // Prepare
    const old = { members: [ADA, BEN], channels: ['sms'] };
    const emailOnly = { members: [ADA, BEN], channels: ['email'] };
    const none = { members: [ADA, BEN], channels: [] };

    // Act
    const issues = [...issuesOf(old), ...issuesOf(emailOnly), ...issuesOf(none)];
    const refused = enrollmentSchema.safeParse(emailOnly);

    // Assess
    expect(issues).toEqual([
      { path: ['channels'], code: 'custom' },
      { path: ['channels'], code: 'custom' },
    ]);
    expect(refused.error?.issues[0]?.message).toContain('checkInBy');
  });

  it('keeps a time zone as the member spelled it, in the usual case', () => {
    // Act
    const zones = [
      'Asia/Kolkata',
      'asia/kolkata',
      'europe/london',
      'America/New_York',
      'AMERICA/NEW_YORK',
    ].map(
      (timezone) =>
        enrollmentSchema.safeParse({ members: [{ ...ADA, timezone }, BEN] }).data?.members[0]?.timezone,
    );

    // Assess: ICU's own answer for Asia/Kolkata would be its old alias, Asia/Calcutta.
    expect(zones).toEqual([
      'Asia/Kolkata',
      'Asia/Kolkata',
      'Europe/London',
      'America/New_York',
      'America/New_York',
    ]);
  });

  it('needs an email address for a member who checks in by email', () => {
    // Prepare
    const input: EnrollmentInput = { members: [{ ...ADA, checkInBy: 'email' }, BEN] };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({
        path: ['members', 0, 'email'],
        message: 'is required when checkInBy is "email"',
      }),
    );
  });

  it('accepts email check-ins when the member gave an address', () => {
    // Prepare
    const input: EnrollmentInput = {
      members: [{ ...ADA, email: 'ada@example.com', checkInBy: 'email' }, BEN],
    };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.data?.members[0]?.checkInBy).toBe('email');
    expect(result.data?.members[1]?.checkInBy).toBe('sms');
  });
  it("refuses a support board time inside a member's quiet hours, naming the member", () => {
    // Prepare
    const input: EnrollmentInput = {
      members: [
        ADA,
        BEN,
        { ...BEN, name: 'Cy', phone: '+13125550199', quietHours: { start: '17:00', end: '07:00' } },
      ],
      boardTime: '18:00',
    };

    // Act
    const result = enrollmentSchema.safeParse(input);

    // Assess
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({
        path: ['boardTime'],
        message: 'is inside the quiet hours of members.2 (17:00 to 07:00)',
      }),
    );
  });
});
