/**
 * Understanding a member's reply, deterministically and without a hosted model.
 *
 * What can be said lives in `vocabulary.ts` (data, with the documented choices); this file is the small
 * engine that follows it. `parseReply` is total (any string, never an exception), deterministic, reads
 * at most the first 1,600 characters, and does a bounded amount of work per character.
 */
import {
  type Captures,
  compilePattern,
  type Match,
  matchAt,
  type Pattern,
  type Slot,
  type SlotMatch,
  wordsAt,
} from './patterns.js';
import type { DeadlineMove, Evidence, Intent, MoodScore, ParsedReply, Weekday } from './types.js';
import {
  answers,
  countWords,
  emoji,
  forgivingWords,
  months,
  moodNegators,
  moodWords,
  moodWordsAfterFeeling,
  moodWordsAfterIm,
  neverGuess,
  optOutFamily,
  type Rule,
  rules,
  spellings,
  units,
  weekdays,
  wordLists,
} from './vocabulary.js';
import { plain, readWordWith, type Token, tokenize } from './words.js';

export type {
  DeadlineMove,
  DecisionChoice,
  Evidence,
  Intent,
  IntentKind,
  MoodScore,
  ParsedReply,
  TweakChange,
  Weekday,
} from './types.js';
export { INTENT_KINDS } from './types.js';

/** Only this much of a reply is read (a long SMS is 10 segments of 160 characters). */
export const MAX_READ_CHARS = 1600;
/** A win's text is at most this long. */
export const MAX_WIN_CHARS = 160;
/** A new goal's text (TWEAK "GOAL …") is at most this long. */
export const MAX_GOAL_CHARS = 60;

// ── The vocabulary, prepared once ───────────────────────────────────────────────────────────────

type ListName = keyof typeof wordLists;

const phrases = (words: readonly string[]) => words.map((phrase) => phrase.split('_').map(plain));
const table = (entries: Readonly<Record<string, number>>) =>
  Object.entries(entries).map(([phrase, value]) => ({ words: phrase.split('_').map(plain), value }));

const moodTable = table(moodWords);
const moodAfterImTable = [...moodTable, ...table(moodWordsAfterIm)];
const moodAfterFeelingTable = [...moodAfterImTable, ...table(moodWordsAfterFeeling)];
const countTable = table(countWords);
const unitTable = table(units);
const weekdayTable = table(weekdays);
const monthTable = table(months);
const negatorPhrases = phrases(moodNegators);
const lists = new Map<string, readonly (readonly string[])[]>(
  Object.entries(wordLists).map(([name, words]) => [name, phrases(words)]),
);

const ORDINAL = new Set(['st', 'nd', 'rd', 'th']);
const countFollowers: ReadonlySet<string> = new Set([
  ...Object.keys(units).map(plain),
  ...wordLists.more.map(plain),
]);

