import type { SendChannel } from '#shared/domain/errors.js';
import type { ReachabilityPort, SendClaim, SendClaimPort } from '#shared/domain/ports.js';
import { claimSend, releaseSend } from './dynamodb/send-claims.js';
import { DynamoDbStore, keys, writtenIf } from './dynamodb-store.js';

/**
 * The sender's store: the table, whether our channels reach each member (smsStatus / emailStatus
 * `undeliverable` on the member item), and the claims of its sends (dynamodb/send-claims.ts). Only the
 * sender builds it, and this module is its own so that no other bundle carries these writes (the inbound
 * SMS bundle is held to 1.5 times the floor).
 */
export class DynamoDbSenderStore extends DynamoDbStore implements ReachabilityPort, SendClaimPort {
  claimSend(key: string, at: Date, leaseSeconds: number): Promise<SendClaim> {
    return claimSend(this, key, at, leaseSeconds);
  }

  releaseSend(key: string): Promise<void> {
    return releaseSend(this, key);
  }

  markUndeliverable(
    partnershipId: string,
    memberId: string,
    channel: SendChannel,
    reason: string,
    at: Date,
  ): Promise<boolean> {
    // The first refusal is kept (its reason and since when); a stopped email channel is left as it is.
    const status = `${channel}Status`;
    return this.writeReachability(
      partnershipId,
      memberId,
      `SET ${status} = :status, ${status}Reason = :reason, ${status}Since = :at`,
      `attribute_exists(pk) AND attribute_not_exists(${status})`,
      { ':reason': reason, ':at': at.toISOString() },
    );
  }

  clearUndeliverable(partnershipId: string, memberId: string, channel: SendChannel): Promise<boolean> {
    const status = `${channel}Status`;
    return this.writeReachability(
      partnershipId,
      memberId,
      `REMOVE ${status}, ${status}Reason, ${status}Since`,
      `${status} = :status`,
    );
  }

  private writeReachability(
    partnershipId: string,
    memberId: string,
    UpdateExpression: string,
    ConditionExpression: string,
    values: Record<string, string> = {},
  ): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        UpdateExpression,
        ConditionExpression,
        ExpressionAttributeValues: { ':status': 'undeliverable', ...values },
      }),
    );
  }
}
