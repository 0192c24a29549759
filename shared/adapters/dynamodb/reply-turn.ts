import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDbStore } from '#shared/adapters/dynamodb-store.js';
import { ConcurrentChangeError } from '#shared/domain/errors.js';
import { graceTokensLeft } from '#shared/domain/grace-ledger.js';
import type { CheckIn, CheckInStatus, NewsItem } from '#shared/domain/partnership.js';
import type { HistoryEvent, StorePort } from '#shared/domain/ports.js';
import { parseCheckIn } from './items.js';
import { keys, sortKeyPrefixes } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One text's turn over the store (docs/data-model.md, Transactions). Its first read of a partnership is
 * one Query (check-ins, grace, members, the partnership itself); the reply's changes to it (the
 * check-in's answer, a grace token, a need, the events and the partners' news) wait, and
 * `completeInbound` writes them with the message's completion in one TransactWriteItems, which commits
 * only while the message is still `received`. A crash before it leaves only the claimed raw message,
 * which a redelivery takes over after its lease. A grace token is spent as read: if another text spent
 * one meanwhile, the transaction fails with ConcurrentChangeError and the caller computes the turn again
 * (`attempt` counts those). Other writes (a pause, a news slot, opt-outs …) still go straight to the
 * table; the turn reads the latest check-in with its pending answer applied.
 */
export function replyTurn(store: DynamoDbStore, messageSid: string, attempt = 0): StorePort {
  const { db, tableName: TableName } = store;
  // By item key: two writes of one item in a turn keep the last (a transaction may touch an item once).
  const pending = new Map<string, TransactItem>();
  const answers = new Map<string, { status: CheckInStatus; answeredAt: string }>();
  // Writes dropped rather than failing the turn when their condition no longer holds.
  const optional = new Set<TransactItem>();
  // Writes computed from what the turn read (a grace token): if it changed, the turn is computed again.
  const readBased = new Set<TransactItem>();
  const keep = (key: { pk: string; sk: string }, item: TransactItem) =>
    pending.set(`${key.pk}|${key.sk}`, item);
  const putNew = (key: { pk: string; sk: string }, entity: string, fields: object) =>
    keep(key, { Put: { TableName, Item: { ...key, entity, v: 1, ...fields } } });

  // What a reply reads of a partnership, in one Query: its check-ins, grace, members and itself.
  const partitions = new Map<string, Promise<Record<string, unknown>[]>>();
  const partitionOf = (partnershipId: string) => {
    const read = partitions.get(partnershipId) ?? replyRead(store, partnershipId);
    partitions.set(partnershipId, read);
    return read;
  };

  const turn: StorePort = Object.create(store);
  turn.getPartnership = async (id) => {
    // The first read of the turn is the wide one; a later one (after a direct write) reads afresh.
    if (partitions.has(id)) return store.getPartnership(id);
    return store.assemble(await partitionOf(id));
  };
  turn.answerCheckIn = async (partnershipId, memberId, localDate, status, at) => {
    const Key = keys.checkIn(partnershipId, memberId, localDate);
    answers.set(`${partnershipId}|${memberId}|${localDate}`, { status, answeredAt: at.toISOString() });
    // A plain answer only answers a check-in still open: it never overwrites on track or grace that a
    // text handled at the same time recorded (and is dropped if one did).
    const plain = status === 'answered';
    const item: TransactItem = {
      Update: {
        TableName,
        Key,
        UpdateExpression: 'SET #status = :status, answeredAt = :at',
        ConditionExpression: plain ? '#status = :sent' : 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':at': at.toISOString(),
          ...(plain ? { ':sent': 'sent' } : {}),
        },
      },
    };
    keep(Key, item);
    if (plain) optional.add(item);
  };
  turn.latestCheckIn = async (partnershipId, memberId): Promise<CheckIn | undefined> => {
    if (!partitions.has(partnershipId)) return store.latestCheckIn(partnershipId, memberId);
    const prefix = sortKeyPrefixes.checkInsOf(memberId);
    const item = (await partitionOf(partnershipId)).findLast((each) => String(each.sk).startsWith(prefix));
    const latest = item ? parseCheckIn(item) : undefined;
    const answer = latest && answers.get(`${partnershipId}|${memberId}|${latest.localDate}`);
    return latest && answer ? ({ ...latest, ...answer } as CheckIn) : latest;
  };
  turn.spendGraceToken = async (partnershipId, memberId, month, allowance) => {
    if (!partitions.has(partnershipId))
      return store.spendGraceToken(partnershipId, memberId, month, allowance);
    const Key = keys.grace(partnershipId, memberId, month);
    const read = (await partitionOf(partnershipId)).find((each) => each.sk === Key.sk);
    const spent = Number(read?.spent ?? 0);
    if (spent >= allowance) return undefined;
    // Spent exactly as read: two texts spending at once cannot both take the last token.
    const item: TransactItem = {
      Update: {
        TableName,
        Key,
        UpdateExpression: 'SET spent = :spent, entity = :entity, v = :v',
        ConditionExpression: read ? 'spent = :read' : 'attribute_not_exists(pk)',
        ExpressionAttributeValues: {
          ':spent': spent + 1,
          ':entity': 'grace',
          ':v': 1,
          ...(read ? { ':read': spent } : {}),
        },
      },
    };
    keep(Key, item);
    readBased.add(item);
    return graceTokensLeft(allowance, spent + 1);
  };
  turn.addNeed = async (need) => {
    putNew(keys.need(need.partnershipId, need.id), 'need', need);
  };
  turn.recordEvent = async (
    partnershipId: string,
    event: HistoryEvent,
    news: Array<{ recipientId: string; item: NewsItem }> = [],
  ) => {
    // The MessageSid in the key: two texts handled in the same millisecond keep an event each.
    putNew(
      keys.event(partnershipId, event.at, event.memberId, `${event.kind}#${messageSid}`),
      'event',
      event,
    );
    for (const { recipientId, item } of news)
      putNew(keys.news(partnershipId, recipientId, item.at, item.fromMemberId, item.kind), 'news', item);
  };
  turn.completeInbound = async (sid, outcome) => {
    const Key = keys.inbound(sid);
    keep(Key, {
      Update: {
        TableName,
        Key,
        UpdateExpression:
          'SET #status = :status, intent = :intent, reply = :reply, memberId = :memberId, rejected = :rejected',
        // Only the delivery still holding the message commits what it did.
        ConditionExpression: '#status = :received',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.rejected ? 'rejected' : 'applied',
          ':received': 'received',
          ':intent': outcome.intent,
          ':reply': outcome.reply ?? null,
          ':memberId': outcome.memberId ?? null,
          ':rejected': outcome.rejected ?? null,
        },
      },
    });
    let items = [...pending.values()];
    pending.clear();
    if (items.length > 100) throw new Error('A reply changed more than 100 items');
    for (let retry = 0; ; retry++) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: items,
            ClientRequestToken: requestToken(`${TableName}#${sid}#${attempt}`, retry),
          }),
        );
        return;
      } catch (error) {
        const failed = conditionFailures(error, items);
        if (failed.some((item) => readBased.has(item))) throw new ConcurrentChangeError();
        // Only optional writes failed: the rest is written without them (once; nothing else can fail so).
        if (retry > 0 || failed.length === 0 || failed.some((item) => !optional.has(item))) throw error;
        items = items.filter((item) => !failed.includes(item));
      }
    }
  };
  return turn;
}

