import type { NewsItem } from '#shared/domain/partnership.js';
import { checkInShort, fill, newsPhrases, phrasing, type SmsTemplate } from '#templates/sms.js';
import { septets } from '#templates/sms-segments.js';

/** One GSM-7 segment: every text we send fits one. */
export const SEGMENT_SEPTETS = 160;

/** How one item of news reads, or nothing for news that is not for this recipient. */
export function newsLine(item: NewsItem): string {
  return fill(newsPhrases[item.kind], { name: item.fromName, text: item.text ?? '' });
}

/**
 * The lines of news for one recipient, oldest first: never their own news; a partner's "checked in"
 * at most once a day and not beside a grace day of theirs; each win, offer and choice once.
 */
export function newsFor(recipientId: string, items: readonly NewsItem[]): NewsItem[] {
  const kept = new Map<string, NewsItem>();
  for (const item of [...items].sort((a, b) => a.at.localeCompare(b.at))) {
    if (item.fromMemberId === recipientId) continue;
    const key =
      item.kind === 'on_track' || item.kind === 'grace'
        ? `${item.fromMemberId}#day#${item.at.slice(0, 10)}`
        : `${item.fromMemberId}#${item.kind}#${item.text ?? ''}`;
    const before = kept.get(key);
    // Grace outranks a plain "checked in" the same day; otherwise the latest wins.
    if (before?.kind === 'grace' && item.kind === 'on_track') continue;
    kept.set(key, item);
  }
  return [...kept.values()];
}

/** The news still worth telling at `now`: anything older than `staleAfterHours` is dropped, untold. */
export function freshNews(items: readonly NewsItem[], now: Date, staleAfterHours: number): NewsItem[] {
  const staleBefore = new Date(now.getTime() - staleAfterHours * 3_600_000).toISOString();
  return items.filter((item) => item.at >= staleBefore);
}

export interface CheckInText {
  text: string;
  /** The news items the text carries (to be removed once it is sent). */
  carried: NewsItem[];
}

/**
 * The day's one text: the check-in question, then the lines that must ride with it (`extras`, e.g.
 * the keeper of the week), then as much news as fits one segment. When the full question leaves no
 * room for waiting news, its shorter form is used; news that still does not fit waits for tomorrow.
 */
export function composeCheckInText(
  template: SmsTemplate,
  values: Record<string, string | number>,
  extras: readonly string[],
  news: readonly NewsItem[],
  /** Which phrasing of the question (the team stand-up rotates its wording day by day). */
  phrasingIndex = 0,
): CheckInText {
  const full = fill(phrasing(template, phrasingIndex), values);
  const short =
    template in checkInShort ? fill(checkInShort[template as keyof typeof checkInShort], values) : full;
  const fitUnder = (question: string) => {
    const lines = [question];
    let extrasIn = 0;
    // Extras are in order of importance: one that does not fit keeps the later ones out too.
    for (const extra of extras) {
      if (septets([...lines, extra].join('\n')) > SEGMENT_SEPTETS) break;
      lines.push(extra);
      extrasIn += 1;
    }
    const carried: NewsItem[] = [];
    for (const item of news) {
      const line = newsLine(item);
      if (septets([...lines, line].join('\n')) > SEGMENT_SEPTETS) continue;
      lines.push(line);
      carried.push(item);
    }
    return { text: lines.join('\n'), carried, extrasIn };
  };
  const withFull = fitUnder(full);
  if (withFull.extrasIn === extras.length && withFull.carried.length === news.length)
    return { text: withFull.text, carried: withFull.carried };
  // The lines that ride with the day (the keeper of the week) come before news, which can wait.
  const withShort = fitUnder(short);
  const better =
    withShort.extrasIn > withFull.extrasIn ||
    (withShort.extrasIn === withFull.extrasIn && withShort.carried.length > withFull.carried.length);
  const chosen = better ? withShort : withFull;
  return { text: chosen.text, carried: chosen.carried };
}
