import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  INTENT_KINDS,
  type Intent,
  MAX_READ_CHARS,
  MAX_WIN_CHARS,
  type ParsedReply,
  parseReply,
} from '#shared/domain/conversation/grammar.js';
import { phrasings } from './phrasings.js';

const KINDS = new Set<string>(INTENT_KINDS);

/** Every promise the result type makes, checked on one result. */
function expectWellFormed(input: string, reply: ParsedReply): void {
  expect(reply.text).toBe(input.length <= MAX_READ_CHARS ? input : reply.text);
  expect(reply.text.length).toBeLessThanOrEqual(MAX_READ_CHARS);
  expect(input.startsWith(reply.text)).toBe(true);
  for (const intent of reply.intents) expectWellFormedIntent(intent);
  if (reply.intents.some((intent) => intent.kind === 'stop'))
    expect(reply.intents).toEqual([{ kind: 'stop' }]);
  expect(reply.intents.filter((intent) => intent.kind === 'win').length).toBeLessThanOrEqual(1);
  // No repeats.
  const keys = reply.intents.map((intent) => JSON.stringify(intent));
  expect(new Set(keys).size).toBe(keys.length);
}

function expectWellFormedIntent(intent: Intent): void {
  expect(KINDS.has(intent.kind)).toBe(true);
  switch (intent.kind) {
    case 'mood':
      expect([1, 2, 3, 4, 5]).toContain(intent.score);
      break;
    case 'pause':
      if ('days' in intent) {
        expect(Number.isSafeInteger(intent.days)).toBe(true);
        expect(intent.days).toBeGreaterThanOrEqual(1);
      }
      break;
    case 'need':
    case 'offer':
      expect(intent.text.length).toBeGreaterThan(0);
      expect(intent.text).toBe(intent.text.trim());
      break;
    case 'win':
      expect(intent.text.length).toBeGreaterThan(0);
      expect(intent.text.length).toBeLessThanOrEqual(MAX_WIN_CHARS);
      break;
    case 'deadline_move': {
      const { move } = intent;
      if (move.kind === 'weekday') {
        expect([1, 2, 3, 4, 5, 6, 7]).toContain(move.weekday);
        expect(typeof move.nextWeek).toBe('boolean');
      } else if (move.kind === 'days') {
        expect(Number.isSafeInteger(move.days)).toBe(true);
        expect(move.days).toBeGreaterThanOrEqual(1);
      } else {
        expect(move.month).toBeGreaterThanOrEqual(1);
        expect(move.month).toBeLessThanOrEqual(12);
        expect(move.day).toBeGreaterThanOrEqual(1);
        expect(move.day).toBeLessThanOrEqual(31);
      }
      break;
    }
    case 'decision':
      expect(['continue', 'tweak']).toContain(intent.choice);
      break;
    case 'tweak': {
      const { change } = intent;
      if (change.kind === 'time') expect(change.time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      else if (change.kind === 'quiet') {
        expect(change.start).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        expect(change.end).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        expect(change.start).not.toBe(change.end);
        expect(Object.keys(change).sort()).toEqual(['end', 'kind', 'start']);
      } else if (change.kind === 'goal') {
        expect(change.text.length).toBeGreaterThanOrEqual(1);
        expect(change.text.length).toBeLessThanOrEqual(60);
        expect(change.text).toBe(change.text.trim());
      } else expect(Object.keys(change)).toEqual(['kind']);
      break;
    }
    default:
      expect(Object.keys(intent)).toEqual(['kind']);
  }
}

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Replies assembled from words the grammar knows, so that the interesting paths are exercised. */
const vocabularyPieces = [
  ...phrasings.map(([text]) => text).filter((text) => text.length > 0),
  'yes',
  'no',
  'not',
  'stop',
  'start',
  'pause',
  'need',
  'offer',
  'help',
  'with',
  'the',
  'a',
  'couple',
  'of',
  'few',
  'more',
  'days',
  'week',
  'next',
  'friday',
  'dec',
  'may',
  '3',
  '3rd',
  '0',
  '99999999999999999999',
  '4/5',
  '12/3',
  '+',
  '2026-02-29',
  '2026-13-40',
  'feeling',
  'not so',
  'WIN',
  '🎉',
  '👍🏽',
  '🛑',
  '\u{1F3FD}',
  '\uFE0F',
  '\u200D',
  '\uD83D',
  'time',
  'TIME 7:45pm',
  '7am',
  '24:00',
  '12:61',
  '123:45',
  'GOAL',
  'continue',
  'tweak',
  'weekdays',
  'daily',
  'quiet',
  'hours',
  'QUIET 22:00-06:30',
  'quiet 10pm-7am',
  '22:00-22:00',
  'to',
];
const separator = fc.constantFrom(' ', '  ', ', ', '. ', '!', '?', '\n', '\n\n', ' - ', '', '\t');
const vocabularyReply = fc
  .array(fc.tuple(fc.constantFrom(...vocabularyPieces), separator), { maxLength: 24 })
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''));

