import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the suite's figures are collected; `npm run reliability:report` turns them into docs/reliability.md. */
export const FIGURES_FILE = join('out', 'reliability', 'figures.jsonl');

/**
 * Prints one figure of the reliability suite and records it. Every case asserts the figure it prints,
 * so the table in docs/reliability.md is what the suite measured, not what we hoped.
 */
export function figure(area: string, what: string, value: number | string, unit = ''): void {
  const line = `${area} | ${what}: ${value}${unit ? ` ${unit}` : ''}`;
  process.stdout.write(`FIGURE ${line}\n`);
  mkdirSync(join('out', 'reliability'), { recursive: true });
  appendFileSync(
    FIGURES_FILE,
    `${JSON.stringify({ area, what, value, unit, at: new Date().toISOString() })}\n`,
  );
}
