import type { NewsItem } from '#shared/domain/partnership.js';
import type { HistoryEvent, HistoryStorePort, PartnershipHistory } from '#shared/domain/ports.js';
import { parseCheckIn, parseEvent, parseNeed } from './items.js';
import { item, putAll, putItem, queryItems, Repository } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * What happened in a partnership (entity `event`, `EVENT#<at>#<memberId>#<kind>`), with the partners'
 * news an event gives (entity `news`, written with it); the history reads check-ins and needs too.
 */
export class DynamoDbHistory extends Repository implements HistoryStorePort {
  async recordEvent(
    partnershipId: string,
    event: HistoryEvent,
    news: Array<{ recipientId: string; item: NewsItem }> = [],
  ): Promise<void> {
    const eventKey = keys.event(partnershipId, event.at, event.memberId, event.kind);
    if (news.length === 0) return putItem(this, eventKey, 'event', event);
    // Plain puts of new items: one batch request instead of one request each (a pair's news is one item).
    const items = [
      item(eventKey, 'event', event),
      ...news.map(({ recipientId, item: news }) =>
        item(keys.news(partnershipId, recipientId, news.at, news.fromMemberId, news.kind), 'news', news),
      ),
    ];
    await putAll(this, items, 'the event and its news');
  }

  /** Check-ins, events and needs, oldest first: three Queries of the partition, every page. */
  async history(partnershipId: string): Promise<PartnershipHistory> {
    const pk = partitionKeys.partnership(partnershipId);
    const [checkIns, events, needs] = await Promise.all(
      [sortKeyPrefixes.checkIns, sortKeyPrefixes.events, sortKeyPrefixes.needs].map((prefix) =>
        queryItems(this, pk, prefix),
      ),
    );
    return {
      checkIns: (checkIns ?? []).map(parseCheckIn),
      events: (events ?? []).map(parseEvent),
      needs: (needs ?? []).map(parseNeed),
    };
  }
}
