import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH } from '../../shared/domain/enrollment.js';
import type { NewsItem } from '../../shared/domain/partnership.js';
import { composeNews } from '../../shared/use-cases/dispatch-scheduled-step.js';
import { PLACEHOLDER_MAX_LENGTH } from '../../templates/sms.js';

const item = (fromMemberId: string, fromName: string, kind: NewsItem['kind'], at: string): NewsItem => ({
  fromMemberId,
  fromName,
  kind,
  at,
});

describe('partner news', () => {
  it('says nothing when there is no news', () => {
    expect(composeNews([])).toBeUndefined();
  });

  it('tells each partner once, with their latest news of the day', () => {
    const news = composeNews([
      item('m1', 'Ada', 'on_track', '2026-10-06T12:00:00Z'),
      item('m1', 'Ada', 'grace', '2026-10-06T15:00:00Z'),
      item('m3', 'Cy', 'on_track', '2026-10-06T16:00:00Z'),
    ]);
    expect(news).toBe('Ada took a grace day; Cy is on track');
  });

  it('names three partners and counts the rest, within its placeholder limit for a team of eight', () => {
    const names = Array.from({ length: 7 }, (_, index) => `${index}`.padEnd(MAX_NAME_LENGTH, 'x'));
    const news = composeNews(
      names.map((name, index) => item(`m${index}`, name, 'grace', '2026-10-06T12:00:00Z')),
    );
    expect(news).toMatch(/; and 4 more$/);
    expect(news?.length).toBeLessThanOrEqual(PLACEHOLDER_MAX_LENGTH.news);
  });

  it('never speaks of missing or failing', () => {
    const news = composeNews([item('m1', 'Ada', 'grace', '2026-10-06T12:00:00Z')]);
    expect(news).not.toMatch(/miss|fail|behind/i);
  });
});
