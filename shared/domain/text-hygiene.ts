/**
 * Text hygiene at every entry: what a person types is kept as Unicode NFC, without the characters that
 * only hide, reorder or break text (controls, noncharacters, bidi overrides, zero-width marks). Line
 * breaks and tabs in free text become spaces, so a name or a need always fits one line of a message.
 */

/** C0 and C1 controls and DEL (tab, LF and CR are handled before: as spaces, or kept as line breaks). */
const CONTROLS = /\p{Cc}/gu;
const CONTROLS_BUT_LF = /[^\P{Cc}\n]/gu;
/** Bidi embeddings, overrides and isolates, which can reorder how a message reads. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;
/** Zero-width and invisible formatting marks (ZWJ is kept: emoji sequences need it). */
const INVISIBLE = /[\u200B\u200C\u2060-\u2064\uFEFF\u00AD\u180E]/gu;
/** Noncharacters: U+FDD0..U+FDEF and the last two code points of every plane. */
const NONCHARACTERS =
  /[\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}]/gu;
/** Lone surrogates (a broken UTF-16 string): nothing can encode them. */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NFC, without controls, noncharacters, bidi overrides or zero-width marks; runs of spaces as one. */
export function cleanText(text: string): string {
  return text
    .replace(LONE_SURROGATES, '')
    .normalize('NFC')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(CONTROLS, '')
    .replace(NONCHARACTERS, '')
    .replace(BIDI, '')
    .replace(INVISIBLE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * A text message body, cleaned the same way but keeping its line breaks (a reply may list several
 * things, one a line): what the grammar reads and what a need, an offer or a GOAL stores.
 */
export function cleanMessage(text: string): string {
  return text
    .replace(LONE_SURROGATES, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROLS_BUT_LF, '')
    .replace(NONCHARACTERS, '')
    .replace(BIDI, '')
    .replace(INVISIBLE, '')
    .trim();
}
