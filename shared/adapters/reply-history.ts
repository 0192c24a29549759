import { compiledEmails } from '#templates/email/compiled.js';
import { REPLY_MARKERS } from '#templates/email/reply-marker.js';
import { PLACEHOLDER } from '#templates/email/types.js';
import {
  APP_SIGNATURES,
  ATTRIBUTION_VERBS,
  BANNER_STARTS,
  HEADER_LABELS,
  type HeaderRole,
  SEPARATOR_LINES,
} from './quoted-history-patterns.js';

/**
 * Which lines of a reply are our own words coming back: `strong` lines are removed wherever they stand;
 * `weak` ones (short, like a button's label) only beside another line of ours, so that a member who
 * writes "Yes, on track" alone is still heard.
 */
export interface OurWords {
  classify(line: string): 'strong' | 'weak' | undefined;
}

/** Invisible format characters that clients put in (Windows Mail's U+200E in every header line). */
const FORMAT_CHARACTERS = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Removes the format characters, so that a header or attribution line reads as it looks. */
export const withoutFormatCharacters = (text: string) => text.replace(FORMAT_CHARACTERS, '');

/**
 * The comparable form of a line: NFKC, lower case, every run of punctuation, quote marks, spaces and
 * symbols as one space. Line wrapping, smart quotes, bold stars and "> " all vanish.
 */
export const comparable = (line: string) =>
  withoutFormatCharacters(line)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const MARKERS = Object.values(REPLY_MARKERS).map(comparable);

const QUOTE_PREFIX = /^(?:[ \t]*>)+[ \t]?/;

const label = (role: HeaderRole) => HEADER_LABELS[role].map(escapeRegExp).join('|');

/** "From: …", "*Sent:* …", "Von: …", "发件人：…": the role of a header line, if it is one. */
const HEADER_LINE = new RegExp(
  `^[*_]*(?:(?<from>${label('from')})|(?<sent>${label('sent')})|(?<to>${label('to')})|(?<cc>${label('cc')})|(?<subject>${label('subject')}))[*_]*[ \\t]*[:：][*_]*(?:[ \\t]|$)`,
  'iu',
);

const headerRole = (line: string): HeaderRole | undefined => {
  const groups = HEADER_LINE.exec(line)?.groups;
  if (!groups) return undefined;
  return (Object.keys(groups) as HeaderRole[]).find((role) => groups[role] !== undefined);
};

const ATTRIBUTION_END = new RegExp(
  `(?:${ATTRIBUTION_VERBS.map(escapeRegExp).join('|')})[ \\t]*[:：]?[ \\t]*$`,
  'iu',
);
const ADDRESS = /[^\s<>@:]+@[^\s<>@:]+\.[^\s<>@:]+/u;
const ANGLE_ADDRESS = /<(?:mailto:)?[^\s<>@]+@[^\s<>@]+>/u;
const DATE_OR_TIME = /\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d+年|\d+월/u;

/** An attribution: "On … wrote:", "Le … a écrit :", "2026/11/24 Soft Partner <hello@…>:" … */
function isAttribution(line: string, beforeQuote: boolean): boolean {
  if (line.length > 300) return false;
  const endsLikeOne = ATTRIBUTION_END.test(line);
  const names = ADDRESS.test(line) || DATE_OR_TIME.test(line);
  if (endsLikeOne && (names || beforeQuote)) return true;
  return /[:：]\s*$/u.test(line) && (ANGLE_ADDRESS.test(line) || (beforeQuote && names));
}

/** A header block: at least two header lines of different roles, one of them From (or Sent/Date with Subject). */
function headerBlockAt(contents: readonly string[], start: number): boolean {
  const roles = new Set<HeaderRole>();
  for (let index = start; index < Math.min(contents.length, start + 8); index++) {
    const content = contents[index] ?? '';
    const role = headerRole(content);
    if (role) roles.add(role);
    else if (content !== '' && index === start) return false;
  }
  return roles.size >= 2 && (roles.has('from') || (roles.has('sent') && roles.has('subject')));
}

const isSeparator = (content: string) => SEPARATOR_LINES.some((pattern) => pattern.test(content));
const isMarker = (content: string) => {
  const words = comparable(content);
  return words !== '' && MARKERS.some((marker) => words.includes(marker));
};
const isAppSignature = (content: string) =>
  content.length <= 60 && APP_SIGNATURES.some((pattern) => pattern.test(content));
