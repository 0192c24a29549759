import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { SendClaim } from '#shared/domain/ports.js';
import { claimTaken } from './claims.js';
import { landed, type TableAccess, update } from './repository.js';
import { keys } from './table.js';

/**
 * A send's claim (entity `claim`, the item claims.ts writes, with `claimedAt`: when the key was first
 * claimed, kept across takeovers). One UpdateItem, taken if the key is free or its lease ran out; it
 * answers the item it replaced (a takeover: since when that attempt held it) or the one that refused it
 * (done, or held by another delivery), so a send never asks twice.
 */
export async function claimSend(
  table: TableAccess,
  key: string,
  at: Date,
  leaseSeconds: number,
): Promise<SendClaim> {
  // The claim `claim` puts (claims.ts): its item's fields and its condition (free, or its lease ran out).
  const { Item, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = claimTaken(
    key,
    at,
    leaseSeconds,
  );
  try {
    const { Attributes: replaced } = await update(table, {
      Key: keys.claim(key),
      UpdateExpression:
        'SET #status = :inProgress, leaseUntil = :lease, claimedAt = if_not_exists(claimedAt, :now), expiresAt = :expires, entity = :entity, v = :v',
      ConditionExpression,
      ExpressionAttributeNames,
      ExpressionAttributeValues: {
        ...ExpressionAttributeValues,
        ...{ ':lease': Item.leaseUntil, ':expires': Item.expiresAt, ':entity': Item.entity, ':v': Item.v },
      },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    if (!replaced) return { claim: 'claimed' };
    // A claim written before `claimedAt` existed: its lease tells when it was taken.
    const since =
      typeof replaced.claimedAt === 'number'
        ? replaced.claimedAt
        : Number(replaced.leaseUntil) - leaseSeconds;
    return { claim: 'claimed', takenOverSince: new Date(since * 1000) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { claim: error.Item?.status?.S === 'done' ? 'already_done' : 'in_progress' };
  }
}

/** Ends a send's lease now, keeping the claim (and `claimedAt`): the next claimSend takes it over at once. */
export async function releaseSend(table: TableAccess, key: string): Promise<void> {
  await landed(
    update(table, {
      Key: keys.claim(key),
      UpdateExpression: 'SET leaseUntil = :zero',
      ConditionExpression: '#status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':inProgress': 'in_progress', ':zero': 0 },
    }),
  );
}
