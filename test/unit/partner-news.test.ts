import { describe, expect, it } from 'vitest';
import { MAX_GOAL_LENGTH, MAX_NAME_LENGTH } from '#shared/domain/enrollment.js';
import { messageBudget } from '#shared/domain/message-budget.js';
import type { NewsItem } from '#shared/domain/partnership.js';
import { composeCheckInText, freshNews, newsFor, newsLine } from '#shared/use-cases/check-in-text.js';
import { newsPhrases, PLACEHOLDER_MAX_LENGTH, renderSms } from '#templates/sms.js';
import { septets } from '#templates/sms-segments.js';

const item = (
  fromMemberId: string,
  fromName: string,
  kind: NewsItem['kind'],
  at: string,
  text?: string,
): NewsItem => ({ fromMemberId, fromName, kind, at, ...(text === undefined ? {} : { text }) });

const LONG_NAME = 'N'.repeat(MAX_NAME_LENGTH);
const LONG_GOAL = 'G'.repeat(MAX_GOAL_LENGTH);
const LONG_WORDS = 'W'.repeat(PLACEHOLDER_MAX_LENGTH.text);

describe('partner news', () => {
  it('never gives a member their own news', () => {
    // Prepare: Cal's own need-free news (a win, an offer, a grace day) sits beside Dot's.
    const items = [
      item('cal', 'Cal', 'win', '2026-10-06T12:00:00Z', 'finished the slides'),
      item('cal', 'Cal', 'offer', '2026-10-06T12:05:00Z', 'a code review'),
      item('cal', 'Cal', 'grace', '2026-10-06T12:10:00Z'),
      item('dot', 'Dot', 'win', '2026-10-06T13:00:00Z', 'ran 5 km'),
    ];

    // Act
    const lines = newsFor('cal', items).map(newsLine);

    // Assess
    expect(lines).toEqual(['Dot has a win: "ran 5 km"']);
  });

  it('says a partner checked in at most once a day, and a grace day instead of it when they took one', () => {
    // Prepare
    const items = [
      item('ada', 'Ada', 'on_track', '2026-10-06T12:00:00Z'),
      item('ada', 'Ada', 'on_track', '2026-10-06T18:00:00Z'),
      item('ben', 'Ben', 'grace', '2026-10-06T12:00:00Z'),
      item('ben', 'Ben', 'on_track', '2026-10-06T15:00:00Z'),
    ];

    // Act
    const lines = newsFor('cy', items).map(newsLine);

    // Assess
    expect(lines).toEqual(['Ada checked in.', 'Ben took a grace day; a kind word goes a long way.']);
  });

  it('drops news older than the budget allows, untold, and keeps the rest', () => {
    // Prepare: it is Friday noon; a win from Tuesday morning and a grace day from Thursday wait.
    const now = new Date('2026-10-09T12:00:00Z');
    const old = item('ben', 'Ben', 'win', '2026-10-06T09:00:00Z', 'shipped it');
    const recent = item('ben', 'Ben', 'grace', '2026-10-08T18:00:00Z');

    // Act
    const fresh = freshNews([old, recent], now, messageBudget.newsStaleAfterHours);

    // Assess
    expect(fresh).toEqual([recent]);
  });

  it('frames every kind of news warmly and never as a roll call or a slip', () => {
    // Prepare
    const phrases = Object.values(newsPhrases);

    // Act
    const unkind = phrases.filter((phrase) => /miss|fail|behind|on track|didn't|late/i.test(phrase));

    // Assess
    expect(unkind).toEqual([]);
  });
});

describe('the check-in text that carries the news', () => {
  it('puts the news after the question in one text', () => {
    // Prepare
    const news = [item('ben', 'Ben', 'win', '2026-10-06T12:00:00Z', 'shipped the draft')];

    // Act
    const composed = composeCheckInText('checkIn', { name: 'Ada', goal: 'write 300 words' }, [], news);

    // Assess
    expect(composed.text).toBe(
      'Still on track for "write 300 words" today, Ada? Reply YES, or GRACE for a no-guilt pass.\nBen has a win: "shipped the draft"',
    );
    expect(composed.carried).toEqual(news);
  });

  it('shortens the question rather than leave news behind, and keeps what still does not fit for later', () => {
    // Prepare: every placeholder at its longest, three partners' wins.
    const news = ['a', 'b', 'c'].map((id) =>
      item(id, LONG_NAME, 'win', `2026-10-06T12:0${id.charCodeAt(0) - 97}:00Z`, LONG_WORDS),
    );

    // Act
    const composed = composeCheckInText('checkIn', { name: LONG_NAME, goal: LONG_GOAL }, [], news);

    // Assess
    expect(septets(composed.text)).toBeLessThanOrEqual(160);
    expect(composed.text.startsWith(`Still on track today, ${LONG_NAME}?`)).toBe(true);
    expect(composed.carried).toEqual(news.slice(0, 1));
  });

  it.each([
    'checkIn',
    'standUp',
    'day1',
    'day3',
    'day7',
    'day14',
    'weeklyChatCheckIn',
    'circleCheckIn',
  ] as const)('keeps %s with a keeper line and news within one segment, whatever the lengths', (template) => {
    // Prepare
    const values = {
      name: LONG_NAME,
      goal: LONG_GOAL,
      with: LONG_NAME,
      prompts: 'P'.repeat(PLACEHOLDER_MAX_LENGTH.prompts),
      circle: 'C'.repeat(PLACEHOLDER_MAX_LENGTH.circle),
    };
    const news = [item('b', LONG_NAME, 'grace', '2026-10-06T12:00:00Z')];

    // Act
    const composed = composeCheckInText(
      template,
      values,
      [`${LONG_NAME} is this week's cadence keeper.`],
      news,
    );

    // Assess
    expect(septets(composed.text), composed.text).toBeLessThanOrEqual(160);
    expect(composed.text.startsWith(renderSms(template, values).slice(0, 10))).toBe(true);
  });
});
