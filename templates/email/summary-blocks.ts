/**
 * The Day-14 summary block: a few kind sentences of numbers, the member's own words, their partner's
 * kindness and a momentum chart, as HTML for `{{summaryHtml}}` and plain text for `{{summaryText}}`.
 *
 * The chart is a table of coloured cells, because that is what Gmail, Outlook (Word's renderer) and
 * Apple Mail all draw the same way: no SVG, no flex or grid, no background images; `bgcolor` and
 * `height` attributes beside inline styles, and widths in percent so it shrinks to a 375 px phone.
 */
import { dayLabel } from '#shared/domain/calendar.js';
import type { DayStatus, MemberSummary } from '#shared/domain/summary.js';
import { escapeHtml, type TrustedHtml, trustedHtml } from './render.js';

/**
 * How each kind of day looks and reads; the same order in the chart's legend and the text legend.
 * Every colour keeps at least 3:1 against white and against the empty cell (WCAG 1.4.11), and each day
 * also carries its symbol and its bar height, so no day is told by colour alone. The figures are in
 * docs/email-palette.md, written by `npx tsx scripts/chart-contrast.ts` and checked by a unit test.
 */
export const dayStyles = {
  on_track: { label: 'on track', color: '#2f6f5e', symbol: '●', level: 4 },
  answered: { label: 'checked in', color: '#2f7fb0', symbol: '✓', level: 3 },
  grace: { label: 'grace day', color: '#b0721a', symbol: '◐', level: 3 },
  paused: { label: 'paused to rest', color: '#7a6aa8', symbol: '–', level: 2 },
  review: { label: 'review today', color: '#5b6b8c', symbol: '◇', level: 1 },
  unanswered: { label: 'no reply', color: '#8a8174', symbol: '○', level: 1 },
  no_check_in: { label: 'no check-in', color: '#7d756b', symbol: '·', level: 0 },
} as const satisfies Record<DayStatus, { label: string; color: string; symbol: string; level: number }>;

/** The background the chart is drawn on, and the colour of a bar's empty cells. */
export const CHART_BACKGROUND = '#ffffff';
export const EMPTY_CELL = '#f1ede6';