const isBannerStart = (content: string) => BANNER_STARTS.some((pattern) => pattern.test(content));
/** "[EXTERNAL]" alone on a line: only the tag goes. */
const BANNER_TAG = /^\[(?:external|extern|externe|externo|caution)\]$/iu;
const BANNER_WORDS = /extern|outside|außerhalb|extérieur|fuera|di fuori|buiten|utanför/iu;

/** A stray header-like line ("Sent: Thursday, February 09, 2012") whose date must never be read. */
const isStrayHeader = (content: string) =>
  headerRole(content) !== undefined && (/\d/.test(content) || ADDRESS.test(content));

/** Our links (buttons, unsubscribe, charter), wherever a client puts them. */
const OUR_LINK = /\/(?:email\/(?:action|unsubscribe)|charter)\b/u;

/**
 * The member's own words in a reply body: what is left once the quoted history, attributions, header
 * blocks, separators, signatures, banners and every line of ours are removed. Text written below a
 * quote (bottom-posting) and between quotes (inline answers) is kept.
 */
export function ownWords(body: string, ours: OurWords): string {
  const lines = withoutFormatCharacters(body).replace(/\r\n?/g, '\n').split('\n');
  const quoted = lines.map((line) => QUOTE_PREFIX.test(line));
  const contents = lines.map((line) => line.replace(QUOTE_PREFIX, '').trim());
  const keep = quoted.map((isQuoted) => !isQuoted);

  // Everything from the first unquoted marker, separator, header block or "-- " is history.
  for (let index = 0; index < lines.length; index++) {
    if (quoted[index]) continue;
    const content = contents[index] ?? '';
    const opensHistory =
      isMarker(content) ||
      isSeparator(content) ||
      /^--[ \t]*$/.test(lines[index] ?? '') ||
      (headerRole(content) !== undefined && headerBlockAt(contents, index));
    if (opensHistory) {
      keep.fill(false, index);
      break;
    }
  }

  const nextContentLine = (from: number) => {
    let index = from;
    while (index < lines.length && contents[index] === '' && !quoted[index]) index++;
    return index;
  };
  for (let index = 0; index < lines.length; index++) {
    if (!keep[index]) continue;
    const content = contents[index] ?? '';
    if (content === '') continue;
    // An attribution may be wrapped over two lines ("… schrieb Soft Partner <" / "hello@…>:").
    const next = nextContentLine(index + 1);
    const joined = keep[index + 1] ? `${content} ${contents[index + 1] ?? ''}` : content;
    const beforeQuote = next >= lines.length || quoted[next] === true || !keep[next];
    const afterJoined = nextContentLine(index + 2);
    if (isAttribution(content, beforeQuote)) keep[index] = false;
    else if (
      keep[index + 1] &&
      isAttribution(joined, afterJoined >= lines.length || quoted[afterJoined] === true || !keep[afterJoined])
    ) {
      keep[index] = false;
      keep[index + 1] = false;
    } else if (isAppSignature(content) || isStrayHeader(content) || ANGLE_ADDRESS.test(content)) {
      keep[index] = false;
    } else if (OUR_LINK.test(content) || isMarker(content)) keep[index] = false;
  }

  dropBanners(contents, keep);
  dropOurLines(contents, keep, ours);

  return lines
    .filter((_line, index) => keep[index])
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

/** A gateway's banner is a paragraph: dropped whole when it opens like one and speaks of outside mail. */
function dropBanners(contents: readonly string[], keep: boolean[]): void {
  for (let index = 0; index < contents.length; index++) {
    const content = contents[index] ?? '';
    if (!keep[index]) continue;
    if (BANNER_TAG.test(content)) {
      keep[index] = false;
      continue;
    }
    if (!isBannerStart(content)) continue;
    let end = index;
    while (end < contents.length && contents[end] !== '') end++;
    const paragraph = contents.slice(index, end).join(' ');
    if (BANNER_WORDS.test(paragraph)) keep.fill(false, index, end);
  }
}

function dropOurLines(contents: readonly string[], keep: boolean[], ours: OurWords): void {
  const verdicts = contents.map((content, index) => (keep[index] ? ours.classify(content) : undefined));
  const ourNeighbour = (index: number, step: 1 | -1) => {
    let at = index + step;
    while (at >= 0 && at < contents.length && contents[at] === '') at += step;
    return verdicts[at] !== undefined;
  };
  verdicts.forEach((verdict, index) => {
    if (verdict === 'strong' || (verdict === 'weak' && (ourNeighbour(index, -1) || ourNeighbour(index, 1))))
      keep[index] = false;
  });
}

/** Placeholders that hold one of our links: matched as "a link or nothing" (HTML-to-text drops them). */
const isLinkPlaceholder = (name: string) => name.endsWith('Url');

/** A line shorter than this (in comparable characters we wrote) is a button's label: weak. */
const STRONG_LITERAL = 16;
/** Lines with less of our own text than this are not matched at all ("Hi {{name}}", "1: {{link}}"). */
const MIN_LITERAL = 4;

interface LinePattern {
  whole: RegExp;
  literal: number;
  /** The stretches of our own words between unknown values, to recognise a line wrapped by the client. */
  stretches: string[];
}

/** The lines of an HTML part as a client's HTML-to-text shows them: a line per block, tags gone. */
function htmlLines(html: string): string[] {
  const body = html.replace(/^[\s\S]*?<body[^>]*>/i, '').replace(/<(style|head|title)[\s\S]*?<\/\1>/gi, '');
  return body
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(?:br|\/p|\/div|\/td|\/tr|\/li|\/h\d|hr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .split('\n');
}

function linePattern(line: string, known: Readonly<Record<string, string>>): LinePattern | undefined {
  const stretches: string[] = [''];
  let source = '';
  let literal = 0;
  let last = 0;
  let free = false;
  const add = (text: string) => {
    const words = comparable(text);
    if (words === '') return;
    literal += words.replace(/ /g, '').length;
    source += `${source === '' ? '' : ' ?'}${escapeRegExp(words)}`;
    stretches.push(`${stretches.pop() ?? ''} ${words}`.trim());
  };
  for (const match of line.matchAll(PLACEHOLDER)) {
    add(line.slice(last, match.index));
    const name = match[1] ?? '';
    const value = known[name];
    if (value !== undefined) add(value);
    else {
      stretches.push('');
      free ||= !isLinkPlaceholder(name);
      source += isLinkPlaceholder(name) ? '(?: ?https? [a-z0-9 ]*)?' : ' ?.+?';
    }
    last = match.index + match[0].length;
  }
  add(line.slice(last));
  // "Thanks, {{name}}" with the name unknown would match any "thanks …" a member writes.
  if (literal < (free ? STRONG_LITERAL : MIN_LITERAL)) return undefined;
  return {
    whole: new RegExp(`^ ?${source} ?$`, 'u'),
    literal,
    stretches: stretches.filter((stretch) => stretch.length >= STRONG_LITERAL),
  };
}

let lines: string[] | undefined;
/** Each distinct line of every template's text part, HTML part and subject, read once per container. */
function templateLines(): string[] {
  lines ??= [
    ...new Set(
      Object.values(compiledEmails).flatMap((email) =>
        [...email.text.split('\n'), ...htmlLines(email.html), email.subject].map((line) => line.trim()),
      ),
    ),
  ].filter((line) => line !== '');
  return lines;
}

/**
 * Every line our templates can produce, in their text and HTML parts, with the values we know about
 * this member filled in (name, goal, partner) and links as "a link or nothing". A line of a reply
 * that matches one whole, or is a piece (16 characters or more) of one that a client wrapped, is ours.
 */
export function ourWordsFor(known: Readonly<Record<string, string>> = {}): OurWords {
  const all = templateLines().flatMap((line) => linePattern(line, known) ?? []);
  return {
    classify(line) {
      const words = comparable(line);
      if (words === '') return undefined;
      let verdict: 'strong' | 'weak' | undefined;
      for (const pattern of all) {
        if (pattern.whole.test(words)) {
          if (pattern.literal >= STRONG_LITERAL) return 'strong';
          verdict = 'weak';
        } else if (
          words.length >= STRONG_LITERAL &&
          pattern.stretches.some((stretch) => stretch.includes(words))
        )
          // A piece of a long line of ours, wrapped by the client.
          return 'strong';
      }
      return verdict;
    },
  };
}