describe('parseReply: properties', () => {
  it('is total and well-formed on any string up to 1,600 characters (all of Unicode)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: MAX_READ_CHARS }), (input) => {
        const reply = parseReply(input);
        expectWellFormed(input, reply);
        expect(reply.text).toBe(input);
      }),
      { numRuns: 300 },
    );
  });

  it('is total on any sequence of UTF-16 code units, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: MAX_READ_CHARS }), (input) => {
        expectWellFormed(input, parseReply(input));
      }),
      { numRuns: 300 },
    );
  });

  it('is total and well-formed on replies built from its own vocabulary', () => {
    fc.assert(
      fc.property(vocabularyReply, (input) => {
        expectWellFormed(input, parseReply(input));
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic: the same reply twice gives the same result', () => {
    fc.assert(
      fc.property(fc.oneof(vocabularyReply, fc.string({ unit: 'grapheme', maxLength: 200 })), (input) => {
        expect(parseReply(input)).toEqual(parseReply(input));
      }),
      { numRuns: 500 },
    );
  });

  it('ignores case and extra white space when deciding what was meant', () => {
    const kinds = (input: string) =>
      parseReply(input).intents.map((intent) =>
        // Texts keep the member's own case: only what was meant is compared.
        JSON.stringify(
          intent.kind === 'tweak' && intent.change.kind === 'goal'
            ? { ...intent, change: { ...intent.change, text: '' } }
            : { ...intent, text: '' },
        ),
      );
    fc.assert(
      fc.property(vocabularyReply, (input) => {
        expect(kinds(input.toUpperCase())).toEqual(kinds(input.toLowerCase()));
        expect(kinds(`  ${input.replace(/ /g, '   ')}\n`)).toEqual(kinds(input));
      }),
      { numRuns: 500 },
    );
  });

  it('reads only the first 1,600 characters of a 10,000-character reply', () => {
    const long = 'yes '.repeat(2500);
    expect(long.length).toBe(10_000);
    expect(parseReply(long)).toEqual({
      intents: [{ kind: 'on_track' }],
      evidence: ['explicit'],
      text: long.slice(0, MAX_READ_CHARS),
    });

    const noise = 'a'.repeat(10_000);
    expect(parseReply(noise)).toEqual({ intents: [], evidence: [], text: noise.slice(0, MAX_READ_CHARS) });

    const late = `${'x'.repeat(MAX_READ_CHARS)} STOP`;
    expect(parseReply(late).intents).toEqual([]);
  });

  it('never cuts an emoji in half at the 1,600-character limit', () => {
    const input = `${'a'.repeat(MAX_READ_CHARS - 1)}👍 yes`;
    const { text } = parseReply(input);
    expect(text).toBe('a'.repeat(MAX_READ_CHARS - 1));
  });

  it('handles adversarial 10,000-character replies', () => {
    const attacks = [
      'move my the it deadline back '.repeat(400),
      'need '.repeat(2000),
      'not so so really pretty a couple of '.repeat(300),
      '👍🏽'.repeat(2500),
      '1 '.repeat(5000),
      `${'i want to '.repeat(1000)}stop`,
      '!?'.repeat(5000),
      'stop '.repeat(2000),
      'grace'.repeat(2000),
    ];
    for (const attack of attacks) {
      const reply = parseReply(attack);
      expectWellFormed(attack, reply);
      expect(reply.text.length).toBeLessThanOrEqual(MAX_READ_CHARS);
    }
    expect(parseReply('stop '.repeat(2000)).intents).toEqual([{ kind: 'stop' }]);
    expect(parseReply('need '.repeat(2000)).intents).toHaveLength(1);
  });

  it('a win text is at most 160 characters', () => {
    const reply = parseReply(`WIN ${'finished the whole draft and it felt amazing '.repeat(10)}`);
    const [win] = reply.intents;
    expect(win?.kind).toBe('win');
    if (win?.kind === 'win') {
      expect(win.text.length).toBeLessThanOrEqual(MAX_WIN_CHARS);
      expect(win.text.startsWith('finished the whole draft')).toBe(true);
    }
  });
});
