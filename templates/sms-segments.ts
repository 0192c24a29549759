/**
 * How texts are billed: the GSM 03.38 alphabet (one septet a character, two for the extension table)
 * and the segments a text is cut into. Used by the cost estimate and by the SMS copy checks.
 */

/** GSM 03.38 default alphabet: one septet each. */
export const GSM7_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ',
  ...' !"#¤%&\'()*+,-./0123456789:;<=>?',
  '¡',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§',
  '¿',
  ...'abcdefghijklmnopqrstuvwxyzäöñüà',
]);
/** GSM 03.38 extension table: an escape plus one septet, so two each. */
export const GSM7_EXTENSION = new Set(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€']);

/** Fills segments of `perSegment` units without splitting a character (an escape pair, a surrogate pair). */
function segmentsOf(units: number[], single: number, perSegment: number): number {
  const total = units.reduce((sum, each) => sum + each, 0);
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const each of units) {
    if (used + each > perSegment) {
      segments += 1;
      used = 0;
    }
    used += each;
  }
  return segments;
}

/**
 * How many billed segments a text is: GSM-7 fits 160 septets in one, 153 per part once concatenated;
 * any other character makes the whole text UCS-2, 70 UTF-16 units in one, 67 per part.
 */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  const characters = [...text];
  if (characters.every((each) => GSM7_BASIC.has(each) || GSM7_EXTENSION.has(each))) {
    const septets = characters.map((each) => (GSM7_EXTENSION.has(each) ? 2 : 1));
    return { encoding: 'GSM-7', segments: segmentsOf(septets, 160, 153) };
  }
  return {
    encoding: 'UCS-2',
    segments: segmentsOf(
      characters.map((each) => each.length),
      70,
      67,
    ),
  };
}

/** Septets a GSM-7 text takes (extension characters count two). */
export function septets(text: string): number {
  return [...text].reduce((total, char) => total + (GSM7_EXTENSION.has(char) ? 2 : 1), 0);
}

/** The characters that would force a text into UCS-2. */
export function nonGsmCharacters(text: string): string[] {
  return [...text].filter((char) => !GSM7_BASIC.has(char) && !GSM7_EXTENSION.has(char));
}
