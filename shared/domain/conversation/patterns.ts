/**
 * The small pattern language of `vocabulary.ts`, compiled once when the module loads, and a matcher
 * that tries one compiled pattern at one place in a reply. Patterns are short and repetition is capped,
 * so a match attempt does a small, bounded amount of work.
 */
import type { Token } from './words.js';

/** What the slots of a pattern picked up. */
export interface Captures {
  count?: number;
  unit?: number;
  weekday?: number;
  next?: boolean;
  month?: number;
  day?: number;
  /** An ISO date whose month and day were checked against its year. */
  iso?: boolean;
  score?: number;
  /** A time of day, 24-hour "HH:MM" ("7:45pm" → "19:45"). */
  time?: string;
  /** A second time of day (`<clock-end>`), 24-hour "HH:MM": where quiet hours end. */
  until?: string;
  /** "not" before a mood: "I'm not feeling great". */
  negated?: boolean;
  /** The rest of the sentence (`...`): token indexes, end excluded. */
  restFrom?: number;
  restTo?: number;
}

export type Piece =
  | { type: 'words'; options: readonly (readonly string[])[] }
  | { type: 'slot'; name: string }
  | { type: 'optional'; piece: Piece; repeat: boolean }
  | { type: 'rest' };

export interface Pattern {
  source: string;
  pieces: readonly Piece[];
}

/** How many times `[…]*` may repeat. */
const MAX_REPEAT = 4;

/** A slot: from token `at`, every way it can match (end index, excluded) and what it captured. */
export type Slot = (tokens: readonly Token[], at: number, free: (index: number) => boolean) => SlotMatch[];
export interface SlotMatch {
  end: number;
  captures: Captures;
}

/** Compiles one pattern; throws on a pattern that does not follow the language (caught by the tests). */
export function compilePattern(
  source: string,
  normalize: (word: string) => string,
  isSlot: (name: string) => boolean,
): Pattern {
  const parts = source.trim().split(/\s+/);
  const pieces = parts.map((part, index): Piece => {
    if (part === '...') {
      if (index !== parts.length - 1) throw new Error(`"..." must end the pattern: ${source}`);
      return { type: 'rest' };
    }
    const optional = /^\[(.+)\](\*?)$/.exec(part);
    if (optional?.[1]) {
      return {
        type: 'optional',
        piece: single(optional[1], source, normalize, isSlot),
        repeat: optional[2] === '*',
      };
    }
    if (part.includes('[') || part.includes(']')) throw new Error(`Bad brackets in: ${source}`);
    return single(part, source, normalize, isSlot);
  });
  if (pieces.length === 0 || pieces.every((piece) => piece.type === 'optional')) {
    throw new Error(`A pattern needs at least one required part: ${source}`);
  }
  return { source, pieces };
}

function single(
  part: string,
  source: string,
  normalize: (word: string) => string,
  isSlot: (name: string) => boolean,
): Piece {
  const slot = /^<([a-zA-Z0-9-]+)>$/.exec(part);
  if (slot?.[1]) {
    if (!isSlot(slot[1])) throw new Error(`Unknown list <${slot[1]}> in: ${source}`);
    return { type: 'slot', name: slot[1] };
  }
  if (/[<>[\]]/.test(part)) throw new Error(`Bad part "${part}" in: ${source}`);
  const options = part.split('|').map((option) => option.split('_').map(normalize));
  if (options.some((words) => words.some((word) => word === ''))) throw new Error(`Empty word in: ${source}`);
  return { type: 'words', options };
}

export interface MatchContext {
  tokens: readonly Token[];
  /** A token not yet taken by an earlier rule. */
  free: (index: number) => boolean;
  slot: (name: string) => Slot;
  /** Where `...` stops: from `at`, the end of the rest (excluded), or undefined when empty. */
  rest: (at: number) => number | undefined;
}

export interface Match {
  end: number;
  captures: Captures;
}

/** Every way `pattern` matches at `at`. */
export function matchAt(pattern: Pattern, at: number, context: MatchContext): Match[] {
  const walk: Walk = { pieces: pattern.pieces, context, out: [] };
  step(walk, 0, at, {});
  return walk.out;
}

/** What stays the same while one pattern is walked: its pieces, the context and the matches found. */
interface Walk {
  pieces: readonly Piece[];
  context: MatchContext;
  out: Match[];
}

function step(walk: Walk, index: number, at: number, captures: Captures): void {
  const piece = walk.pieces[index];
  if (piece === undefined) {
    walk.out.push({ end: at, captures });
    return;
  }
  if (piece.type === 'rest') {
    const end = walk.context.rest(at);
    if (end !== undefined) walk.out.push({ end, captures: { ...captures, restFrom: at, restTo: end } });
    return;
  }
  if (piece.type === 'optional') {
    // Taken first (longest), then left out.
    repeatOptional(walk, piece, index, at, captures, 0);
    return;
  }
  for (const found of one(piece, at, walk.context)) {
    step(walk, index + 1, found.end, { ...captures, ...found.captures });
  }
}

function repeatOptional(
  walk: Walk,
  piece: Extract<Piece, { type: 'optional' }>,
  index: number,
  at: number,
  captures: Captures,
  times: number,
): void {
  if (times < (piece.repeat ? MAX_REPEAT : 1)) {
    for (const found of one(piece.piece, at, walk.context)) {
      if (found.end === at) continue;
      repeatOptional(walk, piece, index, found.end, { ...captures, ...found.captures }, times + 1);
    }
  }
  step(walk, index + 1, at, captures);
}

function one(piece: Piece, at: number, context: MatchContext): SlotMatch[] {
  if (piece.type === 'slot') return context.slot(piece.name)(context.tokens, at, context.free);
  if (piece.type === 'words') return wordsAt(piece.options, context.tokens, at, context.free);
  return [];
}

/** Every option (a run of words) that stands at `at`. */
export function wordsAt(
  options: readonly (readonly string[])[],
  tokens: readonly Token[],
  at: number,
  free: (index: number) => boolean,
): SlotMatch[] {
  const out: SlotMatch[] = [];
  for (const words of options) {
    let k = 0;
    while (k < words.length) {
      const token = tokens[at + k];
      if (!token || token.kind === 'sep' || !free(at + k) || token.word !== words[k]) break;
      k++;
    }
    if (k === words.length) out.push({ end: at + k, captures: {} });
  }
  return out;
}
