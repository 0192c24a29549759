import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { DayStatus, MemberSummary } from '#shared/domain/summary.js';
import { summaryBlocks } from '#templates/email/summary-blocks.js';

const STATUSES: DayStatus[] = [
  'on_track',
  'on_track',
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

/** Ada's fortnight: 11 check-ins sent (3 paused days), 10 answered, 7 on track, 2 grace days. */
function adaSummary(overrides: Partial<MemberSummary> = {}): MemberSummary {
  return {
    memberId: 'ada',
    name: 'Ada',
    checkInsSent: 11,
    checkInsAnswered: 10,
    daysCheckedIn: 10,
    onTrackDays: 7,
    graceUsed: 2,
    graceLeft: 1,
    pauses: 1,
    deadlinesMoved: 1,
    needsRaised: 2,
    needsAnswered: 1,
    moods: [
      { localDate: '2026-10-22', score: 4 },
      { localDate: '2026-10-29', score: 5 },
    ],
    reflections: {
      day3: 'Mornings are easy <script>alert(1)</script> and "Sundays" aren\'t',
      day7: 'The 08:30 text works & feels kind.',
      supportScore: 4,
    },
    partnerHighlights: ['Ben took on your need: <b>a quiet hour</b> on Sunday'],
    days: STATUSES.map((status, index) => ({
      day: index + 1,
      localDate: DateTime.fromISO('2026-10-21').plus({ days: index }).toISODate() ?? '',
      status,
    })),
    optedOut: false,
    ...overrides,
  };
}

/** The chart's table: the drawing, hidden from screen readers (its legend says it in words). */
const chartOf = (html: string) => {
  const start = html.indexOf('<table role="presentation" aria-hidden="true"');
  return html.slice(start, html.indexOf('</table>', start));
};
/** The legend's table, after the chart. */
const legendOf = (html: string) => {
  const start = html.indexOf('<table', html.indexOf('<table role="presentation" aria-hidden="true"') + 1);
  return html.slice(start, html.indexOf('</table>', start));
};
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const rowsOf = (table: string) => table.split('<tr>').slice(1);
const cellsOf = (row: string) => row.match(/<td[^>]*>/g) ?? [];

describe('Day-14 summary block', () => {
  it('escapes the member’s own words and partner highlights in the HTML', () => {
    // Act
    const { summaryHtml } = summaryBlocks(adaSummary(), 'Ben');

    // Assess
    expect(summaryHtml.html).not.toContain('<script>');
    expect(summaryHtml.html).not.toContain('<b>');
    expect(summaryHtml.html).toContain(
      'Mornings are easy &lt;script&gt;alert(1)&lt;/script&gt; and &quot;Sundays&quot; aren&#39;t',
    );
    expect(summaryHtml.html).toContain('The 08:30 text works &amp; feels kind.');
    expect(summaryHtml.html).toContain('Ben took on your need: &lt;b&gt;a quiet hour&lt;/b&gt; on Sunday');
  });

  it('escapes the partner’s name too, since members choose their own names', () => {
    // Act
    const { summaryHtml } = summaryBlocks(adaSummary(), 'Ben <i>&</i> Co');

    // Assess
    expect(summaryHtml.html).not.toContain('<i>');
    expect(summaryHtml.html).toContain('Kind moments with Ben &lt;i&gt;&amp;&lt;/i&gt; Co:');
  });

  it('quotes the member’s words as written in the plain-text twin', () => {
    // Act
    const { summaryText } = summaryBlocks(adaSummary(), 'Ben');

    // Assess
    expect(summaryText).toContain(
      'On Day 3 you wrote: "Mornings are easy <script>alert(1)</script> and "Sundays" aren\'t"',
    );
    expect(summaryText).toContain('On Day 7 you wrote: "The 08:30 text works & feels kind."');
  });

  it('draws the chart with tables only: no SVG, flex, grid, background images, classes or style sheets', () => {
    // Act
    const { summaryHtml } = summaryBlocks(adaSummary(), 'Ben');

    // Assess
    const html = summaryHtml.html;
    expect(html).not.toMatch(/<svg/i);
    expect(html).not.toMatch(/display\s*:\s*flex/i);
    expect(html).not.toMatch(/grid/i);
    expect(html).not.toMatch(/background-image|url\(/i);
    expect(html).not.toMatch(/<style|class=|<img/i);
  });

  it('sizes the chart in percent of a 100%-wide table, with height and bgcolor attributes for Outlook', () => {
    // Act
    const chart = chartOf(summaryBlocks(adaSummary(), 'Ben').summaryHtml.html);

    // Assess
    expect(chart).toMatch(/^<table [^>]*width="100%"/);
    const widths = chart.match(/width[=:]"?[^;" ]+/g) ?? [];
    expect(widths.length).toBeGreaterThan(0);
    for (const width of widths) expect(width).toMatch(/%$/);
    const barCells = rowsOf(chart)
      .slice(0, 4)
      .flatMap((row) => cellsOf(row));
    expect(barCells).toHaveLength(4 * 14);
    for (const cell of barCells) expect(cell).toMatch(/ height="12" bgcolor="#[0-9a-f]{6}"/);
  });

  it('has one cell per day, named, marked with its symbol and numbered 1 to 14', () => {
    // Act
    const chart = chartOf(summaryBlocks(adaSummary(), 'Ben').summaryHtml.html);

    // Assess
    const rows = rowsOf(chart);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(cellsOf(row)).toHaveLength(14);
    expect(chart.match(/title="Day \d+ /g)).toHaveLength(14);
    expect(chart).toContain('title="Day 1 (Wed 21 Oct): on track"');
    expect(chart).toContain('title="Day 9 (Thu 29 Oct): no reply"');
    const symbols = [...(rows[4] ?? '').matchAll(/>([^<]+)<\/td>/g)].map((match) => match[1]).join('');
    expect(symbols).toBe('●●◐●–––●○●◐●·●');
    const numbers = [...(rows[5] ?? '').matchAll(/>(\d+)<\/td>/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('hides the drawing from screen readers and says each kind of day in words in the legend', () => {
    // Act
    const html = summaryBlocks(adaSummary(), 'Ben').summaryHtml.html;

    // Assess
    expect(chartOf(html)).toMatch(/^<table role="presentation" aria-hidden="true"/);
    expect(textOf(legendOf(html))).toBe(
      '● on track: days 1, 2, 4, 8, 10, 12 and 14 ◐ grace day: days 3 and 11 – paused to rest: days 5 to 7 ○ no reply: day 9 · no check-in: day 13',
    );
  });

  it('charts a day answered without saying on track as "checked in", in its own colour and symbol', () => {
    // Prepare
    const days = adaSummary().days.map((day) =>
      day.day === 2 || day.day === 9 ? { ...day, status: 'answered' as const } : day,
    );

    // Act
    const { summaryHtml, summaryText } = summaryBlocks(adaSummary({ days }), 'Ben');

    // Assess
    const chart = chartOf(summaryHtml.html);
    expect(chart).toContain('title="Day 2 (Thu 22 Oct): checked in"');
    const answeredCells = rowsOf(chart)
      .slice(0, 4)
      .map((row) => cellsOf(row)[1] ?? '');
    expect(answeredCells.filter((cell) => cell.includes('bgcolor="#2f7fb0"'))).toHaveLength(3);
    expect(textOf(legendOf(summaryHtml.html))).toContain('checked in: days 2 and 9');
    expect(summaryText).toContain('Days 1-14: ●✓◐●–––●✓●◐●·●');
    expect(summaryText).toContain('; checked in: days 2 and 9;');
  });

  it('makes each day’s bar as tall as its momentum: on track 4, checked in and grace 3, paused 2, no reply 1, no check-in 0', () => {
    // Act
    const chart = chartOf(summaryBlocks(adaSummary(), 'Ben').summaryHtml.html);

    // Assess: a filled cell is any colour but the empty track's.
    const barRows = rowsOf(chart).slice(0, 4).map(cellsOf);
    const heights = STATUSES.map(
      (_status, day) => barRows.filter((row) => !row[day]?.includes('bgcolor="#f1ede6"')).length,
    );
    expect(heights).toEqual([4, 4, 3, 4, 2, 2, 2, 4, 1, 4, 3, 4, 0, 4]);
  });

  it('says it kindly: answered, grace days taken with no guilt, paused to rest; never failed or missed', () => {
    // Act
    const { summaryHtml, summaryText } = summaryBlocks(adaSummary(), 'Ben');

    // Assess
    for (const part of [summaryHtml.html, summaryText]) {
      expect(part).toContain('You checked in on 10 of 14 days, with 7 days on track.');
      expect(part).toContain('2 grace days taken, no guilt; 1 left this month.');
      expect(part).toContain('You paused to rest once (3 days in all).');
      expect(part).toContain('Your deadline moved once, agreed together.');
      expect(part).toContain('You asked Ben for help twice; Ben took on 1.');
      expect(part).toContain('How you felt, from 1 to 5: 4, 5.');
      expect(part).toContain('At the midpoint you felt 4 out of 5 supported.');
      expect(part).not.toMatch(/fail|miss|streak|broke/i);
    }
  });

  it('does not count out loud what a partner could not take on', () => {
    // Act
    const { summaryText } = summaryBlocks(adaSummary({ needsAnswered: 0 }), 'Ben');

    // Assess
    expect(summaryText).toContain('You asked Ben for help twice.');
    expect(summaryText).not.toContain('took on 0');
  });

  it('greets a fortnight without replies gently', () => {
    // Act
    const { summaryText } = summaryBlocks(
      adaSummary({
        checkInsSent: 14,
        checkInsAnswered: 0,
        daysCheckedIn: 0,
        onTrackDays: 0,
        graceUsed: 0,
        pauses: 0,
        days: adaSummary().days.map((day) => ({ ...day, status: 'unanswered' as const })),
      }),
      'Ben',
    );

    // Assess
    expect(summaryText).toContain(
      '- 14 check-ins came your way; this was a quiet stretch, and that is okay.',
    );
    expect(summaryText).toContain('Days 1-14: ○○○○○○○○○○○○○○\n○ no reply');
  });

  it('gives the plain-text twin the same numbers as the HTML, in the same order', () => {
    // Act
    const { summaryHtml, summaryText } = summaryBlocks(adaSummary(), 'Ben');

    // Assess: the words above each chart, tags and entities removed.
    const htmlWords = summaryHtml.html
      .slice(0, summaryHtml.html.indexOf('Your momentum'))
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[#\w]+;/g, ' ');
    const textWords = summaryText.slice(0, summaryText.indexOf('Days 1-14'));
    const numbersIn = (words: string) => words.match(/\d+/g) ?? [];
    expect(numbersIn(textWords)).toEqual(numbersIn(htmlWords));
    // 10 of 14 days, 7 on track; 2 grace, 1 left; 3 days paused; Ben took on 1; moods "from 1 to 5: 4, ...".
    expect(numbersIn(textWords).slice(0, 10)).toEqual(['10', '14', '7', '2', '1', '3', '1', '1', '5', '4']);
  });

  it('draws a one-line text chart with a legend of the kinds of day it shows', () => {
    // Act
    const { summaryText } = summaryBlocks(adaSummary(), 'Ben');

    // Assess
    expect(summaryText).toContain(
      'Days 1-14: ●●◐●–––●○●◐●·●\n● on track  ◐ grace day  – paused to rest  ○ no reply  · no check-in\n' +
        'On track: days 1, 2, 4, 8, 10, 12 and 14; grace day: days 3 and 11; paused to rest: days 5 to 7; no reply: day 9; no check-in: day 13.',
    );
  });
});
