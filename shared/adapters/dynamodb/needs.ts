import type { Need } from '#shared/domain/partnership.js';
import type { NeedStorePort } from '#shared/domain/ports.js';
import { parseNeed } from './items.js';
import { moveStatus, putItem, queryItems, Repository } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * A team member's needs (entity `need`), in their partnership's partition: `NEED#<id>`. A reply's turn
 * (reply-turn.ts) writes a new need inside its transaction, with the same item shape.
 */
export class DynamoDbNeeds extends Repository implements NeedStorePort {
  addNeed(need: Need): Promise<void> {
    return putItem(this, keys.need(need.partnershipId, need.id), 'need', need);
  }

  /** Open needs of the other members, the latest first (need ids sort by time). */
  async openNeedsOfOthers(partnershipId: string, memberId: string): Promise<Need[]> {
    const pk = partitionKeys.partnership(partnershipId);
    return (await queryItems(this, pk, sortKeyPrefixes.needs, true))
      .map(parseNeed)
      .filter((need) => need.status === 'open' && need.memberId !== memberId);
  }

  /** Takes a need on: only the first member to answer ON IT gets it. */
  acknowledgeNeed(partnershipId: string, needId: string, byMemberId: string, at: Date): Promise<boolean> {
    return moveStatus(this, keys.need(partnershipId, needId), 'open', 'on_it', {
      acknowledgedBy: byMemberId,
      acknowledgedAt: at.toISOString(),
    });
  }
}
