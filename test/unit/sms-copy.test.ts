import { describe, expect, it } from 'vitest';
import { parseReply, readConfirmationAnswer } from '#shared/domain/conversation/grammar.js';
import { MAX_GOAL_LENGTH, MAX_NAME_LENGTH } from '#shared/domain/enrollment.js';
import { PLACEHOLDER_MAX_LENGTH, renderSms, type SmsTemplate, smsCopy } from '#templates/sms.js';
import { GSM7_BASIC, GSM7_EXTENSION, nonGsmCharacters, septets } from '#templates/sms-segments.js';

const SEGMENT_SEPTETS = 160;

/** Placeholders at their longest: names and goals at the enrollment limits, a member as partner. */
const LONGEST = {
  name: 'N'.repeat(MAX_NAME_LENGTH),
  goal: 'G'.repeat(MAX_GOAL_LENGTH),
  partner: 'P'.repeat(MAX_NAME_LENGTH),
  ...Object.fromEntries(
    Object.entries(PLACEHOLDER_MAX_LENGTH).map(([placeholder, length]) => [placeholder, 'X'.repeat(length)]),
  ),
};

const TEMPLATES = Object.keys(smsCopy) as SmsTemplate[];

describe('the GSM-7 alphabet used by these tests', () => {
  it('has the 127 printable basic characters and 10 extension characters of GSM 03.38', () => {
    // Prepare: the tables in templates/sms-segments.ts

    // Act
    const sizes = { basic: GSM7_BASIC.size, extension: GSM7_EXTENSION.size };

    // Assess
    expect(sizes).toEqual({ basic: 127, extension: 10 });
  });

  it('counts extension characters as two septets and rejects characters that force UCS-2', () => {
    // Prepare
    const text = 'a€[b’—';

    // Act
    const counted = { septets: septets(text), outside: nonGsmCharacters(text) };

    // Assess
    expect(counted).toEqual({ septets: 8, outside: ['’', '—'] });
  });
});

describe('smsCopy', () => {
  it.each(TEMPLATES)(
    'fits %s in one 160-septet GSM-7 segment with every placeholder at its longest',
    (template) => {
      // Prepare
      const values = LONGEST;

      // Act
      const text = renderSms(template, values);

      // Assess
      expect(septets(text), text).toBeLessThanOrEqual(SEGMENT_SEPTETS);
    },
  );

  it.each(TEMPLATES)('writes %s only in GSM-7 characters, so nothing forces UCS-2', (template) => {
    // Prepare
    const text = smsCopy[template];

    // Act
    const outside = nonGsmCharacters(text);

    // Assess
    expect(outside).toEqual([]);
  });

  it.each(TEMPLATES)(
    'uses only the documented placeholders {name}, {goal}, {left} and {partner} in %s',
    (template) => {
      // Prepare
      const values = LONGEST;

      // Act
      const text = renderSms(template, values);

      // Assess
      expect(text).not.toMatch(/[{}]/);
    },
  );

  it.each(TEMPLATES)('never shames the member in %s', (template) => {
    // Prepare
    const shaming = /\b(failed|missed|overdue|behind|lazy|disappointed)\b/i;

    // Act
    const text = smsCopy[template];

    // Assess
    expect(text).not.toMatch(shaming);
  });

  it('fits the invitation in one segment when it comes from the fallback partner "Your team"', () => {
    // Prepare
    const values = { ...LONGEST, partner: 'Your team' };

    // Act
    const text = renderSms('invitation', values);

    // Assess
    expect(septets(text), text).toBeLessThanOrEqual(SEGMENT_SEPTETS);
  });

  it('tells an invited member how to opt out in the first message of the thread', () => {
    // Prepare
    const text = renderSms('invitation', { name: 'Ada', partner: 'Ben' });

    // Act
    const mentionsStop = /\bSTOP\b/.test(text);

    // Assess
    expect(mentionsStop).toBe(true);
  });

  it('asks members to reply only with keywords the reply grammar understands', () => {
    // Prepare: every capitalised phrase after "reply" ("ON IT", "PAUSE 2"); "NEED +" and "WIN +"
    // invite words after the keyword, so they are tried with some.
    const withWords: Record<string, string> = {
      NEED: 'NEED a hand with the intro',
      WIN: 'WIN finished the draft',
      'TIME 7': 'TIME 7:45',
      GOAL: 'GOAL run 5 km',
      OFFER: 'OFFER a code review',
    };
    const asked = new Set(
      Object.values(smsCopy).flatMap((text) =>
        [...text.matchAll(/\breply\b([^.]*)/gi)].flatMap(
          (match) => match[1]?.match(/\b[A-Z]{2,}(?: (?:[A-Z]{2,}|\d+)\b)*/g) ?? [],
        ),
      ),
    );

    // Act
    const notUnderstood = [...asked].filter(
      // SEND answers a confirmation question (read while one is open), not a check-in.
      (keyword) =>
        parseReply(withWords[keyword] ?? keyword).intents.length === 0 &&
        readConfirmationAnswer(keyword) === undefined,
    );

    // Assess
    expect([...asked]).toEqual(
      expect.arrayContaining([
        'YES',
        'GRACE',
        'HELP',
        'STOP',
        'START',
        'ON IT',
        'PAUSE 2',
        'OK',
        'RESUME',
        'CONTINUE',
        'TWEAK',
      ]),
    );
    expect(notUnderstood).toEqual([]);
  });
});

describe('renderSms', () => {
  it('fills every placeholder it is given', () => {
    // Prepare
    const values = { name: 'Ada', goal: 'write 300 words' };

    // Act
    const text = renderSms('checkIn', values);

    // Assess
    expect(text).toBe(
      'Still on track for "write 300 words" today, Ada? Reply YES, or GRACE for a no-guilt pass.',
    );
  });

  it('writes numbers as plain digits, including zero', () => {
    // Prepare
    const values = { name: 'Ada', left: 0 };

    // Act
    const text = renderSms('graceSpent', values);

    // Assess
    expect(text).toContain('You have 0 grace left this month.');
  });

  it('inserts values literally, without re-reading placeholders or replacement patterns inside them', () => {
    // Prepare
    const values = { name: '{goal} $& $1', goal: 'run' };

    // Act
    const text = renderSms('checkIn', values);

    // Assess
    expect(text).toBe(
      'Still on track for "run" today, {goal} $& $1? Reply YES, or GRACE for a no-guilt pass.',
    );
  });
});
