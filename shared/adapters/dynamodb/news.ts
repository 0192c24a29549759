import type { NewsItem } from '#shared/domain/partnership.js';
import type { NewsStorePort } from '#shared/domain/ports.js';
import { parseNews, parseNewsSlot } from './items.js';
import { deleteItem, getItem, landed, putItem, queryItems, Repository } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * Partner news waiting for a member's next check-in (entity `news`, `NEWS#<recipientId>#…`) and when
 * the last partner text to them was set for (entity `newsSlot`, `NEWSSLOT#<recipientId>`).
 */
export class DynamoDbNews extends Repository implements NewsStorePort {
  async pendingNews(partnershipId: string, recipientId: string): Promise<NewsItem[]> {
    const pk = partitionKeys.partnership(partnershipId);
    return (await queryItems(this, pk, sortKeyPrefixes.newsFor(recipientId))).map(parseNews);
  }

  async removeNews(partnershipId: string, recipientId: string, items: NewsItem[]): Promise<void> {
    for (const item of items) {
      await deleteItem(this, keys.news(partnershipId, recipientId, item.at, item.fromMemberId, item.kind));
    }
  }

  async reserveNewsSlot(
    partnershipId: string,
    recipientId: string,
    earliest: Date,
    spacingMinutes: number,
  ): Promise<Date> {
    const key = keys.newsSlot(partnershipId, recipientId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await getItem(this, key);
      const last = current && parseNewsSlot(current).lastSlot;
      const spaced = last ? new Date(Date.parse(last) + spacingMinutes * 60_000) : earliest;
      const slot = spaced > earliest ? spaced : earliest;
      // Optimistic: the write only lands if nobody reserved a slot since we read.
      const reserved = await landed(
        putItem(
          this,
          key,
          'newsSlot',
          { lastSlot: slot.toISOString() },
          last
            ? { ConditionExpression: 'lastSlot = :last', ExpressionAttributeValues: { ':last': last } }
            : { ConditionExpression: 'attribute_not_exists(pk)' },
        ),
      );
      if (reserved) return slot;
    }
    throw new Error('Could not reserve a partner-news slot');
  }
}
