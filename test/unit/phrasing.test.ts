import { describe, expect, it } from 'vitest';
import { MAX_GOAL_LENGTH, MAX_NAME_LENGTH } from '#shared/domain/enrollment.js';
import { phrasingIndex } from '#shared/domain/phrasing.js';
import { composeAnswers } from '#shared/use-cases/compose-answers.js';
import {
  checkInShort,
  fill,
  newsPhrases,
  PLACEHOLDER_MAX_LENGTH,
  type SmsTemplate,
  smsPhrasings,
} from '#templates/sms.js';
import { nonGsmCharacters, septets } from '#templates/sms-segments.js';

const LONGEST = {
  name: 'N'.repeat(MAX_NAME_LENGTH),
  goal: 'G'.repeat(MAX_GOAL_LENGTH),
  partner: 'P'.repeat(MAX_NAME_LENGTH),
  ...Object.fromEntries(
    Object.entries(PLACEHOLDER_MAX_LENGTH).map(([placeholder, length]) => [placeholder, 'X'.repeat(length)]),
  ),
};
const ALL = Object.entries(smsPhrasings).flatMap(([template, texts]) =>
  texts.map((text, index) => ({ template, index, text })),
);
const fortnight = Array.from({ length: 14 }, (_, index) =>
  new Date(Date.UTC(2026, 10, 3 + index)).toISOString().slice(0, 10),
);

describe('phrasings', () => {
  it.each(ALL)('fits $template #$index in one GSM-7 segment, placeholders at their longest', ({ text }) => {
    // Act
    const rendered = fill(text, LONGEST);

    // Assess
    expect(septets(rendered), rendered).toBeLessThanOrEqual(160);
    expect(nonGsmCharacters(text)).toEqual([]);
    expect(rendered).not.toMatch(/[{}]/);
    expect(text).not.toMatch(/\b(failed|missed|overdue|behind|lazy|disappointed)\b/i);
  });

  it('keeps each phrasing of an answer saying the same thing (the same placeholders)', () => {
    for (const texts of Object.values(smsPhrasings)) {
      const placeholders = texts.map((text) =>
        [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort(),
      );
      const distinct = new Set(placeholders.map((each) => [...new Set(each)].join(',')));
      expect(distinct.size, texts[0]).toBe(1);
    }
  });

  it.each(['m1', 'm2', 'ada-01J9', 'x'])(
    'never repeats one of the last two phrasings on consecutive days, nor any more than 3 times in 14 days (member %s)',
    (memberId) => {
      for (const count of [3, 4, 5]) {
        // Act
        const picks = fortnight.map((date) => phrasingIndex(memberId, date, count));

        // Assess
        picks.forEach((pick, day) => {
          expect(picks.slice(Math.max(0, day - 2), day), `${count} phrasings, day ${day + 1}`).not.toContain(
            pick,
          );
        });
        if (count === 5) {
          const most = Math.max(
            ...[0, 1, 2, 3, 4].map((index) => picks.filter((pick) => pick === index).length),
          );
          expect(most).toBeLessThanOrEqual(3);
        }
      }
    },
  );

  it('gives the same member the same phrasing on the same date, and different members different starts', () => {
    // Act
    const again = [phrasingIndex('m1', '2026-11-03', 5), phrasingIndex('m1', '2026-11-03', 5)];
    const starts = new Set(
      ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((id) => phrasingIndex(id, '2026-11-03', 5)),
    );

    // Assess
    expect(again[0]).toBe(again[1]);
    expect(starts.size).toBeGreaterThan(1);
  });
});

describe('news lines and short questions', () => {
  it.each([...Object.entries(newsPhrases), ...Object.entries(checkInShort)])(
    'writes %s in GSM-7 only, with no shaming word and every placeholder filled',
    (_key, text) => {
      // Act
      const rendered = fill(text, LONGEST);

      // Assess
      expect(nonGsmCharacters(text)).toEqual([]);
      expect(text).not.toMatch(/\b(failed|missed|overdue|behind|lazy|disappointed)\b/i);
      expect(rendered).not.toMatch(/[{}]/);
    },
  );
});

describe('composed answers', () => {
  const values = { name: 'Ben', partner: 'Ada' };

  it('makes one text of several answers: a short lead, then each without its own greeting', () => {
    // Act
    const [text, ...rest] = composeAnswers(
      [
        { template: 'onTrack', values },
        { template: 'needReceived', values },
      ],
      'm2',
      '2026-11-05',
    );

    // Assess
    expect(rest).toEqual([]);
    expect(text).toMatch(/^Noted for today, Ben\. /);
    expect(text).toMatch(/passed that on to Ada\.$/);
    expect(text?.match(/Ben/g)).toHaveLength(1);
  });

  it('says a single answer in one of its phrasings, rotating with the date', () => {
    // Act
    const week = fortnight
      .slice(0, 7)
      .map((date) => composeAnswers([{ template: 'onTrack', values }], 'm2', date)[0]);

    // Assess
    expect(new Set(week).size).toBeGreaterThanOrEqual(5);
    for (const text of week) expect(smsPhrasings.onTrack.map((each) => fill(each, values))).toContain(text);
  });

  it('falls back to one text per answer when the composed one would not fit a segment', () => {
    // Prepare
    const long = { ...LONGEST };
    const answers: Array<{ template: SmsTemplate; values: Record<string, string> }> = [
      { template: 'winCelebrate', values: long },
      { template: 'graceSpent', values: long },
      { template: 'needReceived', values: long },
    ];

    // Act
    const texts = composeAnswers(answers, 'm1', '2026-11-05');

    // Assess
    expect(texts).toHaveLength(3);
    for (const text of texts) expect(septets(text)).toBeLessThanOrEqual(160);
  });
});
