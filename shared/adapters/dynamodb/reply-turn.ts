import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DynamoDbStore } from '#shared/adapters/dynamodb-store.js';
import { ConcurrentChangeError } from '#shared/domain/errors.js';
import { graceTokensLeft } from '#shared/domain/grace-ledger.js';
import type { CheckIn } from '#shared/domain/partnership.js';
import { personAddress } from '#shared/domain/person.js';
import type { HistoryEvent, StorePort } from '#shared/domain/ports.js';
import { parseCheckIn, parsePerson } from './items.js';
import { passWrites } from './overlay.js';
import { suppression } from './people.js';
import {
  partnershipRead,
  type SnapshotCheck,
  snapshotChecks,
  snapshotIn,
  snapshotUpdate,
} from './phone-snapshot.js';
import { revised, revisionOf } from './revision.js';
import { keys, PERSON_SK, partitionKeys, SETUP_SK, sortKeyPrefixes } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** A phone's partition as one Query read it: memberships (last prompted first), setup, person record. */
interface PhoneRead {
  phone: string;
  memberships: Array<{ partnershipId: string; memberId: string; item: Item }>;
  setup: boolean;
  person?: Item;
}

/** A partnership's items as the turn knows them: as read, with the turn's own changes applied. */
interface Loaded {
  items: Item[];
  /** The phone's membership in it, whose snapshot the turn writes again. */
  membership?: { phone: string; partnershipId: string; memberId: string };
  /** Taken from the phone's snapshot: the transaction checks that it still holds. */
  checks?: SnapshotCheck[];
  /** Whether the turn changed any of these items (a snapshot read and left unchanged is not written again). */
  changed?: boolean;
}

/**
 * One text's turn over the store (docs/data-model.md, Transactions). Its one read is the phone's
 * partition: memberships, setup, consent and each membership's snapshot of what a reply needs. The
 * reply's changes (the check-in's answer, a grace token, a need and its forward's news slot, an
 * opt-out, the events and the partners' news) wait, and `completeInbound` writes them with the
 * message's completion, the snapshot's checks and the refreshed snapshot in one TransactWriteItems,
 * which commits only while the message is still `received`. A crash before it leaves only the claimed
 * raw message, which a redelivery takes over after its lease.
 *
 * Anything computed from what the turn read (a snapshot, a grace token, a news slot, a person's or a
 * member's status) is written under the condition that it still holds: if it changed, the transaction
 * fails with ConcurrentChangeError and the caller computes the turn again (`attempt` counts those),
 * then from the partnership's own items. A write the turn cannot hold (a pause, a TIME change …) goes
 * straight to the table: from a snapshot that would be unchecked, so the turn starts again instead
 * (attempt 1), which reads the partnership itself.
 */
