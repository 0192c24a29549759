import { describe, expect, it } from 'vitest';
import { parseReply, type ReplyIntent } from '../../shared/domain/reply-grammar.js';

const INTENTS: readonly ReplyIntent[] = ['on_track', 'grace', 'stop', 'start', 'help', 'unknown'];

describe('parseReply', () => {
  it.each<[string, ReplyIntent]>([
    // On track: the ways people say yes.
    ['yes', 'on_track'],
    ['Y', 'on_track'],
    ['yep', 'on_track'],
    ['YEAH!', 'on_track'],
    ['yes.', 'on_track'],
    ['  yes  ', 'on_track'],
    ['Yes!!!', 'on_track'],
    ['👍', 'on_track'],
    ['👍🏽', 'on_track'],
    ['✅', 'on_track'],
    ['Yes 👍', 'on_track'],
    ['done', 'on_track'],
    ['Done!', 'on_track'],
    ['on track', 'on_track'],
    ['Still on track', 'on_track'],
    ['Yes, done', 'on_track'],
    ['OK', 'on_track'],
    // Grace.
    ['grace', 'grace'],
    ['GRACE', 'grace'],
    ['Grace please', 'grace'],
    ['Grace, please.', 'grace'],
    ['use a grace token', 'grace'],
    // Stop: the carrier opt-out words.
    ['STOP', 'stop'],
    ['Stop.', 'stop'],
    ['stopall', 'stop'],
    ['unsubscribe', 'stop'],
    ['cancel', 'stop'],
    ['end', 'stop'],
    ['quit', 'stop'],
    ['opt out', 'stop'],
    // Start again.
    ['START', 'start'],
    ['unstop', 'start'],
    // Help.
    ['HELP', 'help'],
    ['Help!', 'help'],
    ['info', 'help'],
    ['?', 'help'],
    // Not keywords (free text is a later issue).
    ['maybe later', 'unknown'],
    ['no', 'unknown'],
    ['not today', 'unknown'],
    ['', 'unknown'],
    ['   ', 'unknown'],
    ['!!!', 'unknown'],
    ['yesss', 'unknown'],
    ['yes but I need help', 'unknown'],
    ['yes stop', 'unknown'],
    ['grace yes', 'unknown'],
  ])('reads %j as %s', (text, intent) => {
    // Prepare: the table row

    // Act
    const reply = parseReply(text);

    // Assess
    expect(reply.intent).toBe(intent);
  });

  it('keeps the member’s original text alongside the intent', () => {
    // Prepare
    const text = '  YEAH! 👍 ';

    // Act
    const reply = parseReply(text);

    // Assess
    expect(reply).toEqual({ intent: 'on_track', text });
  });

  it('does not read a keyword hidden inside a longer word', () => {
    // Prepare
    const texts = ['yesterday', 'ending soon', 'stopwatch', 'helpful', 'graceful'];

    // Act
    const intents = texts.map((text) => parseReply(text).intent);

    // Assess
    expect(intents).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
  });
});

/** A small deterministic PRNG (mulberry32), so a failing string can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces that stress normalisation: emoji, skin tones, ZWJ, combining marks, RTL, lone surrogates, controls. */
const ODD_PIECES = [
  'yes',
  'STOP',
  'grace',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '!',
  '?',
  '.',
  '👍',
  '🏿',
  '✅',
  '\uFE0F',
  '\u200D',
  '\u200B',
  '👩‍👩‍👧',
  'e\u0301',
  'İ',
  'ß',
  'ǅ',
  'مرحبا',
  '\u202E',
  '日本語',
  '\uD800',
  '\uDFFF',
  '\uFFFF',
  '{name}',
  '$&',
  '\\',
  '𝒴𝑒𝓈',
];

function oddString(next: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i += 1) {
    if (next() < 0.5) {
      text += ODD_PIECES[Math.floor(next() * ODD_PIECES.length)] ?? '';
    } else {
      text += String.fromCharCode(Math.floor(next() * 0x10000));
    }
  }
  return text;
}

describe('parseReply is total', () => {
  it('returns a known intent, without throwing, for 500 generated strings of odd unicode', () => {
    // Prepare
    const next = random(20260131);
    const texts = Array.from({ length: 500 }, () => oddString(next, 1 + Math.floor(next() * 40)));

    // Act
    const intents = texts.map((text) => parseReply(text).intent);

    // Assess
    expect(intents.filter((intent) => !INTENTS.includes(intent))).toEqual([]);
  });

  it('returns a known intent, without throwing, for strings longer than 1,600 characters', () => {
    // Prepare
    const next = random(7);
    const texts = Array.from({ length: 20 }, () => oddString(next, 1_700 + Math.floor(next() * 2_000)));
    texts.push('yes '.repeat(1_000), '👍'.repeat(2_000), 'a'.repeat(100_000));

    // Act
    const intents = texts.map((text) => parseReply(text).intent);

    // Assess
    expect(texts.every((text) => text.length > 1_600)).toBe(true);
    expect(intents.filter((intent) => !INTENTS.includes(intent))).toEqual([]);
  });
});
