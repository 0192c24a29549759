/**
 * WCAG 2.1 contrast: relative luminance of an sRGB colour and the ratio between two colours
 * (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). Used to prove the Day-14 chart's palette.
 */
import { CHART_BACKGROUND, dayStyles, EMPTY_CELL } from './summary-blocks.js';

/** Relative luminance of `#rrggbb`, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`relativeLuminance: "${hex}" is not a #rrggbb colour`);
  const [red, green, blue] = match.slice(1).map((part) => {
    const channel = Number.parseInt(part, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (red ?? 0) + 0.7152 * (green ?? 0) + 0.0722 * (blue ?? 0);
}

/** The contrast ratio of two colours, 1 to 21, whichever order they come in. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a);
  return ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05);
}

/** Rounded down to two places, so a figure shown as 3.00 never hides a 2.999. */
const floor2 = (ratio: number) => (Math.floor(ratio * 100) / 100).toFixed(2);

/** Each chart colour against what it is drawn beside: the white email and a bar's empty cells. */
export function chartContrast() {
  return Object.entries(dayStyles).map(([status, style]) => ({
    status,
    label: style.label,
    symbol: style.symbol,
    color: style.color,
    againstBackground: contrastRatio(style.color, CHART_BACKGROUND),
    againstEmptyCell: contrastRatio(style.color, EMPTY_CELL),
  }));
}

/** The palette as the Markdown table docs/email-palette.md carries between its markers. */
export function chartContrastTable(): string {
  return [
    `| Day | Symbol | Colour | Against white (${CHART_BACKGROUND}) | Against the empty cell (${EMPTY_CELL}) |`,
    '| --- | :---: | --- | ---: | ---: |',
    ...chartContrast().map(
      (row) =>
        `| ${row.label} | ${row.symbol} | \`${row.color}\` | ${floor2(row.againstBackground)}:1 | ${floor2(row.againstEmptyCell)}:1 |`,
    ),
  ].join('\n');
}
