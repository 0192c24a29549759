/**
 * Writes the Day-14 chart's palette, with each colour's WCAG contrast figures, into
 * docs/email-palette.md between its markers; `test/unit/email/chart-palette.test.ts` fails when the
 * document and the palette disagree.
 *
 *   npx tsx scripts/chart-contrast.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chartContrastTable } from '#templates/email/contrast.js';

export const PALETTE_DOC = fileURLToPath(new URL('../docs/email-palette.md', import.meta.url));
export const BEGIN = '<!-- chart-contrast:begin -->';
export const END = '<!-- chart-contrast:end -->';

/** The document with the table between the markers replaced by the palette's current figures. */
export function withTable(document: string): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${PALETTE_DOC} lacks the ${BEGIN} … ${END} markers`);
  return `${document.slice(0, start + BEGIN.length)}\n${chartContrastTable()}\n${document.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const updated = withTable(await readFile(PALETTE_DOC, 'utf8'));
  await writeFile(PALETTE_DOC, updated);
  process.stdout.write(`${chartContrastTable()}\n`);
}
