import PostalMime, { addressParser, type Email, type PostalMimeOptions } from 'postal-mime';
import { type OurWords, ourWordsFor, ownWords } from './reply-history.js';

export interface ParsedReply {
  /** The Message-ID header without angle brackets, if any. */
  messageId?: string;
  /** The sender's address from From:, lower-cased; undefined if none/unparseable. */
  from?: string;
  /** Every address in To: and Cc: (and Delivered-To / X-Original-To if present), lower-cased. */
  recipients: string[];
  subject: string;
  /** The whole body as text, normalised (quoted history included): `ownWords(body, …)` reads it again once the member is known. */
  body: string;
  /** What the person wrote: the body with quoted history, attributions, header blocks, signatures, banners and every line of our templates removed (see reply-history.ts), trimmed. */
  text: string;
}

/** Why a message was not read: postal-mime gave up on it, it has more parts than a reply, or more text. */
export type UnreadableReason = 'unparseable' | 'too_many_parts' | 'too_large';

/** The raw message could not be read as a reply at all; `reason` says why, for the recorded outcome. */
export class MimeParseError extends Error {
  override readonly name = 'MimeParseError';
  constructor(
    message: string,
    readonly reason: UnreadableReason = 'unparseable',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The text of a reply with more characters than this (a 5 MB body) was not typed as an answer: it is not read. */
const MAX_BODY_CHARS = 1_000_000;

/**
 * How much of the body is read: enough for an answer written below a long quoted thread (bottom-posting),
 * and a bound on the line matching (about 200 ms for this many characters of unquoted lines).
 */
const MAX_TEXT_CHARS = 100_000;

/** Larger HTML is not converted (text stays empty) rather than burning the Lambda's time. */
const MAX_HTML_CHARS = 2_000_000;

/**
 * postal-mime bounds nesting but not breadth, and every part costs a node and a decoder. A reply has a
 * few parts (text, HTML, a photo or two); messages with more are refused before parsing.
 */
const MAX_MIME_PARTS = 100;

/**
 * postal-mime collects each line of a 7bit/8bit part as a Blob piece, at some 10 µs a line (mailparser:
 * 1 µs), so a few MB of short lines would outlast the Lambda's 30 s. Only this many lines are parsed:
 * the words we read come first, and what lies beyond is attachments (an 11 MB photo is 200,000 lines
 * of base64).
 */
const MAX_PARSED_LINES = 200_000;

const PARSER_OPTIONS: PostalMimeOptions = {
  // Replies nest a few levels (mixed > alternative > related); the default allows 256.
  maxNestingDepth: 32,
  // All header blocks of the message together (default 2 MiB); real replies carry tens of KB.
  maxHeadersSize: 512 * 1024,
  // A forwarded message/rfc822 stays an undecoded attachment: its words are not the member's, and
  // parsing it would start another parser. postal-mime has no option to skip attachment content;
  // the default "arraybuffer" encoding at least does no more than decode it.
  maxRfc822NestingDepth: 0,
};

/**
 * Parses a raw RFC 822 reply into who sent it, to which addresses, and the words they wrote. `ours`
 * recognises our own lines; by default every line our templates can produce, whoever they were for.
 */
export async function parseReplyEmail(
  raw: Buffer | string,
  ours: OurWords = anyonesOurWords(),
): Promise<ParsedReply> {
  let parsed: Email;
  let body: string;
  try {
    const source = typeof raw === 'string' ? raw : raw.toString('latin1');
    const read = firstLines(collapseBlankLines(source), MAX_PARSED_LINES);
    if (mimePartCount(read) > MAX_MIME_PARTS)
      throw new MimeParseError(`More than ${MAX_MIME_PARTS} MIME parts`, 'too_many_parts');
    // latin1 both ways keeps the bytes as they were; a string goes to postal-mime as UTF-8, as before.
    const input = read === source ? raw : typeof raw === 'string' ? read : Buffer.from(read, 'latin1');
    parsed = await PostalMime.parse(input, PARSER_OPTIONS);
    body =
      parsed.text ??
      (parsed.html && parsed.html.length <= MAX_HTML_CHARS ? await htmlAsText(parsed.html) : '');
  } catch (error) {
    if (error instanceof MimeParseError) throw error;
    throw new MimeParseError(
      `Could not parse the email: ${error instanceof Error ? error.message : error}`,
      'unparseable',
      { cause: error },
    );
  }
  if (body.length > MAX_BODY_CHARS)
    throw new MimeParseError(`More than ${MAX_BODY_CHARS} characters of text`, 'too_large');

  const headerValues = (name: string) =>
    parsed.headers.filter((header) => header.key === name).map((header) => header.value);
  const messageId = parsed.messageId?.trim().replace(/^<|>$/g, '');
  const readBody = normalise(windows1252Controls(body)).slice(0, MAX_TEXT_CHARS);
  return {
    ...(messageId ? { messageId } : {}),
    ...withFrom(headerValues('from').slice(0, 1).flatMap(addressesIn)[0]),
    recipients: [
      ...new Set(['to', 'cc', 'delivered-to', 'x-original-to'].flatMap(headerValues).flatMap(addressesIn)),
    ],
    subject: windows1252Controls(parsed.subject ?? ''),
    body: readBody,
    text: ownWords(readBody, ours),
  };
}

let anyones: OurWords | undefined;
/** Built once per container: the template lines with no member's values known. */
const anyonesOurWords = () => {
  anyones ??= ourWordsFor();
  return anyones;
};

const withFrom = (from: string | undefined) => (from ? { from } : {});

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** Mailbox addresses of an address header value, groups flattened, lower-cased. */
const addressesIn = (value: string): string[] =>
  addressParser(value, { flatten: true })
    .map((entry) => entry.address?.trim().toLowerCase() ?? '')
    .filter((address) => ADDRESS.test(address));

/** A line break followed by two or more lines of nothing but spaces and tabs. */
const BLANK_LINE_RUN = /\n(?:[ \t]*\r?\n){2,}/g;

/**
 * Blank lines cost postal-mime as much as any (see MAX_PARSED_LINES), and a run of them says no more
 * than two do. In a header block a line of spaces continues the header and an empty one ends it, so a
 * run with an empty line becomes two empty lines and one without becomes a single line of a space.
 */
const collapseBlankLines = (source: string) =>
  source.replace(BLANK_LINE_RUN, (run) => (/\n\r?\n/.test(run) ? '\n\r\n\r\n' : '\n \r\n'));

/** The source up to and including its `count`th line break; all of it if it has fewer lines. */
function firstLines(source: string, count: number): string {
  let end = -1;
  for (let line = 0; line < count; line++) {
    end = source.indexOf('\n', end + 1);
    if (end < 0) return source;
  }
  return source.slice(0, end + 1);
}

const BOUNDARY_PARAMETER = /\bboundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))/gi;
const DELIMITER_LINE = /^--([^\r\n]*)/gm;