const slots: Record<string, Slot> = {
  count: (tokens, at, free) => {
    // A count in words stands before a unit ("a week", "two more days"): "for a while" is no number.
    const out = valued(countTable, tokens, at, free, (count) => ({ count })).filter(({ end }) =>
      countFollowers.has(tokens[end]?.word ?? ''),
    );
    const token = tokens[at];
    if (token?.kind === 'number' && free(at)) {
      const value = wholeNumber(token.word);
      if (value !== undefined && value >= 1) out.push({ end: at + 1, captures: { count: value } });
    }
    return out;
  },
  unit: (tokens, at, free) => valued(unitTable, tokens, at, free, (unit) => ({ unit })),
  weekday: (tokens, at, free) => valued(weekdayTable, tokens, at, free, (weekday) => ({ weekday })),
  next: (tokens, at, free) =>
    wordsAt([['next']], tokens, at, free).map((m) => ({ ...m, captures: { next: true } })),
  'which-week': (tokens, at, free) => [
    ...wordsAt([['next']], tokens, at, free).map((m) => ({ ...m, captures: { next: true } })),
    ...wordsAt([['this']], tokens, at, free).map((m) => ({ ...m, captures: { next: false } })),
  ],
  month: (tokens, at, free) => valued(monthTable, tokens, at, free, (month) => ({ month })),
  may: (tokens, at, free) =>
    wordsAt([['may']], tokens, at, free).map((m) => ({ ...m, captures: { month: 5 } })),
  day: (tokens, at, free) => {
    const token = tokens[at];
    if (token?.kind !== 'number' || !free(at)) return [];
    const day = wholeNumber(token.word);
    if (day === undefined || day < 1 || day > 31) return [];
    const out: SlotMatch[] = [];
    const suffix = tokens[at + 1];
    // "3rd": the ordinal must touch the number.
    if (suffix?.kind === 'word' && ORDINAL.has(suffix.word) && suffix.start === token.end && free(at + 1)) {
      out.push({ end: at + 2, captures: { day } });
    }
    out.push({ end: at + 1, captures: { day } });
    return out;
  },
  date: (tokens, at, free) => {
    const token = tokens[at];
    if (token?.kind !== 'iso' || !free(at)) return [];
    const [year, month, day] = token.word.split('-').map(Number);
    if (year === undefined || month === undefined || day === undefined) return [];
    if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return [];
    return [{ end: at + 1, captures: { month, day, iso: true } }];
  },
  score: (tokens, at, free) => {
    const token = tokens[at];
    if (token?.kind !== 'number' || !free(at) || !/^[1-5]$/.test(token.word)) return [];
    return [{ end: at + 1, captures: { score: Number(token.word) } }];
  },
  'score-of-5': (tokens, at, free) => {
    const token = tokens[at];
    const found = token?.kind === 'fraction' && free(at) ? /^([1-5])\/5$/.exec(token.word) : null;
    return found?.[1] ? [{ end: at + 1, captures: { score: Number(found[1]) } }] : [];
  },
  not: (tokens, at, free) =>
    wordsAt([['not'], ["don't"], ['do', 'not'], ["didn't"]], tokens, at, free).map((m) => ({
      ...m,
      captures: { negated: true },
    })),
  clock: (tokens, at, free) => clock(tokens, at, free),
  'clock-end': (tokens, at, free) =>
    clock(tokens, at, free).map((m) => ({ end: m.end, captures: { until: m.captures.time } })),
  mood: (tokens, at, free) => mood(moodTable, tokens, at, free),
  'mood-after-im': (tokens, at, free) => mood(moodAfterImTable, tokens, at, free),
  'mood-after-feeling': (tokens, at, free) => mood(moodAfterFeelingTable, tokens, at, free),
};

for (const [name, options] of lists) {
  slots[name] = (tokens, at, free) => wordsAt(options, tokens, at, free);
}

function valued(
  entries: readonly { words: readonly string[]; value: number }[],
  tokens: readonly Token[],
  at: number,
  free: (index: number) => boolean,
  capture: (value: number) => Captures,
): SlotMatch[] {
  const out: SlotMatch[] = [];
  for (const { words, value } of entries) {
    for (const found of wordsAt([words], tokens, at, free))
      out.push({ end: found.end, captures: capture(value) });
  }
  return out;
}

/** A mood word, maybe after "not" ("not great" → 2, "not bad" → 3). */
function mood(
  entries: readonly { words: readonly string[]; value: number }[],
  tokens: readonly Token[],
  at: number,
  free: (index: number) => boolean,
): SlotMatch[] {
  const out = valued(entries, tokens, at, free, (score) => ({ score }));
  for (const negator of wordsAt(negatorPhrases, tokens, at, free)) {
    for (const found of valued(entries, tokens, negator.end, free, (score) => ({ score }))) {
      out.push({ end: found.end, captures: { score: turnedAround(found.captures.score ?? 3) } });
    }
  }
  return out;
}

/**
 * A time of day: "7:45", "19:30", "7:45pm", "7 am". With am/pm the hour is 1–12; without, the minutes
 * must be given and the hour is 0–23. Impossible times match nothing.
 */
