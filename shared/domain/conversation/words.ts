/**
 * Cutting a reply into tokens and reading each word in its plain form (lower case, no accents, known
 * spellings, forgiven typos). Pure and total: any string gives tokens, never an exception.
 */

export type TokenKind = 'word' | 'number' | 'clock' | 'iso' | 'fraction' | 'emoji' | 'symbol' | 'sep';

export interface Token {
  kind: TokenKind;
  /** The plain form the rules compare against: "Yesss" → "yes", "dont" → "don't", "👍🏽" → "👍". */
  word: string;
  /** Where the token stands in the text that was read (UTF-16 offsets). */
  start: number;
  end: number;
  /** For separators: true when it ends a sentence (anything but a comma). */
  sentenceEnd: boolean;
}

/**
 * One token at a time. "2,000" and "2.5" are one number (never a "2" to read as a mood). Every alternative is a simple run with no nested repetition, so matching is
 * linear in the length of the text. What matches none of them (spaces, quotes, dashes, skin tones,
 * variation selectors, joiners) is skipped.
 */
const TOKEN =
  /([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})|([0-9]{1,3}[ \t]?\/[ \t]?[0-9]{1,3})|([0-9]{1,2}:[0-9]{2}(?![0-9]))|([0-9０-９]+(?:[.,][0-9０-９]+)*)|(\p{L}[\p{L}\p{M}\p{N}]*(?:['’ʼ‘`][\p{L}\p{M}\p{N}]+)*)|(\p{Extended_Pictographic})|([+=✓])|([.!?;,…¡¿\n\r\u2028\u2029\u3002\uFF01\uFF1F\uFF0C\uFF0E\uFF1B]+)/gu;

const COMMAS = /^[,\uFF0C]+$/u;

/** Plain form of a word before the vocabulary is consulted: NFKC, no accents, lower case, straight apostrophes. */
export function plain(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’ʼ‘`]/g, "'");
}

/** Cuts text into tokens; `readWord` gives each word its plain form. */
export function tokenize(text: string, readWord: (word: string) => string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let found = TOKEN.exec(text); found !== null; found = TOKEN.exec(text)) {
    const raw = found[0];
    const start = found.index;
    const end = start + raw.length;
    let kind: TokenKind;
    let word: string;
    if (found[1] !== undefined) {
      kind = 'iso';
      word = raw;
    } else if (found[2] !== undefined) {
      kind = 'fraction';
      word = raw.replace(/[ \t]/g, '');
    } else if (found[3] !== undefined) {
      kind = 'clock';
      word = raw;
    } else if (found[4] !== undefined) {
      kind = 'number';
      word = raw.normalize('NFKC');
    } else if (found[5] !== undefined) {
      kind = 'word';
      word = readWord(plain(raw));
    } else if (found[6] !== undefined) {
      kind = 'emoji';
      word = raw;
    } else if (found[7] !== undefined) {
      kind = 'symbol';
      word = raw;
    } else {
      kind = 'sep';
      word = raw;
    }
    tokens.push({ kind, word, start, end, sentenceEnd: kind === 'sep' && !COMMAS.test(raw) });
  }
  return tokens;
}

/**
 * True when `a` becomes `b` with at most one edit: one letter changed, added or removed, or two
 * neighbouring letters swapped (Damerau–Levenshtein distance ≤ 1).
 */
export function withinOneEdit(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (x.length === y.length) {
    if (i === x.length) return true;
    if (same(x, i + 1, y, i + 1)) return true; // one letter changed
    return i + 1 < x.length && x[i] === y[i + 1] && x[i + 1] === y[i] && same(x, i + 2, y, i + 2); // swapped
  }
  const [longer, shorter] = x.length > y.length ? [x, y] : [y, x];
  return same(longer, i + 1, shorter, i); // one letter added or removed
}

function same(x: string[], from: number, y: string[], at: number): boolean {
  if (x.length - from !== y.length - at) return false;
  for (let k = 0; from + k < x.length; k++) if (x[from + k] !== y[at + k]) return false;
  return true;
}

export interface WordReader {
  /** Words the vocabulary uses, read as they are. */
  known: ReadonlySet<string>;
  /** Other spellings and their plain word. */
  spellings: ReadonlyMap<string, string>;
  /** Words whose one-slip typos are forgiven (only those of 4 letters or more are used). */
  forgiving: readonly string[];
  /** Opt-out words: a slip near one of them is never read as anything else. */
  optOut: ReadonlySet<string>;
  /** Real words that are never corrected. */
  neverGuess: ReadonlySet<string>;
}

/** Reads one plain word: as is, a known spelling, without held-down letters, or with one typo forgiven. */
export function readWordWith(reader: WordReader): (word: string) => string {
  const lookup = (word: string): string | undefined =>
    reader.known.has(word) ? word : reader.spellings.get(word);
  return (word) => {
    const direct = lookup(word);
    if (direct !== undefined) return direct;
    // Held-down letters: "yesss" → "yes", "gooood" → "good", "noooo" → "no".
    const twice = lookup(word.replace(/(.)\1{2,}/gu, '$1$1'));
    if (twice !== undefined) return twice;
    const once = lookup(word.replace(/(.)\1+/gu, '$1'));
    if (once !== undefined) return once;
    if (Array.from(word).length < 4 || reader.neverGuess.has(word)) return word;
    const near = reader.forgiving.filter((keyword) => keyword.length >= 4 && withinOneEdit(word, keyword));
    const optOut = near.filter((keyword) => reader.optOut.has(keyword));
    const candidates = optOut.length ? optOut : near;
    return candidates.length === 1 && candidates[0] !== undefined ? candidates[0] : word;
  };
}
