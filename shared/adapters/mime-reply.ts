import EmailReplyParser from 'email-reply-parser';
import {
  type AddressObject,
  type HeaderValue,
  type ParsedMail,
  parseAddressHeader,
  type SimpleParserOptions,
  simpleParser,
} from 'mailparser';

export interface ParsedReply {
  /** The Message-ID header without angle brackets, if any. */
  messageId?: string;
  /** The sender's address from From:, lower-cased; undefined if none/unparseable. */
  from?: string;
  /** Every address in To: and Cc: (and Delivered-To / X-Original-To if present), lower-cased. */
  recipients: string[];
  subject: string;
  /** What the person wrote: the reply with quoted history, "On … wrote:" headers, Outlook "From:/Sent:" blocks and signatures ("Sent from my iPhone", "-- ") removed, trimmed. */
  text: string;
}

/** The raw message could not be read as an email at all (mailparser gave up on it). */
export class MimeParseError extends Error {
  override readonly name = 'MimeParseError';
}

/**
 * Where quoted history starts, for the clients and languages email-reply-parser misses. Each pattern
 * matches the first line of the history; the text is cut there before the library sees it. Add a
 * pattern only with a fixture in test/fixtures/email that needs it.
 */
const QUOTED_HISTORY_STARTS: readonly { seenIn: string; pattern: RegExp }[] = [
  {
    // The library knows "Am … schrieb", but not Gmail wrapping the line before "<address>:"; nor
    // CJK attributions with no verb at all. Only taken when quoted lines follow.
    seenIn:
      'Gmail: "Am … schrieb Soft Partner <⏎hello@example.org>:", "2026年11月24日(火) 8:30 Soft Partner <…>:"',
    pattern: /^[^\n]*<\n?[^\s<>@]+@[^\s<>@]+>\)?[ \t]*[:：][ \t]*$(?=\n(?:[ \t]*\n)?>)/m,
  },
  {
    // html-to-text draws Outlook's <hr> above "From: / Sent:" as a row of dashes; the library hides
    // the block below it but keeps the rule.
    seenIn: 'Outlook on the web, HTML only: <div id="appendonsend"></div><hr>',
    pattern: /^-{20,}[ \t]*$/m,
  },
];

/**
 * Replies that matter are short; the cap bounds email-reply-parser's regexes, some of which are
 * quadratic in the text length (50,000 blank lines took 40 s before normalising).
 */
const MAX_TEXT_CHARS = 20_000;

const PARSER_OPTIONS: SimpleParserOptions = {
  // simpleParser has no option to skip attachment content; these skip the work we never read.
  keepCidLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  checksumAlgo: false,
  // Larger HTML is not converted (text stays empty) rather than burning the Lambda's time.
  maxHtmlLengthToParse: 2_000_000,
};

/** Parses a raw RFC 822 reply into who sent it, to which addresses, and the words they wrote. */
export async function parseReplyEmail(raw: Buffer | string): Promise<ParsedReply> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, PARSER_OPTIONS);
  } catch (error) {
    throw new MimeParseError(`Could not parse the email: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }

  const messageId = parsed.messageId?.trim().replace(/^<|>$/g, '');
  return {
    ...(messageId ? { messageId } : {}),
    ...withFrom(addressesIn(parsed.from)[0]),
    recipients: [
      ...new Set(
        ['to', 'cc', 'delivered-to', 'x-original-to'].flatMap((name) =>
          addressesIn(parsed.headers.get(name)),
        ),
      ),
    ],
    subject: parsed.subject ?? '',
    text: visibleText(parsed.text ?? ''),
  };
}

const withFrom = (from: string | undefined) => (from ? { from } : {});

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** Mailbox addresses of an address header, lower-cased; mailparser leaves X-Original-To a string. */
function addressesIn(value: HeaderValue | undefined): string[] {
  if (value === undefined) return [];
  const objects: AddressObject[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item === 'string') objects.push(parseAddressHeader(item));
    else if (isAddressObject(item)) objects.push(item);
  }
  return objects
    .flatMap((object) => object.value.flatMap((entry) => (entry.group ? entry.group : [entry])))
    .map((entry) => entry.address?.trim().toLowerCase() ?? '')
    .filter((address) => ADDRESS.test(address));
}

const isAddressObject = (value: unknown): value is AddressObject =>
  typeof value === 'object' && value !== null && 'value' in value && Array.isArray(value.value);

/** The member's own words: normalised, history and signatures removed. */
function visibleText(body: string): string {
  let text = normalise(body).slice(0, MAX_TEXT_CHARS);
  for (const { pattern } of QUOTED_HISTORY_STARTS) {
    const start = text.search(pattern);
    if (start >= 0) text = text.slice(0, start);
  }
  return normalise(new EmailReplyParser().read(text).getVisibleText());
}

/**
 * LF line ends, plain spaces for non-breaking ones, no trailing spaces, at most one blank line in a
 * row, no blank lines around. The member's own line breaks stay.
 */
function normalise(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?|[\u2028\u2029\v\f]/g, '\n')
      .replace(/[\u00A0\u2007\u202F]/g, ' ')
      .split('\n')
      // trimEnd, not /\s+$/gm: that regex is quadratic on a long run of spaces.
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+|\n+$/g, '')
  );
}
