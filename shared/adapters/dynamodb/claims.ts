import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, ClaimStorePort } from '#shared/domain/ports.js';
import { parseClaim } from './items.js';
import { DAY_SECONDS, deleteItem, epochSeconds, getItem, landed, Repository, update } from './repository.js';
import { keys } from './table.js';

/**
 * A claim taken if it is free or its lease ran out: the put `claim` makes, which a step's turn
 * (send-turn.ts) also writes as one item of its transaction (a refusal returns the claim as it is).
 */
export const claimTaken = (key: string, at: Date, leaseSeconds: number) => ({
  Item: {
    ...keys.claim(key),
    ...{ entity: 'claim', v: 1, status: 'in_progress' },
    leaseUntil: epochSeconds(at) + leaseSeconds,
    expiresAt: epochSeconds(at) + 30 * DAY_SECONDS,
  },
  ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND leaseUntil < :now)',
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': epochSeconds(at) },
});

/**
 * Idempotency claims (entity `claim`, `CLAIM#<key>` / `CLAIM`): `in_progress` with a lease, then `done`;
 * kept 30 days (TTL).
 */
export class DynamoDbClaims extends Repository implements ClaimStorePort {
  async claim(key: string, at: Date, leaseSeconds: number): Promise<ClaimResult> {
    const claimed = await landed(
      this.db.send(new PutCommand({ TableName: this.tableName, ...claimTaken(key, at, leaseSeconds) })),
    );
    if (claimed) return 'claimed';
    const existing = await getItem(this, keys.claim(key));
    return existing && parseClaim(existing).status === 'done' ? 'already_done' : 'in_progress';
  }

  async completeClaim(key: string, at: Date): Promise<void> {
    await update(this, {
      Key: keys.claim(key),
      UpdateExpression: 'SET #status = :done, completedAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':at': at.toISOString() },
    });
  }

  async releaseClaim(key: string): Promise<void> {
    await deleteItem(this, keys.claim(key));
  }
}