function clock(tokens: readonly Token[], at: number, free: (index: number) => boolean): SlotMatch[] {
  const token = tokens[at];
  if (!token || !free(at)) return [];
  let hour: number;
  let minute = 0;
  if (token.kind === 'clock') {
    const [h, m] = token.word.split(':');
    hour = Number(h);
    minute = Number(m);
  } else if (token.kind === 'number' && /^[0-9]{1,2}$/.test(token.word)) {
    hour = Number(token.word);
  } else {
    return [];
  }
  const suffix = tokens[at + 1];
  const half = suffix?.kind === 'word' && free(at + 1) ? suffix.word : undefined;
  const out: SlotMatch[] = [];
  const at24 = (h: number) => ({
    time: `${String(h).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
  });
  if (minute > 59) return [];
  if ((half === 'am' || half === 'pm') && hour >= 1 && hour <= 12) {
    out.push({ end: at + 2, captures: at24((hour % 12) + (half === 'pm' ? 12 : 0)) });
  }
  if (token.kind === 'clock' && hour <= 23) out.push({ end: at + 1, captures: at24(hour) });
  return out;
}

/** "not great" / "not ok" → 2; "not bad" / "not terrible" → 3. */
function turnedAround(score: number): number {
  return score >= 3 ? 2 : 3;
}

function wholeNumber(digits: string): number | undefined {
  if (!/^[0-9]{1,15}$/.test(digits)) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

function daysIn(month: number, year?: number): number {
  if (month === 2)
    return year === undefined || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface CompiledRule {
  rule: Rule;
  patterns: readonly Pattern[];
  fillers: ReadonlySet<string>;
  unlessAfter: ReadonlySet<string>;
  unlessBefore: ReadonlySet<string>;
}

/** A `<list>` in a guard stands for every word of that list. */
function expand(words: readonly string[] | undefined): ReadonlySet<string> {
  const out = new Set<string>();
  for (const word of words ?? []) {
    const list = /^<(.+)>$/.exec(word)?.[1];
    const members = list !== undefined ? wordLists[list as ListName] : undefined;
    if (list !== undefined && !members) throw new Error(`Unknown list ${word}`);
    for (const member of members ?? [word]) out.add(plain(member));
  }
  return out;
}

const defaultFillers = expand(wordLists.fillers);
const meaningfulEmoji: ReadonlySet<string> = new Set(Object.values(emoji).flat());

/** Every rule, compiled. Throws at load if the vocabulary has a malformed pattern (the tests load it). */
export const compiledRules: readonly CompiledRule[] = rules.map((rule) => ({
  rule,
  patterns: rule.say.map((source) => compilePattern(source, plain, (name) => Object.hasOwn(slots, name))),
  fillers: new Set([
    ...defaultFillers,
    ...(rule.fillers && rule.fillers !== 'fillers' ? expand(wordLists[rule.fillers]) : []),
  ]),
  unlessAfter: expand(rule.unlessAfter),
  unlessBefore: expand(rule.unlessBefore),
}));

/** Every word the vocabulary uses: these are read as they are, never "corrected". */
const knownWords: ReadonlySet<string> = (() => {
  const known = new Set<string>();
  const add = (phrase: string) => {
    for (const word of phrase.split('_')) known.add(plain(word));
  };
  for (const words of Object.values(wordLists)) words.forEach(add);
  for (const record of [
    weekdays,
    months,
    countWords,
    units,
    moodWords,
    moodWordsAfterIm,
    moodWordsAfterFeeling,
  ]) {
    Object.keys(record).forEach(add);
  }
  moodNegators.forEach(add);
  Object.values(spellings).forEach(add);
  forgivingWords.forEach(add);
  optOutFamily.forEach(add);
  for (const { patterns } of compiledRules) {
    for (const pattern of patterns) {
      for (const piece of pattern.pieces) {
        const inner = piece.type === 'optional' ? piece.piece : piece;
        if (inner.type !== 'words') continue;
        for (const option of inner.options) for (const word of option) known.add(word);
      }
    }
  }
  for (const word of ['may', 'next', 'this', ...ORDINAL]) known.add(word);
  return known;
})();

const readWord = readWordWith({
  known: knownWords,
  spellings: new Map(Object.entries(spellings).map(([from, to]) => [plain(from), plain(to)])),
  forgiving: forgivingWords.map(plain),
  optOut: new Set(optOutFamily.map(plain)),
  neverGuess: new Set(neverGuess.map(plain)),
});

/** Reads one word the way the engine does: "Yesss" → "yes", "graec" → "grace", "gone" → "gone". */
export function wordAsRead(word: string): string {
  return readWord(plain(word));
}

// ── The engine ──────────────────────────────────────────────────────────────────────────────────

interface Found {
  at: number;
  end: number;
  intent: Intent;
  rule: Rule;
}

/** One intent and how sure the reading is. */
interface Reading {
  intent: Intent;
  evidence: Evidence;
}

/** Understands one reply. Total: any string gives a result, never an exception. */
export function parseReply(text: string): ParsedReply {
  const read = readable(typeof text === 'string' ? text : '');
  try {
    const readings = understand(read);
    return {
      intents: readings.map(({ intent }) => intent),
      evidence: readings.map(({ evidence }) => evidence),
      text: read,
    };
  } catch {
    // Defensive only: the engine is written not to throw; a reply must never crash the handler.
    return { intents: [], evidence: [], text: read };
  }
}

/** The first 1,600 characters, never cutting an emoji or other surrogate pair in half. */
function readable(text: string): string {
  if (text.length <= MAX_READ_CHARS) return text;
  const code = text.charCodeAt(MAX_READ_CHARS - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_READ_CHARS - 1 : MAX_READ_CHARS);
}

function understand(read: string): Reading[] {
  const tokens = tokenize(read, readWord);
  if (!tokens.some((token) => token.kind !== 'sep')) {
    // A message of only question marks asks what can be said.
    return read.includes('?') || read.includes('？')
      ? [{ intent: { kind: 'help' }, evidence: 'explicit' }]
      : [];
  }
  const shape = clauses(tokens);
  const taken = new Array<boolean>(tokens.length).fill(false);
  const free = (index: number) => index >= 0 && index < tokens.length && !taken[index];
  const found: Found[] = [];

  for (const compiled of compiledRules) {
    const { rule } = compiled;
    const where = rule.where ?? 'anywhere';
    const context = {
      tokens,
      free,
      slot: (name: string) => (Object.hasOwn(slots, name) ? slots[name] : undefined) ?? (() => []),
      rest: (at: number) => restEnd(tokens, at, free),
    };
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at];
      if (!token || token.kind === 'sep' || taken[at]) continue;
      let best: Match | undefined;
      for (const pattern of compiled.patterns) {
        for (const match of matchAt(pattern, at, context)) {
          if (match.end <= at || (best && match.end <= best.end)) continue;
          if (!placed(compiled, where, tokens, shape, taken, at, match.end)) continue;
          if (!guarded(compiled, tokens, shape, at, match.end)) continue;
          best = match;
        }
      }
      if (!best) continue;
      const intent = build(rule, best, tokens, read, at);
      if (!intent) continue;
      // A goal's text is the rest of the message: no other rule reads it.
      const [from, to] =
        where === 'alone'
          ? clauseSpan(shape, at)
          : rule.text === 'after-goal'
            ? [at, tokens.length]
            : [at, best.end];
      for (let k = from; k < to; k++) taken[k] = true;
      found.push({ at, end: best.end, intent, rule });
      at = Math.max(at, best.end - 1);
    }
  }
  const weighed = found.flatMap((each) => {
    const evidence = weigh(each, tokens, shape, taken);
    return evidence ? [{ ...each, evidence }] : [];
  });
  return tidy(weighed);
}

const deadlineNouns = expand(wordLists.deadlineNouns);
const complaintWords = expand(wordLists.complaintWords);
const moveStarts = new Set([...expand(wordLists.move), '+']);
/** An inferred reading whose clause holds more than this many other words was said in passing. */
const IN_PASSING_WORDS = 3;

/**
 * How sure a reading is: explicit (the member used the intent's word or shape), inferred (free text
 * that merely contains it), or undefined when it is no reading at all (a date in passing, a complaint).
 */
function weigh(
  found: Found,
  tokens: readonly Token[],
  shape: Shape,
  taken: readonly boolean[],
): Evidence | undefined {
  const { rule, at, end } = found;
  const quiet = (k: number) => {
    const token = tokens[k];
    return token?.kind === 'sep' || taken[k] === true || isFiller(token, defaultFillers);
  };
  // Opening the message: only separators, words already read or "and" before it (no filler: "you need …").
  const opens = () => {
    for (let k = 0; k < at; k++) {
      const token = tokens[k];
      if (token?.kind !== 'sep' && taken[k] !== true && !clauseBreaks.has(token?.word ?? '')) return false;
    }
    return true;
  };
  const asks = tokens.some((token) => token.kind === 'sep' && /[?？]/u.test(token.word));
  let evidence: Evidence;
  switch (rule.evidence ?? 'explicit') {
    case 'explicit':
      evidence = 'explicit';
      break;
    case 'inferred':
      evidence = 'inferred';
      break;
    case 'explicit-at-message-start': {
      const needWords = found.intent.kind === 'need' ? found.intent.text.split(/\s+/) : ['', ''];
      const todo = needWords.length < 2 || plain(needWords[0] ?? '') === 'to';
      evidence = opens() && !asks && !todo ? 'explicit' : 'inferred';
      break;
    }
    case 'explicit-whole': {
      let whole = !asks;
      for (let k = 0; k < tokens.length && whole; k++) {
        if ((k < at || k >= end) && !quiet(k)) whole = false;
      }
      evidence = whole ? 'explicit' : 'inferred';
      break;
    }
    case 'deadline': {
      const named = tokens.some((token) => token.kind === 'word' && deadlineNouns.has(token.word));
      // "move to friday", "push 2 days", "+2d": the message opens with a move word.
      const first = tokens.find((token) => token.kind !== 'sep' && !isFiller(token, defaultFillers));
      const moved = moveStarts.has(first?.word ?? '');
      evidence = named || moved ? 'explicit' : 'inferred';
      break;
    }
  }
  if (evidence === 'explicit') return evidence;
  const dropped = rule.droppedWhen ?? [];
  if (dropped.includes('complaint') && tokens.some((token) => complaintWords.has(token.word)))
    return undefined;
  if (dropped.includes('in-passing')) {
    const [from] = clauseSpan(shape, at);
    const [, to] = clauseSpan(shape, end - 1);
    let others = 0;
    for (let k = from; k < to; k++) {
      const token = tokens[k];
      if ((k < at || k >= end) && token && token.kind !== 'sep' && !isFiller(token, defaultFillers)) others++;
    }
    if (others > (rule.inPassingWords ?? IN_PASSING_WORDS)) return undefined;
  }
  return evidence;
}

/**
 * Keeps appearance order, drops repeats, all but the first win and reactions that yield to something
 * more specific; an opt-out stands alone.
 */
function tidy(found: Array<Found & Reading>): Reading[] {
  if (found.some(({ intent }) => intent.kind === 'stop'))
    return [{ intent: { kind: 'stop' }, evidence: 'explicit' }];
  const kinds = new Set(found.map(({ intent }) => intent.kind));
  const ordered = found
    .filter(({ rule }) => !rule.yieldsTo?.some((kind) => kinds.has(kind)))
    .sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: Reading[] = [];
  for (const { intent, evidence } of ordered) {
    const key = intent.kind === 'win' ? 'win' : JSON.stringify(intent);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ intent, evidence });
  }
  return out;
}

interface Shape {
  /** The clause of each token; -1 for separators and clause-break words. */
  clause: number[];
  /** The sentence of each token. */
  sentence: number[];
  /** First and last-plus-one token index of each clause. */
  spans: [number, number][];
}

const clauseBreaks = expand(wordLists.clauseBreaks);
const needBreaks = expand(wordLists.needBreaks);
const needEmpty = expand(wordLists.needEmptyWords);
const notRequests = expand(wordLists.notRequests);

function clauses(tokens: readonly Token[]): Shape {
  const clause: number[] = [];
  const sentence: number[] = [];
  const spans: [number, number][] = [];
  let current = -1;
  let open = false;
  let sentenceId = 0;
  tokens.forEach((token, index) => {
    const breaks = token.kind === 'sep' || (token.kind === 'word' && clauseBreaks.has(token.word));
    sentence.push(sentenceId);
    if (token.kind === 'sep' && token.sentenceEnd) sentenceId++;
    if (breaks) {
      clause.push(-1);
      open = false;
      return;
    }
    if (!open) {
      current++;
      spans.push([index, index + 1]);
      open = true;
    }
    clause.push(current);
    const span = spans[current];
    if (span) span[1] = index + 1;
  });
  return { clause, sentence, spans };
}

function clauseSpan(shape: Shape, at: number): [number, number] {
  const span = shape.spans[shape.clause[at] ?? -1];
  return span ? [span[0], span[1]] : [at, at + 1];
}

function isFiller(token: Token | undefined, fillers: ReadonlySet<string>): boolean {
  if (!token || token.kind === 'sep') return false;
  if (fillers.has(token.word)) return true;
  return token.kind === 'emoji' && !meaningfulEmoji.has(token.word);
}

/** Whether a match from `from` to `to` stands where its rule allows. */
function placed(
  compiled: CompiledRule,
  where: NonNullable<Rule['where']>,
  tokens: readonly Token[],
  shape: Shape,
  taken: readonly boolean[],
  from: number,
  to: number,
): boolean {
  if (where === 'anywhere') return true;
  const quiet = (index: number) => taken[index] === true || isFiller(tokens[index], compiled.fillers);
  if (where === 'message-start') {
    for (let k = 0; k < from; k++) if (tokens[k]?.kind !== 'sep' && !quiet(k)) return false;
    return true;
  }
  if (where === 'whole') {
    for (let k = 0; k < tokens.length; k++) {
      if (k >= from && k < to) continue;
      if (tokens[k]?.kind !== 'sep' && !quiet(k)) return false;
    }
    return true;
  }
  const [start] = clauseSpan(shape, from);
  const [, end] = clauseSpan(shape, to - 1);
  if (where === 'start' || where === 'alone') {
    for (let k = start; k < from; k++) if (!quiet(k)) return false;
  }
  if (where === 'end' || where === 'alone') {
    for (let k = to; k < end; k++) if (!quiet(k)) return false;
  }
  return true;
}

/** Whether the words just before or just after (in the same clause) forbid the match. */
function guarded(
  compiled: CompiledRule,
  tokens: readonly Token[],
  shape: Shape,
  from: number,
  to: number,
): boolean {
  const clause = shape.clause[from];
  for (const k of [from - 1, from - 2]) {
    const token = tokens[k];
    if (token && shape.clause[k] === clause && compiled.unlessAfter.has(token.word)) return false;
  }
  const after = tokens[to];
  if (after && shape.clause[to] === shape.clause[to - 1] && compiled.unlessBefore.has(after.word))
    return false;
  return true;
}

/**
 * The rest of a sentence for a need: up to the end of the sentence, a comma, a word like "but", or a
 * word an earlier rule took; without trailing filler words. Undefined when nothing meaningful is left.
 */
function restEnd(tokens: readonly Token[], at: number, free: (index: number) => boolean): number | undefined {
  let end = at;
  while (end < tokens.length) {
    const token = tokens[end];
    if (!token || token.kind === 'sep' || !free(end) || (token.kind === 'word' && needBreaks.has(token.word)))
      break;
    end++;
  }
  while (end > at && isFiller(tokens[end - 1], defaultFillers)) end--;
  for (let k = at; k < end; k++) {
    const token = tokens[k];
    if (token && !needEmpty.has(token.word) && !isFiller(token, defaultFillers)) return end;
  }
  return undefined;
}

/** Collapses white space and trims; at most `max` characters, never cutting a surrogate pair. */
function clean(text: string, max = MAX_READ_CHARS): string {
  let out = text.replace(/\s+/g, ' ').trim();
  if (out.length > max) {
    const code = out.charCodeAt(max - 1);
    out = out.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max).trimEnd();
  }
  return out;
}

function slice(read: string, tokens: readonly Token[], from: number, to: number): string {
  const first = tokens[from];
  const last = tokens[to - 1];
  return first && last ? read.slice(first.start, last.end) : '';
}

function build(
  rule: Rule,
  match: Match,
  tokens: readonly Token[],
  read: string,
  at: number,
): Intent | undefined {
  const c = match.captures;
  switch (rule.intent) {
    case 'need': {
      if (c.restFrom === undefined || c.restTo === undefined) return undefined;
      // "would you like to come?" is an invitation, not a request for support.
      if (rule.droppedWhen?.includes('not-a-request') && notRequests.has(tokens[c.restFrom]?.word ?? ''))
        return undefined;
      const text = clean(slice(read, tokens, rule.text === 'from-trigger' ? at : c.restFrom, c.restTo));
      return text ? { kind: 'need', text } : undefined;
    }
    case 'offer': {
      if (c.restFrom === undefined || c.restTo === undefined) return undefined;
      const text = clean(slice(read, tokens, c.restFrom, c.restTo));
      return text ? { kind: 'offer', text } : undefined;
    }
    case 'win': {
      if (rule.text === 'after-win') {
        const after = tokens[match.end - 1];
        const rest = clean(read.slice(after ? after.end : 0).replace(/^[\s:;,.!\-–—]+/u, ''), MAX_WIN_CHARS);
        return { kind: 'win', text: rest || clean(read, MAX_WIN_CHARS) };
      }
      return { kind: 'win', text: clean(read, MAX_WIN_CHARS) };
    }
    case 'pause': {
      const days = lengthInDays(c);
      return days === undefined ? { kind: 'pause' } : { kind: 'pause', days };
    }
    case 'deadline_move': {
      const move = deadlineMove(c);
      return move ? { kind: 'deadline_move', move } : undefined;
    }
    case 'decision':
      return rule.choice ? { kind: 'decision', choice: rule.choice } : undefined;
    case 'tweak':
      return tweak(rule, match, tokens, read);
    case 'mood': {
      const score = c.score !== undefined && c.negated ? turnedAround(c.score) : c.score;
      return score !== undefined && score >= 1 && score <= 5
        ? { kind: 'mood', score: score as MoodScore }
        : undefined;
    }
    default:
      return { kind: rule.intent };
  }
}

function tweak(rule: Rule, match: Match, tokens: readonly Token[], read: string): Intent | undefined {
  switch (rule.tweak) {
    case 'time':
      return match.captures.time
        ? { kind: 'tweak', change: { kind: 'time', time: match.captures.time } }
        : undefined;
    case 'quiet': {
      const { time: start, until: end } = match.captures;
      return start && end && start !== end
        ? { kind: 'tweak', change: { kind: 'quiet', start, end } }
        : undefined;
    }
    case 'weekdays':
    case 'daily':
      return { kind: 'tweak', change: { kind: rule.tweak } };
    case 'goal': {
      const after = tokens[match.end - 1];
      const text = clean(read.slice(after ? after.end : 0).replace(/^[\s:;,.!\-–—=]+/u, ''), MAX_GOAL_CHARS);
      return text ? { kind: 'tweak', change: { kind: 'goal', text } } : undefined;
    }
    default:
      return undefined;
  }
}

/** "3" → 3, "a week" → 7, "2 weeks" → 14; undefined when no length was given or it is absurdly large. */
function lengthInDays(c: Captures): number | undefined {
  if (c.count === undefined && c.unit === undefined) return undefined;
  const days = (c.count ?? 1) * (c.unit ?? 1);
  return Number.isSafeInteger(days) && days >= 1 ? days : undefined;
}

function deadlineMove(c: Captures): DeadlineMove | undefined {
  if (c.weekday !== undefined) {
    return { kind: 'weekday', weekday: c.weekday as Weekday, nextWeek: c.next ?? false };
  }
  if (c.month !== undefined && c.day !== undefined) {
    // A month name and a day: the day must exist in that month (29 February is allowed).
    if (!c.iso && c.day > daysIn(c.month)) return undefined;
    return { kind: 'date', month: c.month, day: c.day };
  }
  const days = lengthInDays(c);
  return days === undefined ? undefined : { kind: 'days', days };
}

// ── Answers to a question we asked ──────────────────────────────────────────────────────────────

/** The words of a reply that carry meaning: no separators, no filler words, read as the engine reads them. */
function meaningfulWords(text: string): string[] {
  return tokenize(readable(typeof text === 'string' ? text : ''), readWord)
    .filter((token) => token.kind !== 'sep' && !isFiller(token, defaultFillers))
    .map((token) => token.word);
}

const answerPhrases = (list: readonly string[]) =>
  new Set(list.map((phrase) => meaningfulWords(phrase).join(' ')));
const sendAnswers = answerPhrases(answers.send);
const dontSendAnswers = answerPhrases(answers.dontSend);
const reviewContinue = answerPhrases(answers.reviewContinue);
const reviewPause = answerPhrases(answers.reviewPause);
const reviewTweakStarts = answerPhrases(answers.reviewTweakStarts);

/** A reply to a confirmation: SEND, NO, or neither (then it is read as a new reply). */
export function readConfirmationAnswer(text: string): 'send' | 'no' | undefined {
  const said = meaningfulWords(text).join(' ');
  if (sendAnswers.has(said)) return 'send';
  if (dontSendAnswers.has(said)) return 'no';
  return undefined;
}

/** A reply to the review question: which choice it means, or undefined when it is something else. */
export function readReviewAnswer(text: string): 'continue' | 'tweak' | 'pause' | undefined {
  const words = meaningfulWords(text);
  const said = words.join(' ');
  if (reviewContinue.has(said)) return 'continue';
  if (reviewPause.has(said)) return 'pause';
  if (words[0] !== undefined && reviewTweakStarts.has(words[0])) return 'tweak';
  return undefined;
}

const dayUnits = new Set(['d', 'day', 'days']);

/** A reply to "how many days?": a whole number alone, maybe with "days" ("3", "3 days"); else undefined. */
export function readDaysAnswer(text: string): number | undefined {
  const [count, unit, ...more] = meaningfulWords(text);
  if (count === undefined || more.length > 0 || (unit !== undefined && !dayUnits.has(unit))) return undefined;
  return wholeNumber(count);
}
