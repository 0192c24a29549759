import type { QuotaStorePort } from '#shared/domain/ports.js';
import { epochSeconds, landed, Repository, update } from './repository.js';
import { keys } from './table.js';

/**
 * One unit of a counted allowance, if it has one left: the update `takeQuota` makes, which a step's turn
 * (send-turn.ts) also writes as one item of its transaction.
 */
export const quotaTaken = (key: string, limit: number, expiresAt: Date) => ({
  Key: keys.quota(key),
  UpdateExpression:
    'SET used = if_not_exists(used, :zero) + :one, entity = :entity, v = :v, expiresAt = :expires',
  ConditionExpression: '(attribute_not_exists(used) AND :limit > :zero) OR used < :limit',
  ExpressionAttributeValues: {
    ...{ ':zero': 0, ':one': 1, ':limit': limit },
    ...{ ':entity': 'quota', ':v': 1, ':expires': epochSeconds(expiresAt) },
  },
});

/** Counted allowances (entity `quota`, `QUOTA#<key>` / `QUOTA`): `used`, expiring by themselves (TTL). */
export class DynamoDbQuotas extends Repository implements QuotaStorePort {
  takeQuota(key: string, limit: number, expiresAt: Date): Promise<boolean> {
    return landed(update(this, quotaTaken(key, limit, expiresAt)));
  }

  async returnQuota(key: string): Promise<void> {
    // Never below zero: a unit nobody took is not given back.
    await landed(
      update(this, {
        Key: keys.quota(key),
        UpdateExpression: 'SET used = used - :one',
        ConditionExpression: 'used > :zero',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      }),
    );
  }
}
