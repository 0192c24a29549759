import { createHash } from 'node:crypto';
import { TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Member, NewsItem } from '#shared/domain/partnership.js';
import { DynamoDbStore } from '../dynamodb-store.js';
import { passWrites } from './overlay.js';
import { partnershipRead, snapshotUpdate } from './phone-snapshot.js';
import { keys, sortKeyPrefixes } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/**
 * A scheduled step's turn over the store (docs/data-model.md, "A scheduled send"). Its read of a
 * partnership is one Query (the partnership, members, check-ins, grace, news and news slots), which
 * also answers the news waiting and the phone's new snapshot. What follows a send (the send's claim
 * completed, the news it carried removed, the prompt noted with that snapshot) waits and is written with the step's completion in
 * one TransactWriteItems; any other write writes what waits first, so nothing is completed out of order.
 * The writes before the provider call (the check-in, the quotas, each send's claim) stay direct: they
 * are what keeps one check-in a day, the budgets and one text per send under concurrency.
 */
export function sendTurn<T extends DynamoDbStore>(store: T): T {
  const { db, tableName: TableName } = store;
  const reads = new Map<string, Promise<Item[]>>();
  const waiting = new Map<string, TransactItem>();
  let stepKey: string | undefined;

  const write = async (last: TransactItem[] = []) => {
    const items = [...waiting.values(), ...last];
    waiting.clear();
    if (items.length === 0) return;
    const token = createHash('sha256')
      .update(
        `${TableName}#${items.map((item) => JSON.stringify((item.Update ?? item.Delete)?.Key)).join('|')}`,
      )
      .digest('base64url')
      .slice(0, 36);
    await db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
  };

  const turn: T = Object.create(store);
  const readOf = (partnershipId: string) => {
    const read = reads.get(partnershipId) ?? partnershipRead(store, partnershipId, true);
    reads.set(partnershipId, read);
    return read;
  };
  turn.getPartnership = async (id) => store.assemble(await readOf(id));
  turn.pendingNews = async (partnershipId, recipientId) => {
    const prefix = sortKeyPrefixes.newsFor(recipientId);
    const items = (await readOf(partnershipId)).filter((item) => String(item.sk).startsWith(prefix));
    // As the store's own pendingNews reads them (news items are not parsed yet: items.ts).
    return items.map(
      ({ pk: _pk, sk: _sk, entity: _entity, v: _v, ...news }) => news,
    ) as unknown as NewsItem[];
  };
  turn.recordCheckInSent = async (checkIn) => {
    await write();
    const recorded = await store.recordCheckInSent(checkIn);
    // The step's read gains the check-in it recorded (for the phone's snapshot), as the table did.
    const read = recorded ? reads.get(checkIn.partnershipId) : undefined;
    if (read) {
      const Key = keys.checkIn(checkIn.partnershipId, checkIn.memberId, checkIn.localDate);
      const items = [...(await read), { ...Key, entity: 'checkIn', v: 1, ...checkIn }];
      items.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
      reads.set(checkIn.partnershipId, Promise.resolve(items));
    }
    return recorded;
  };
  turn.claim = async (key, at, leaseSeconds) => {
    await write();
    stepKey ??= key;
    return store.claim(key, at, leaseSeconds);
  };
  turn.completeClaim = async (key, at) => {
    const Key = keys.claim(key);
    const done: TransactItem = {
      Update: {
        TableName,
        Key,
        UpdateExpression: 'SET #status = :done, completedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':at': at.toISOString() },
      },
    };
    // The step's own completion (its first claim) writes everything that waited with it.
    if (key === stepKey) return write([done]);
    waiting.set(`${Key.pk}|${Key.sk}`, done);
  };
  turn.removeNews = async (partnershipId, recipientId, news) => {
    const removed = new Set<string>();
    for (const item of news) {
      const Key = keys.news(partnershipId, recipientId, item.at, item.fromMemberId, item.kind);
      waiting.set(`${Key.pk}|${Key.sk}`, { Delete: { TableName, Key } });
      removed.add(Key.sk);
    }
    // The step's read loses them as the table will (its snapshot holds no news; a second look does).
    const read = reads.get(partnershipId);
    if (read && removed.size)
      reads.set(partnershipId, Promise.resolve((await read).filter((item) => !removed.has(String(item.sk)))));
  };
  turn.notePrompted = async (member, at) => {
    // The snapshot from the step's own read, with the check-in it recorded (read again after a write).
    const membership = { phone: member.phone, partnershipId: member.partnershipId, memberId: member.id };
    const update = snapshotUpdate(TableName, membership, await readOf(member.partnershipId), at);
    waiting.set(`${update.Key.pk}|${update.Key.sk}`, { Update: update });
  };
  passWrites(turn, store, async (name) => {
    await write();
    // A write to the partnership's items changes what the step read: a later read reads again.
    if (!OUTSIDE_PARTNERSHIPS.has(name)) reads.clear();
  });
  return turn;
}

/**
 * Notes a prompt with the phone's snapshot taken now (a read of the partnership and a write): what a
 * step's turn writes in its transaction, for a prompt sent outside one (a test's scenario).
 */
export async function notePromptedWithSnapshot(
  store: DynamoDbStore,
  member: Member,
  at: Date,
): Promise<void> {
  const membership = { phone: member.phone, partnershipId: member.partnershipId, memberId: member.id };
  const items = await partnershipRead(store, member.partnershipId);
  await store.db.send(new UpdateCommand(snapshotUpdate(store.tableName, membership, items, at)));
}

/** The step's store over DynamoDB (a step's turn); any other store as it is. */
export function stepStore<T extends { store: object }>(deps: T): T {
  return deps.store instanceof DynamoDbStore ? { ...deps, store: sendTurn(deps.store) } : deps;
}

/** Writes that touch no partnership's items (quotas, claims, delivery reports). */
const OUTSIDE_PARTNERSHIPS = new Set<string>([
  'takeQuota',
  'returnQuota',
  'releaseClaim',
  'recordDelivery',
] satisfies Array<keyof DynamoDbStore>);
