import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayStatus, MemberSummary } from '#shared/domain/summary.js';
import { renderEmail } from '#templates/email/render.js';
import { sampleEmailValues } from '#templates/email/samples.js';
import { summaryBlocks } from '#templates/email/summary-blocks.js';
import { launchChromium } from '../support/chromium.js';

/** Screenshots for a human to look at; `out/` is not committed. */
const ARTIFACTS = fileURLToPath(new URL('../../out/artifacts/', import.meta.url));

const DATES = [
  '2026-10-21',
  '2026-10-22',
  '2026-10-23',
  '2026-10-24',
  '2026-10-25',
  '2026-10-26',
  '2026-10-27',
  '2026-10-28',
  '2026-10-29',
  '2026-10-30',
  '2026-10-31',
  '2026-11-01',
  '2026-11-02',
  '2026-11-03',
];
const STATUSES: DayStatus[] = [
  'on_track',
  'answered',
  'grace',
  'on_track',
  'paused',
  'paused',
  'paused',
  'on_track',
  'unanswered',
  'on_track',
  'grace',
  'on_track',
  'no_check_in',
  'on_track',
];

/** A busy fortnight, with every kind of day and long words that must wrap on a phone. */
const summary: MemberSummary = {
  memberId: 'ada',
  name: 'Ada',
  checkInsSent: 12,
  checkInsAnswered: 11,
  daysCheckedIn: 11,
  onTrackDays: 7,
  graceUsed: 2,
  graceLeft: 1,
  pauses: 1,
  deadlinesMoved: 1,
  needsRaised: 2,
  needsAnswered: 1,
  moods: [
    { localDate: '2026-10-22', score: 4 },
    { localDate: '2026-10-25', score: 2 },
    { localDate: '2026-10-29', score: 5 },
  ],
  reflections: {
    day3: 'Mornings are easy. Weekends are hard <script>alert(1)</script>, and "later" never comes.',
    day7: 'The 08:30 text works; notes at https://docs.example.com/ada/chapter-two/notes-from-the-long-weekend-draft-3',
    supportScore: 4,
  },
  partnerHighlights: [
    'Ben took on your need: a quiet hour on Sunday',
    'Ben agreed to move your deadline to Tue 10 Nov',
    'Ben offered to help: happy to proofread chapter two on Friday evening',
  ],
  days: DATES.map((localDate, index) => ({
    day: index + 1,
    localDate,
    status: STATUSES[index] ?? 'no_check_in',
  })),
  optedOut: false,
};

const email = renderEmail('day14', { ...sampleEmailValues, ...summaryBlocks(summary, 'Ben') });

/** Measured in the page: how wide it scrolls, and where the chart's day columns sit. */
const MEASURE = `(() => {
  const days = [...document.querySelectorAll('td[title^="Day "]')].map((cell) => cell.getBoundingClientRect());
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    dayColumns: days.length,
    narrowestDay: Math.min(...days.map((box) => box.width)),
    chartRight: Math.max(...days.map((box) => box.right)),
  };
})()`;

interface Measured {
  scrollWidth: number;
  innerWidth: number;
  dayColumns: number;
  narrowestDay: number;
  chartRight: number;
}

let browser: Browser | undefined;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('Day-14 email in Chromium', () => {
  it.each([375, 1200])(
    'fits a %i px wide window with no sideways scrolling and all 14 days in view',
    async (width) => {
      // Prepare
      if (!browser) throw new Error('Chromium did not start; see the error from beforeAll');
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        // An email must stand on its own: nothing it shows may come from the network.
        await page.route('**/*', (route) => route.abort());

        // Act
        await page.setContent(email.html, { waitUntil: 'load' });
        const measured = await page.evaluate<Measured>(MEASURE);
        await page.screenshot({ path: join(ARTIFACTS, `day14-${width}.png`), fullPage: true });

        // Assess
        expect(measured.scrollWidth).toBeLessThanOrEqual(measured.innerWidth);
        expect(measured.dayColumns).toBe(14);
        expect(measured.chartRight).toBeLessThanOrEqual(measured.innerWidth);
        expect(measured.narrowestDay).toBeGreaterThanOrEqual(12);
      } finally {
        await page.close();
      }
    },
  );
});
