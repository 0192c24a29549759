import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chartContrast, chartContrastTable, contrastRatio } from '#templates/email/contrast.js';
import { dayStyles } from '#templates/email/summary-blocks.js';
import { PALETTE_DOC, withTable } from '../../../scripts/chart-contrast.js';

describe('the Day-14 chart palette', () => {
  it('computes WCAG contrast as the specification’s own examples do', () => {
    // Assess: black on white is 21:1, a colour against itself 1:1, and the order does not matter.
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#2f6f5e', '#2f6f5e')).toBe(1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#777777')).toBe(contrastRatio('#777777', '#ffffff'));
  });

  it('keeps every day colour at 3:1 or more against white and against the empty cell', () => {
    // Act
    const rows = chartContrast();

    // Assess
    expect(rows.map((row) => row.status)).toEqual(Object.keys(dayStyles));
    for (const row of rows) {
      expect(row.againstBackground, `${row.label} against white`).toBeGreaterThanOrEqual(3);
      expect(row.againstEmptyCell, `${row.label} against the empty cell`).toBeGreaterThanOrEqual(3);
    }
    console.info(`Day-14 chart contrast:\n${chartContrastTable()}`);
  });

  it('gives each kind of day its own colour and its own symbol, "checked in" included', () => {
    // Act
    const styles = Object.values(dayStyles);

    // Assess
    expect(new Set(styles.map((style) => style.color)).size).toBe(styles.length);
    expect(new Set(styles.map((style) => style.symbol)).size).toBe(styles.length);
    expect(dayStyles.answered.label).toBe('checked in');
  });

  it('has the current figures in docs/email-palette.md (npx tsx scripts/chart-contrast.ts rewrites them)', async () => {
    // Act
    const document = await readFile(PALETTE_DOC, 'utf8');

    // Assess
    expect(withTable(document)).toBe(document);
  });
});