export function replyTurn(store: DynamoDbStore, messageSid: string, attempt: number, now: Date): StorePort {
  const { db, tableName: TableName } = store;
  // By item key: two writes of one item in a turn keep the last (a transaction may touch an item once).
  const pending = new Map<string, TransactItem>();
  // Writes dropped rather than failing the turn when their condition no longer holds.
  const optional = new Set<TransactItem>();
  // Writes computed from what the turn read: if it changed, the turn is computed again.
  const readBased = new Set<TransactItem>();
  const id = (key: Key) => `${key.pk}|${key.sk}`;
  const keep = (key: Key, item: TransactItem) => pending.set(id(key), item);
  const putNew = (key: Key, entity: string, fields: object) =>
    keep(key, { Put: { TableName, Item: { ...key, entity, v: 1, ...fields } } });

  const phones = new Map<string, Promise<PhoneRead>>();
  const phoneOf = (phone: string) => {
    const read = phones.get(phone) ?? readPhone(store, phone);
    phones.set(phone, read);
    return read;
  };
  const partitions = new Map<string, Promise<Loaded>>();
  const load = (partnershipId: string) => {
    const loaded = partitions.get(partnershipId) ?? loadPartnership(partnershipId);
    partitions.set(partnershipId, loaded);
    return loaded;
  };
  async function loadPartnership(partnershipId: string): Promise<Loaded> {
    for (const read of phones.values()) {
      const { phone, memberships } = await read;
      const membership = memberships.find((each) => each.partnershipId === partnershipId);
      if (!membership) continue;
      const mine = { phone, partnershipId, memberId: membership.memberId };
      const snapshot = attempt === 0 ? snapshotIn(membership.item) : undefined;
      const checks = snapshot && snapshotChecks(snapshot, partnershipId, membership.memberId, now);
      if (snapshot && checks) return { items: snapshot, membership: mine, checks };
      return { items: await partnershipRead(store, partnershipId), membership: mine };
    }
    return { items: await partnershipRead(store, partnershipId) };
  }
  /** Applies one of the turn's writes to its copy of an item (creating it), counting its revision. */
  const applied = async (partnershipId: string, key: Key, fields: Item, counted: boolean) => {
    const loaded = await load(partnershipId);
    const { items } = loaded;
    loaded.changed = true;
    const copy = items.find((item) => item.sk === key.sk);
    const next = { ...(copy ?? key), ...fields, ...(counted ? { rev: revisionOf(copy ?? {}) + 1 } : {}) };
    if (copy) items.splice(items.indexOf(copy), 1, next);
    else items.push(next);
    return copy;
  };

  // Set once the turn read a snapshot: a write the turn cannot hold would then act on what no check covers.
  let snapshotRead = false;
  const turn: StorePort = Object.create(store);
  turn.lookUpPhone = async (phone) => {
    const { memberships, setup } = await phoneOf(phone);
    return {
      setup,
      memberships: memberships.map(({ partnershipId, memberId }) => ({ partnershipId, memberId })),
    };
  };
  turn.findMembershipsByPhone = async (phone) => (await turn.lookUpPhone(phone)).memberships;
  turn.getPerson = async (channel, address) => {
    if (channel !== 'sms') return store.getPerson(channel, address);
    const { person } = await phoneOf(address);
    return person ? parsePerson(person) : undefined;
  };
  turn.suppressPerson = async (channel, address, by, at) => {
    if (channel !== 'sms') return store.suppressPerson(channel, address, by, at);
    if ((await turn.getPerson(channel, address))?.suppressed) return false;
    const update = suppression(TableName, channel, personAddress(channel, address), by, at);
    const item: TransactItem = { Update: update };
    const Key = update.Key;
    keep(Key, item);
    readBased.add(item);
    return true;
  };
  turn.getPartnership = async (partnershipId) => {
    const loaded = await load(partnershipId);
    if (loaded.checks) snapshotRead = true;
    return store.assemble(loaded.items);
  };
  turn.optOutMembership = async (partnershipId, memberId, before, at) => {
    const Key = keys.member(partnershipId, memberId);
    const item: TransactItem = {
      Update: revised({
        TableName,
        Key,
        UpdateExpression: 'SET #status = :optedOut, statusBeforeOptOut = :before, statusChangedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND #status = :before',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':optedOut': 'opted_out', ':before': before, ':at': at.toISOString() },
      }),
    };
    keep(Key, item);
    readBased.add(item);
    await applied(
      partnershipId,
      Key,
      { status: 'opted_out', statusBeforeOptOut: before, statusChangedAt: at.toISOString() },
      true,
    );
    return true;
  };
  /**
   * A member's confirmation question, held for the transaction like the turn's other member writes (its
   * revision counted, the snapshot's check of the member folded in). A second write of the same member in
   * one turn is not merged: it goes to the table as any write the turn cannot hold.
   */
  const holdsMember = (Key: Key) => !pending.has(id(Key));
  turn.setPendingConfirmation = async (partnershipId, memberId, confirmation) => {
    const Key = keys.member(partnershipId, memberId);
    if (!holdsMember(Key)) {
      if (snapshotRead) throw new ConcurrentChangeError();
      return store.setPendingConfirmation(partnershipId, memberId, confirmation);
    }
    keep(Key, {
      Update: revised({
        TableName,
        Key,
        UpdateExpression: 'SET pendingConfirmation = :pending',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':pending': confirmation },
      }),
    });
    await applied(partnershipId, Key, { pendingConfirmation: confirmation }, true);
  };
  turn.takePendingConfirmation = async (partnershipId, memberId, askedAt) => {
    const Key = keys.member(partnershipId, memberId);
    if (!holdsMember(Key)) {
      if (snapshotRead) throw new ConcurrentChangeError();
      return store.takePendingConfirmation(partnershipId, memberId, askedAt);
    }
    const { items } = await load(partnershipId);
    const copy = items.find((each) => each.sk === Key.sk);
    const open = copy?.pendingConfirmation as { askedAt?: unknown } | undefined;
    // Closed or replaced as read: nothing to take (the member's copy is checked like every other one).
    if (open?.askedAt !== askedAt) return false;
    // Taken as read: if it changed meanwhile, the turn is computed again (a second SEND acts once).
    const item: TransactItem = {
      Update: revised({
        TableName,
        Key,
        UpdateExpression: 'REMOVE pendingConfirmation',
        ConditionExpression: 'pendingConfirmation.askedAt = :askedAt',
        ExpressionAttributeValues: { ':askedAt': askedAt },
      }),
    };
    keep(Key, item);
    readBased.add(item);
    await applied(partnershipId, Key, {}, true);
    const written = items.find((each) => each.sk === Key.sk);
    if (written) delete written.pendingConfirmation;
    return true;
  };
  turn.answerCheckIn = async (partnershipId, memberId, localDate, status, at) => {
    const Key = keys.checkIn(partnershipId, memberId, localDate);
    // A plain answer only answers a check-in still open: it never overwrites on track or grace that a
    // text handled at the same time recorded (and is dropped if one did).
    const plain = status === 'answered';
    const item: TransactItem = {
      Update: revised({
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
      }),
    };
    keep(Key, item);
    if (plain) optional.add(item);
    await applied(partnershipId, Key, { status, answeredAt: at.toISOString() }, true);
  };
  turn.latestCheckIn = async (partnershipId, memberId): Promise<CheckIn | undefined> => {
    const loaded = await load(partnershipId);
    if (loaded.checks) snapshotRead = true;
    const prefix = sortKeyPrefixes.checkInsOf(memberId);
    const item = loaded.items.filter((each) => String(each.sk).startsWith(prefix)).at(-1);
    return item ? parseCheckIn(item) : undefined;
  };
  turn.spendGraceToken = async (partnershipId, memberId, month, allowance) => {
    const Key = keys.grace(partnershipId, memberId, month);
    const read = (await load(partnershipId)).items.find((each) => each.sk === Key.sk);
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
    await applied(partnershipId, Key, { entity: 'grace', v: 1, spent: spent + 1 }, false);
    return graceTokensLeft(allowance, spent + 1);
  };
  // The first slot read in the turn is what its write is conditioned on; a second reservation in the
  // same turn (quiet hours moved the first) starts from the turn's own.
  const slotsRead = new Map<string, string | undefined>();
  turn.reserveNewsSlot = async (partnershipId, recipientId, earliest, spacingMinutes) => {
    const Key = keys.newsSlot(partnershipId, recipientId);
    const current = (await load(partnershipId)).items.find((each) => each.sk === Key.sk);
    const last = typeof current?.lastSlot === 'string' ? current.lastSlot : undefined;
    if (!slotsRead.has(id(Key))) slotsRead.set(id(Key), last);
    const read = slotsRead.get(id(Key));
    // Spaced from the last slot as the store spaces them (reserveNewsSlot), never before `earliest`.
    const slot = last
      ? new Date(Math.max(Date.parse(last) + spacingMinutes * 60_000, earliest.getTime()))
      : earliest;
    const item: TransactItem = {
      Put: {
        TableName,
        Item: { ...Key, entity: 'newsSlot', v: 1, lastSlot: slot.toISOString() },
        ConditionExpression: read ? 'lastSlot = :last' : 'attribute_not_exists(pk)',
        ...(read ? { ExpressionAttributeValues: { ':last': read } } : {}),
      },
    };
    keep(Key, item);
    readBased.add(item);
    await applied(partnershipId, Key, { entity: 'newsSlot', v: 1, lastSlot: slot.toISOString() }, false);
    return slot;
  };
  turn.addNeed = async (need) => {
    putNew(keys.need(need.partnershipId, need.id), 'need', need);
  };
  turn.recordEvent = async (partnershipId: string, event: HistoryEvent, news = []) => {
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
    const loaded = await Promise.all(partitions.values());
    for (const { checks } of loaded) for (const check of checks ?? []) readBased.add(checked(check));
    let items = [...pending.values()];
    // A snapshot the turn read and changed nothing of is already what it would write: one item less.
    const snapshots = loaded.flatMap(({ items, membership, checks, changed }) =>
      membership && (!checks || changed) ? [{ Update: snapshotUpdate(TableName, membership, items) }] : [],
    );
    pending.clear();
    if (items.length + snapshots.length > 100) throw new Error('A reply changed more than 100 items');
    for (let retry = 0; ; retry++) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [...items, ...snapshots],
            ClientRequestToken: requestToken(`${TableName}#${sid}#${attempt}`, retry),
          }),
        );
        return;
      } catch (error) {
        const failed = conditionFailures(error, [...items, ...snapshots]);
        if (failed.some((item) => readBased.has(item))) throw new ConcurrentChangeError();
        // Only optional writes failed: the rest is written without them (once; nothing else can fail so).
        if (retry > 0 || failed.length === 0 || failed.some((item) => !optional.has(item))) throw error;
        items = items.filter((item) => !failed.includes(item));
        // The snapshots counted those writes: they stay as they were (and are taken again later).
        snapshots.length = 0;
      }
    }
  };

  /** A snapshot's check, on its own or folded into the turn's write of the same item. */
  function checked(check: SnapshotCheck): TransactItem {
    const write = pending.get(id(check.Key));
    const update = write?.Update ?? write?.Put;
    if (!write || !update) {
      const item: TransactItem = { ConditionCheck: { TableName, ...check } };
      pending.set(id(check.Key), item);
      return item;
    }
    update.ConditionExpression = update.ConditionExpression
      ? `(${update.ConditionExpression}) AND (${check.ConditionExpression})`
      : check.ConditionExpression;
    update.ExpressionAttributeNames = {
      ...update.ExpressionAttributeNames,
      ...check.ExpressionAttributeNames,
    };
    update.ExpressionAttributeValues = {
      ...update.ExpressionAttributeValues,
      ...check.ExpressionAttributeValues,
    };
    // Checked against a snapshot: a failure means the snapshot no longer held, never "drop this write".
    optional.delete(write);
    return write;
  }

  // Every other write goes straight to the table, unless the turn read a snapshot: then it starts again.
  passWrites(turn, store, () => {
    if (snapshotRead) throw new ConcurrentChangeError();
  });
  return turn;
}

/** A phone's partition in one Query: its memberships (last prompted first), setup and person record. */
async function readPhone(store: DynamoDbStore, phone: string): Promise<PhoneRead> {
  const items = await store.queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': partitionKeys.phone(phone) },
    ConsistentRead: true,
  });
  const person = items.find((item) => item.sk === PERSON_SK);
  return {
    phone,
    setup: items.some((item) => item.sk === SETUP_SK),
    memberships: items
      .filter((item) => String(item.sk).startsWith(sortKeyPrefixes.member))
      .sort((a, b) => String(b.lastPromptAt).localeCompare(String(a.lastPromptAt)))
      .map((item) => ({ partnershipId: String(item.partnershipId), memberId: String(item.memberId), item })),
    ...(person ? { person } : {}),
  };
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
