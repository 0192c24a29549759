/**
 * axe-core in a playwright-core page: its source evaluated in the page (an evaluated script is not held
 * back by the page's Content-Security-Policy, as an injected <script> would be), run against the WCAG 2.1
 * A and AA rules only, and its violations reduced to what a failing test should print.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0 and 2.1, levels A and AA: the rules issue 21 holds us to. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeViolation {
  rule: string;
  impact: string | null;
  help: string;
  /** Each offending element's selector and axe's summary of what is wrong with it. */
  nodes: Array<{ target: string; summary: string }>;
}

/**
 * Runs axe on the page (or one frame of it) and returns its WCAG 2.1 A/AA violations; [] when clean.
 * Frames are left out: axe would wait for an answer from inside each, and the simulator's emails (in
 * sandboxed frames that run no script) are checked on their own.
 */
export async function axeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  await target.evaluate(AXE_SOURCE);
  return target.evaluate(
    async (tags) => {
      type AxeResult = {
        violations: Array<{
          id: string;
          impact: string | null;
          help: string;
          nodes: Array<{ target: unknown[]; failureSummary?: string }>;
        }>;
      };
      const axe = (
        globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResult> } }
      ).axe;
      const { document } = globalThis as unknown as { document: unknown };
      const results = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
        iframes: false,
      });
      return results.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
          target: node.target.map(String).join(' '),
          summary: node.failureSummary ?? '',
        })),
      }));
    },
    [...WCAG_21_AA],
  );
}