/**
 * How many MIME parts the message declares, counted cheaply ahead of parsing: one, plus a part for
 * every "--boundary" delimiter line of any boundary the message names.
 */
function mimePartCount(source: string): number {
  const boundaries = new Set<string>();
  for (const [, quoted, token] of source.matchAll(BOUNDARY_PARAMETER)) boundaries.add(quoted ?? token ?? '');
  let parts = 1;
  if (boundaries.size === 0) return parts;
  for (const [, rest = ''] of source.matchAll(DELIMITER_LINE)) {
    if (boundaries.has(rest.trimEnd()) && ++parts > MAX_MIME_PARTS) break;
  }
  return parts;
}

// Base64 has no "-", so no line of the encoded HTML can look like this boundary.
const HTML_BOUNDARY = '-html-';

/**
 * postal-mime keeps its HTML-to-text conversion to itself, and leaves `text` empty for HTML-only
 * mail: it converts an HTML part only when the message also has a plain one. So the HTML goes back
 * in as the second part of a message whose first part is empty plain text.
 */
async function htmlAsText(html: string): Promise<string> {
  const message = [
    `Content-Type: multipart/mixed; boundary="${HTML_BOUNDARY}"`,
    '',
    `--${HTML_BOUNDARY}`,
    '',
    `--${HTML_BOUNDARY}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(html).toString('base64'),
    `--${HTML_BOUNDARY}--`,
    '',
  ].join('\r\n');
  return (await PostalMime.parse(message, PARSER_OPTIONS)).text ?? '';
}

/** What Windows-1252 means by the bytes 0x80–0x9F; the five it leaves undefined stay as they are. */
const WINDOWS_1252_C1 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

/**
 * Node's TextDecoder (from 20.18.3 and 22.13.0 until fixed upstream, nodejs/node#56542) decodes
 * windows-1252 and its latin1 labels as ISO-8859-1, so Outlook's smart quotes and dashes arrive as
 * C1 control characters. No one writes those; read them as Windows-1252, as browsers do.
 */
const windows1252Controls = (text: string) =>
  text.replace(/[\u0080-\u009F]/g, (control) => WINDOWS_1252_C1.charAt(control.charCodeAt(0) - 0x80));

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
