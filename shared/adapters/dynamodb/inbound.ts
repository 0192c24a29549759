import type { ClaimResult, InboundMessageStorePort, InboundRecord } from '#shared/domain/ports.js';
import { parseInbound } from './items.js';
import { epochSeconds, getItem, landed, Repository, update } from './repository.js';
import { keys } from './table.js';

/**
 * Inbound messages (entity `inboundSms`, `INBOUND#<MessageSid>` / `RAW`): the raw message and its own
 * claim in one item, stored before anything interprets it, then `applied` or `rejected`.
 */
export class DynamoDbInbound extends Repository implements InboundMessageStorePort {
  async receiveInbound(record: InboundRecord, at: Date, leaseSeconds: number): Promise<ClaimResult> {
    const claimed = await landed(
      update(this, {
        Key: keys.inbound(record.messageSid),
        // The raw message and the claim are one item: stored and claimed in one write. A redelivery that
        // takes over an expired claim keeps the first receivedAt.
        // Every name aliased: several (raw, body, status, from, to) are DynamoDB reserved words.
        UpdateExpression:
          'SET #entity = :entity, #v = :v, #status = :received, #sid = :sid, #from = :from, #to = :to, ' +
          '#body = :body, #raw = :raw, #receivedAt = if_not_exists(#receivedAt, :receivedAt), #lease = :lease',
        ConditionExpression: 'attribute_not_exists(pk) OR (#status = :received AND #lease < :now)',
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#v': 'v',
          '#status': 'status',
          '#sid': 'messageSid',
          '#from': 'from',
          '#to': 'to',
          '#body': 'body',
          '#raw': 'raw',
          '#receivedAt': 'receivedAt',
          '#lease': 'leaseUntil',
        },
        ExpressionAttributeValues: {
          ':entity': 'inboundSms',
          ':v': 3,
          ':received': 'received',
          ':sid': record.messageSid,
          ':from': record.from,
          ':to': record.to,
          ':body': record.body,
          // As JSON text, exactly as received: any field name works (even `constructor`), nothing is mapped.
          ':raw': JSON.stringify(record.raw),
          ':receivedAt': record.receivedAt,
          ':lease': epochSeconds(at) + leaseSeconds,
          ':now': epochSeconds(at),
        },
      }),
    );
    if (claimed) return 'claimed';
    const existing = await getItem(this, keys.inbound(record.messageSid));
    return existing && parseInbound(existing).status === 'received' ? 'in_progress' : 'already_done';
  }

  async releaseInbound(messageSid: string): Promise<void> {
    // Completed after all (or never received): nothing to give up, and nothing changes.
    await landed(
      update(this, {
        Key: keys.inbound(messageSid),
        UpdateExpression: 'SET leaseUntil = :zero',
        ConditionExpression: '#status = :received',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':zero': 0, ':received': 'received' },
      }),
    );
  }

  async completeInbound(
    messageSid: string,
    outcome: { intent: string; reply?: string; memberId?: string; rejected?: string },
  ): Promise<void> {
    await update(this, {
      Key: keys.inbound(messageSid),
      UpdateExpression:
        'SET #status = :status, intent = :intent, reply = :reply, memberId = :memberId, rejected = :rejected',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': outcome.rejected ? 'rejected' : 'applied',
        ':intent': outcome.intent,
        ':reply': outcome.reply ?? null,
        ':memberId': outcome.memberId ?? null,
        ':rejected': outcome.rejected ?? null,
      },
    });
  }
}
