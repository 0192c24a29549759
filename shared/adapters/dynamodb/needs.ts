import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Need } from '#shared/domain/partnership.js';
import type { NeedStorePort } from '#shared/domain/ports.js';
import { parseNeed } from './items.js';
import { landed, queryEveryPage, type TableAccess } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * A team member's needs (entity `need`), in their partnership's partition: `NEED#<id>`. A reply's turn
 * (reply-turn.ts) writes a new need inside its transaction, with the same item shape.
 */
export class DynamoDbNeeds implements NeedStorePort {
  constructor(private readonly table: TableAccess) {}

  async addNeed(need: Need): Promise<void> {
    await this.table.db.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: { ...keys.need(need.partnershipId, need.id), entity: 'need', v: 1, ...need },
      }),
    );
  }

  /** Open needs of the other members, the latest first (need ids sort by time). */
  async openNeedsOfOthers(partnershipId: string, memberId: string): Promise<Need[]> {
    const items = await queryEveryPage(this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': partitionKeys.partnership(partnershipId),
        ':prefix': sortKeyPrefixes.needs,
      },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map(parseNeed).filter((need) => need.status === 'open' && need.memberId !== memberId);
  }

  /** Takes a need on: only the first member to answer ON IT gets it. */
  acknowledgeNeed(partnershipId: string, needId: string, byMemberId: string, at: Date): Promise<boolean> {
    return landed(
      this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.need(partnershipId, needId),
          UpdateExpression: 'SET #status = :onIt, acknowledgedBy = :by, acknowledgedAt = :at',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':onIt': 'on_it',
            ':open': 'open',
            ':by': byMemberId,
            ':at': at.toISOString(),
          },
        }),
      ),
    );
  }
}