/**
 * The same for every try of the same transaction (at most 36 characters), so the SDK's retries are
 * harmless. DynamoDB keeps tokens per account, not per table: the table is in it, as local tables (one a
 * test) see the same MessageSids again.
 */
const requestToken = (message: string, attempt: number) =>
  createHash('sha256').update(`${message}#${attempt}`).digest('base64url').slice(0, 36);

/** The items whose condition failed, when a transaction was cancelled for conditions only; else none. */
function conditionFailures(error: unknown, items: TransactItem[]): TransactItem[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  const reasons = error.CancellationReasons ?? [];
  if (
    reasons.some(
      (reason) => reason.Code && reason.Code !== 'None' && reason.Code !== 'ConditionalCheckFailed',
    )
  )
    return [];
  return items.filter((_, index) => reasons[index]?.Code === 'ConditionalCheckFailed');
}

/**
 * A partnership's items from its check-ins to its own item (sort keys CHECKIN# … META: check-ins, grace,
 * members, the partnership), without its events: what a reply needs, in one Query (pages only if large).
 */
async function replyRead(store: DynamoDbStore, partnershipId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await store.db.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        FilterExpression: '#entity <> :event',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: {
          ':pk': keys.partnership(partnershipId).pk,
          ':from': sortKeyPrefixes.checkIns,
          ':to': keys.partnership(partnershipId).sk,
          ':event': 'event',
        },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