/** The chart's bars are this many stacked cells tall; a day fills as many as its level. */
const CHART_LEVELS = 4;
const CELL_HEIGHT_PX = 12;
const INK = '#2f2a24';
const MUTED = '#5c554c';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const times = (count: number) => (count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`);

/** The sentences both parts share, as plain text (escaped on the way into the HTML). */
function sentences(summary: MemberSummary, partnerName: string): string[] {
  const { checkInsSent: sent, daysCheckedIn: checkedIn, onTrackDays: onTrack } = summary;
  const lines = [
    checkedIn === 0
      ? `${plural(sent, 'check-in')} came your way; this was a quiet stretch, and that is okay.`
      : `You checked in on ${checkedIn} of ${plural(summary.days.length, 'day')}${onTrack > 0 ? `, with ${plural(onTrack, 'day')} on track` : ''}.`,
  ];
  if (summary.graceUsed > 0) {
    const left = summary.graceLeft > 0 ? `; ${summary.graceLeft} left this month` : '';
    lines.push(`${plural(summary.graceUsed, 'grace day')} taken, no guilt${left}.`);
  }
  if (summary.pauses > 0) {
    const pausedDays = summary.days.filter((day) => day.status === 'paused').length;
    lines.push(`You paused to rest ${times(summary.pauses)} (${plural(pausedDays, 'day')} in all).`);
  }
  if (summary.deadlinesMoved > 0) {
    lines.push(`Your deadline moved ${times(summary.deadlinesMoved)}, agreed together.`);
  }
  if (summary.needsRaised > 0) {
    // Only what a partner did is counted out loud, never what they could not take on.
    const taken = summary.needsAnswered > 0 ? `; ${partnerName} took on ${summary.needsAnswered}` : '';
    lines.push(`You asked ${partnerName} for help ${times(summary.needsRaised)}${taken}.`);
  }
  if (summary.moods.length > 0) {
    lines.push(`How you felt, from 1 to 5: ${summary.moods.map((mood) => mood.score).join(', ')}.`);
  }
  if (summary.reflections.supportScore !== undefined) {
    lines.push(`At the midpoint you felt ${summary.reflections.supportScore} out of 5 supported.`);
  }
  return lines;
}

/** The member's own answers to the Day 3 and Day 7 questions, with the question they answered. */
function ownWords(summary: MemberSummary): Array<{ intro: string; text: string }> {
  const { day3, day7 } = summary.reflections;
  return [
    ...(day3 ? [{ intro: 'On Day 3 you wrote', text: day3 }] : []),
    ...(day7 ? [{ intro: 'On Day 7 you wrote', text: day7 }] : []),
  ];
}

const P = `margin:0 0 12px;color:${INK};font-size:16px;line-height:1.6;`;
const LI = `margin:0 0 4px;color:${INK};font-size:16px;line-height:1.5;`;
const SMALL = `color:${MUTED};font-size:13px;line-height:1.5;`;
/** Long unbroken words (a pasted link) wrap instead of widening the email. */
const WRAP = 'word-break:break-word;overflow-wrap:anywhere;';

/** The kinds of day this summary has, in legend order. */
const statusesIn = (summary: MemberSummary) =>
  (Object.keys(dayStyles) as DayStatus[]).filter((status) =>
    summary.days.some((day) => day.status === status),
  );

/** Day numbers as a reader would say them: "day 9", "days 1, 2 and 4", "days 5 to 7 and 9". */
export function dayList(days: readonly number[]): string {
  const runs: string[] = [];
  let index = 0;
  while (index < days.length) {
    const first = days[index] ?? 0;
    let last = first;
    while (days[index + 1] === last + 1) {
      index += 1;
      last += 1;
    }
    runs.push(last - first >= 2 ? `${first} to ${last}` : last > first ? `${first}, ${last}` : `${first}`);
    index += 1;
  }
  const parts = runs.join(', ').split(', ');
  const spoken = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
  return `${days.length === 1 ? 'day' : 'days'} ${spoken}`;
}

/** Which days had each status, in legend order: what the chart shows, said in words. */
const daysByStatus = (summary: MemberSummary) =>
  statusesIn(summary).map((status) => ({
    status,
    days: summary.days.filter((day) => day.status === status).map((day) => day.day),
  }));

/**
 * The momentum chart: one column per day, bars of stacked cells, each day's symbol and number beneath.
 * The drawing is hidden from screen readers; the legend beneath says the same in words, day by day.
 */
function chartHtml(summary: MemberSummary): string {
  const width = `${Math.floor(100 / summary.days.length)}%`;
  const rows: string[] = [];
  for (let level = CHART_LEVELS; level >= 1; level -= 1) {
    const cells = summary.days.map((day) => {
      const style = dayStyles[day.status];
      const color = style.level >= level ? style.color : EMPTY_CELL;
      // The bottom cell of each bar names its day, for a hover in webmail.
      const title = level === 1 ? ` title="Day ${day.day} (${dayLabel(day.localDate)}): ${style.label}"` : '';
      return `<td width="${width}" height="${CELL_HEIGHT_PX}" bgcolor="${color}"${title} style="width:${width};height:${CELL_HEIGHT_PX}px;background-color:${color};font-size:0;line-height:0;mso-line-height-rule:exactly;">&nbsp;</td>`;
    });
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  const symbols = summary.days.map((day) => {
    // In ink, not the bar's colour: the symbol is read as text, so it needs text contrast.
    return `<td width="${width}" align="center" style="width:${width};padding-top:2px;color:${INK};font-size:13px;line-height:16px;text-align:center;">${dayStyles[day.status].symbol}</td>`;
  });
  rows.push(`<tr>${symbols.join('')}</tr>`);
  const numbers = summary.days.map(
    (day) =>
      `<td width="${width}" align="center" style="width:${width};${SMALL}font-size:11px;line-height:14px;text-align:center;">${day.day}</td>`,
  );
  rows.push(`<tr>${numbers.join('')}</tr>`);
  // The legend is a table too: a swatch cell in the bar's colour (an outlined empty cell for a day
  // without a check-in), the symbol, and the days of that kind in words.
  const legend = daysByStatus(summary)
    .map(({ status, days }) => {
      const { color, label, symbol, level } = dayStyles[status];
      const fill = level === 0 ? EMPTY_CELL : color;
      return `<tr><td width="14" height="14" bgcolor="${fill}" style="width:14px;height:14px;background-color:${fill};border:2px solid ${color};font-size:0;line-height:0;">&nbsp;</td><td width="22" align="center" aria-hidden="true" style="width:22px;color:${INK};font-size:13px;line-height:18px;text-align:center;">${symbol}</td><td style="${SMALL}color:${INK};padding:2px 0;">${label}: ${dayList(days)}</td></tr>`;
    })
    .join('');
  return [
    `<p style="${P}margin-bottom:6px;font-weight:bold;">Your momentum, Day 1 to ${summary.days.length}</p>`,
    `<table role="presentation" aria-hidden="true" width="100%" border="0" cellpadding="0" cellspacing="2" style="width:100%;border-collapse:separate;border-spacing:2px;table-layout:fixed;">`,
    rows.join(''),
    '</table>',
    `<table role="presentation" border="0" cellpadding="0" cellspacing="4" style="margin:6px 0 12px;border-collapse:separate;border-spacing:4px;">${legend}</table>`,
  ].join('');
}

/** The `{{summaryHtml}}` and `{{summaryText}}` values of the Day-14 email for one member. */
export function summaryBlocks(
  summary: MemberSummary,
  partnerName: string,
): { summaryHtml: TrustedHtml; summaryText: string } {
  const lines = sentences(summary, partnerName);
  const words = ownWords(summary);
  const highlights = summary.partnerHighlights;

  const html = [
    `<ul style="margin:0 0 12px;padding-left:20px;">${lines.map((line) => `<li style="${LI}">${escapeHtml(line)}</li>`).join('')}</ul>`,
    ...words.map(
      ({ intro, text }) =>
        `<p style="${P}${WRAP}">${intro}: <em style="color:${MUTED};">“${escapeHtml(text)}”</em></p>`,
    ),
    highlights.length > 0
      ? `<p style="${P}margin-bottom:4px;">Kind moments with ${escapeHtml(partnerName)}:</p><ul style="margin:0 0 12px;padding-left:20px;${WRAP}">${highlights.map((text) => `<li style="${LI}">${escapeHtml(text)}</li>`).join('')}</ul>`
      : '',
    chartHtml(summary),
  ].join('');

  const symbols = summary.days.map((day) => dayStyles[day.status].symbol).join('');
  const legendText = statusesIn(summary)
    .map((status) => `${dayStyles[status].symbol} ${dayStyles[status].label}`)
    .join('  ');
  const byStatus = daysByStatus(summary)
    .map(({ status, days }) => `${dayStyles[status].label}: ${dayList(days)}`)
    .join('; ');
  const text = [
    lines.map((line) => `- ${line}`).join('\n'),
    ...(words.length > 0 ? [words.map(({ intro, text: said }) => `${intro}: "${said}"`).join('\n')] : []),
    ...(highlights.length > 0
      ? [[`Kind moments with ${partnerName}:`, ...highlights.map((each) => `- ${each}`)].join('\n')]
      : []),
    `Days 1-${summary.days.length}: ${symbols}\n${legendText}\n${byStatus.charAt(0).toUpperCase()}${byStatus.slice(1)}.`,
  ].join('\n\n');

  return { summaryHtml: trustedHtml(html), summaryText: text };
}
