/**
 * The reading rules of issue 15 (item 4) and issue 16: a number inside words is never a mood; a break
 * without a number is asked about, never guessed; loose answers to the review mean CONTINUE, PAUSE or
 * TWEAK. Reviewers: left what a member texts, right what it means and how sure the reading is.
 */
import { describe, expect, it } from 'vitest';
import {
  type Evidence,
  type Intent,
  parseReply,
  readConfirmationAnswer,
  readDaysAnswer,
  readReviewAnswer,
} from '#shared/domain/conversation/grammar.js';

const win = (text: string): Intent => ({ kind: 'win', text });
const need = (text: string): Intent => ({ kind: 'need', text });
const goal = (text: string): Intent => ({ kind: 'tweak', change: { kind: 'goal', text } });
const mood = (score: 1 | 2 | 3 | 4 | 5): Intent => ({ kind: 'mood', score });
const pause = (days?: number): Intent => (days === undefined ? { kind: 'pause' } : { kind: 'pause', days });
const onTrack: Intent = { kind: 'on_track' };
const E: Evidence = 'explicit';
const I: Evidence = 'inferred';

type Row = readonly [text: string, intents: readonly Intent[], evidence: readonly Evidence[]];

const numbersInsideWords: readonly Row[] = [
  ['WIN 2,000 words this week!', [win('2,000 words this week!')], [E]],
  ['WIN ran 5 km', [win('ran 5 km')], [E]],
  ['WIN: 3 pages', [win('3 pages')], [E]],
  ['win - 10k steps today', [win('10k steps today')], [E]],
  ['ran 5 km today', [], []],
  ['read 3 pages', [], []],
  ['wrote 1,500 words', [], []],
  ['did 4 hrs last night', [], []],
  ['at 3.5 now', [], []],
  ['5 out of 5 for the walk lol', [], []],
  ['yes, 3 miles', [onTrack], [E]],
  ['Done, 2 chapters', [onTrack], [E]],
  ['need 2 hours of quiet on sunday', [need('2 hours of quiet on sunday')], [E]],
  ['need 3 people to read my draft', [need('3 people to read my draft')], [E]],
  ['NEED 20 min on the phone', [need('20 min on the phone')], [E]],
  ['GOAL run 5k 3 times a week', [goal('run 5k 3 times a week')], [E]],
  ['GOAL read 2 books', [goal('read 2 books')], [E]],
  ['goal: 4 chapters by friday', [goal('4 chapters by friday')], [E]],
  ['finished 2 of 5 chapters', [win('finished 2 of 5 chapters')], [I]],
  // A mood is a reply that is only a digit, MOOD n, or a score out of 5.
  ['mood 4', [mood(4)], [E]],
  ['Mood: 2', [mood(2)], [E]],
  ['4', [mood(4)], [E]],
  ['5!', [mood(5)], [E]],
  ['3/5', [mood(3)], [E]],
];

const looseBreaks: readonly Row[] = [
  ['need a break for a while', [pause()], [I]],
  ['taking a breather', [pause()], [I]],
  ['I think I need a break', [pause()], [I]],
  ['could use a break', [pause()], [I]],
  ['need a breather', [pause()], [I]],
  ['want a break', [pause()], [I]],
  ['going on holiday', [pause()], [I]],
  ['take a break', [pause()], [I]],
  ['need a break for 3 days', [pause(3)], [I]],
  ['taking a break for a week', [pause(7)], [I]],
  ['PAUSE', [pause()], [E]],
  ['pause 3', [pause(3)], [E]],
  ['pause for 2 days', [pause(2)], [E]],
  ['pause 1', [pause(1)], [E]],
];

const reviewAnswers: ReadonlyArray<
  readonly [text: string, choice: 'continue' | 'pause' | 'tweak' | undefined]
> = [
  ['yes', 'continue'],
  ['Yes please!', 'continue'],
  ['sure', 'continue'],
  ['ok', 'continue'],
  ['of course', 'continue'],
  ['keep going', 'continue'],
  ['same again', 'continue'],
  ['Same again please', 'continue'],
  ['carry on', 'continue'],
  ['CONTINUE', 'continue'],
  ['no', 'pause'],
  ['Nope.', 'pause'],
  ['stop for now', 'pause'],
  ['not now', 'pause'],
  ['no thanks', 'pause'],
  ['take a break', 'pause'],
  ['change the time to 7:45', 'tweak'],
  ['change my goal', 'tweak'],
  ['Tweak it', 'tweak'],
  ['adjust the days', 'tweak'],
  ['what are my options?', undefined],
  ['need a hand with the plan', undefined],
  ['maybe', undefined],
];

describe('reading rules: numbers inside words are never a mood', () => {
  it.each(numbersInsideWords)('reads %j', (text, intents, evidence) => {
    const reply = parseReply(text);
    expect(reply.intents).toEqual(intents);
    expect(reply.evidence).toEqual(evidence);
  });
});

describe('reading rules: a break without a number is asked about, never guessed', () => {
  it.each(looseBreaks)('reads %j', (text, intents, evidence) => {
    const reply = parseReply(text);
    expect(reply.intents).toEqual(intents);
    expect(reply.evidence).toEqual(evidence);
  });

  it.each([
    ['3', 3],
    ['3 days', 3],
    ['2 please', 2],
    ['7', 7],
    ['three', undefined],
    ['3 weeks', undefined],
    ['maybe 3', undefined],
  ] as const)('reads %j as an answer to "how many days?": %s', (text, days) => {
    expect(readDaysAnswer(text)).toBe(days);
  });
});

describe('reading rules: answers to the review question', () => {
  it.each(reviewAnswers)('reads %j at a review as %s', (text, choice) => {
    expect(readReviewAnswer(text)).toBe(choice);
  });
});

describe('reading rules: answers to a confirmation question', () => {
  it.each([
    ['SEND', 'send'],
    ['send it, thanks', 'send'],
    ['yes send', 'send'],
    ['No.', 'no'],
    ["don't send", 'no'],
    ['yes', undefined],
    ['send it to Bob tomorrow', undefined],
  ] as const)('reads %j as %s', (text, answer) => {
    expect(readConfirmationAnswer(text)).toBe(answer);
  });
});

describe('reading rules: the table', () => {
  it('holds at least 40 new phrasings', () => {
    expect(numbersInsideWords.length + looseBreaks.length + reviewAnswers.length).toBeGreaterThanOrEqual(40);
  });
});
