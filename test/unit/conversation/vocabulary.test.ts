import { describe, expect, it } from 'vitest';
import { compiledRules, INTENT_KINDS, parseReply, wordAsRead } from '#shared/domain/conversation/grammar.js';
import { compilePattern } from '#shared/domain/conversation/patterns.js';
import { neverGuess, optOutFamily, rules } from '#shared/domain/conversation/vocabulary.js';
import { withinOneEdit } from '#shared/domain/conversation/words.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Every word one edit away: a letter added, removed, changed, or two neighbours swapped. */
function oneEditAway(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++)
    for (const c of LETTERS) out.add(word.slice(0, i) + c + word.slice(i));
  for (let i = 0; i < word.length; i++) {
    out.add(word.slice(0, i) + word.slice(i + 1));
    for (const c of LETTERS) out.add(word.slice(0, i) + c + word.slice(i + 1));
    if (i + 1 < word.length)
      out.add(word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2));
  }
  out.delete(word);
  return [...out];
}

describe('the vocabulary', () => {
  it('compiles: every pattern follows the pattern language', () => {
    expect(compiledRules).toHaveLength(rules.length);
    for (const rule of rules) {
      expect(rule.means.length).toBeGreaterThan(0);
      expect(rule.say.length).toBeGreaterThan(0);
    }
  });

  it('has at least one rule for every intent', () => {
    const covered = new Set(rules.map((rule) => rule.intent));
    for (const kind of INTENT_KINDS) expect(covered.has(kind)).toBe(true);
  });

  it('rejects malformed patterns', () => {
    const plain = (word: string) => word;
    const isSlot = (name: string) => name === 'weekday';
    expect(() => compilePattern('move to <nope>', plain, isSlot)).toThrow();
    expect(() => compilePattern('need ... more', plain, isSlot)).toThrow();
    expect(() => compilePattern('[maybe]', plain, isSlot)).toThrow();
    expect(() => compilePattern('move [to', plain, isSlot)).toThrow();
    expect(compilePattern('move [to] <weekday>', plain, isSlot).pieces).toHaveLength(3);
  });
});

describe('reading words', () => {
  it.each([
    ['Yesss', 'yes'],
    ['yse', 'yes'],
    ['graec', 'grace'],
    ['grcae', 'grace'],
    ['pasue', 'pause'],
    ['DONT', "don't"],
    ['can’t', "can't"],
    ['Im', "i'm"],
    ['ＳＴＯＰ', 'stop'],
    ['thrusday', 'thursday'],
    ['gone', 'gone'],
    ['note', 'note'],
    ['none', 'none'],
  ])('reads %j as %j', (word, read) => {
    expect(wordAsRead(word)).toBe(read);
  });

  it('never corrects a word on the never-guess list', () => {
    for (const word of neverGuess) expect(wordAsRead(word)).toBe(word);
  });

  it('knows one edit when it sees one (Damerau–Levenshtein ≤ 1)', () => {
    expect(withinOneEdit('grace', 'graec')).toBe(true);
    expect(withinOneEdit('grace', 'grcae')).toBe(true);
    expect(withinOneEdit('grace', 'grac')).toBe(true);
    expect(withinOneEdit('grace', 'gracee')).toBe(true);
    expect(withinOneEdit('grace', 'groce')).toBe(true);
    expect(withinOneEdit('grace', 'gacre')).toBe(false);
    expect(withinOneEdit('grace', 'gr')).toBe(false);
    expect(withinOneEdit('', 'a')).toBe(true);
  });
});

describe('opt-out words are never fuzzed into anything else', () => {
  it.each(optOutFamily.map((word) => [word]))('a slip on %j alone is an opt-out or nothing', (word) => {
    for (const slip of oneEditAway(word)) {
      expect(['', 'stop']).toContain(
        parseReply(slip)
          .intents.map((intent) => intent.kind)
          .join(','),
      );
    }
  });

  // ("nah" is left out on purpose: "yah" is one letter away and is itself a way to say yes.)
  it.each([['no'], ['not'], ['nope']])('a slip on %j is never read as on-track', (word) => {
    for (const slip of oneEditAway(word)) {
      expect(parseReply(slip).intents.map((intent) => intent.kind)).not.toContain('on_track');
    }
  });
});

describe('multi-intent replies', () => {
  it('returns intents in order of appearance', () => {
    expect(parseReply('feeling 4. yes. could use help with the outline').intents).toEqual([
      { kind: 'mood', score: 4 },
      { kind: 'on_track' },
      { kind: 'need', text: 'help with the outline' },
    ]);
  });

  it('keeps the member’s own words in a need (case and inner punctuation)', () => {
    expect(parseReply('Could use help with the Intro & Outro!').intents).toEqual([
      { kind: 'need', text: 'help with the Intro & Outro' },
    ]);
  });

  it('collapses white space in texts', () => {
    expect(parseReply('WIN:\n\nran   5k\ntoday').intents).toEqual([{ kind: 'win', text: 'ran 5k today' }]);
  });
});
