import { createHash } from 'node:crypto';
import { TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentChangeError } from '#shared/domain/errors.js';
import type { Member } from '#shared/domain/partnership.js';
import type { ClaimResult, SendClaimPort } from '#shared/domain/ports.js';
import { DynamoDbStore } from '../dynamodb-store.js';
import { claimTaken } from './claims.js';
import { parseNews } from './items.js';
import { passWrites } from './overlay.js';
import { partnershipRead, snapshotUpdate } from './phone-snapshot.js';
import { quotaTaken } from './quotas.js';
import { epochSeconds } from './repository.js';
import { claimSend, releaseSend } from './send-claims.js';
import { keys, sortKeyPrefixes } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/**
 * A scheduled step's turn over the store (docs/data-model.md, "A scheduled send"). Its read of a
 * partnership is one Query (the partnership, members, check-ins, grace, news and news slots), which
 * also answers the news waiting and the phone's new snapshot. Until the step's first send, what decides
 * it waits: the step's claim, the check-in, the text allowances, consent (a condition on the person
 * record) and the message's own claim are written in one TransactWriteItems just before the provider
 * call (`decide`), each with its own condition; the turn answers them as if each held. If the table
 * refuses any, nothing was written nor sent: the turn throws ConcurrentChangeError, and the step is run
 * again deciding each write on its own, as the store does (or, refused for used-up allowances alone, once
 * more in one transaction without them). A message's claim is decided only if fresh: one an earlier
 * attempt took is taken over on its own (send-claims.ts), which says so, so the provider is asked first.
 * What follows a send (its claim completed, the news it carried removed, the prompt noted with the
 * snapshot) waits and is written with the step's completion in one TransactWriteItems; any other write
 * writes what waits first, so nothing is completed out of order.
 */
export function sendTurn<T extends DynamoDbStore>(store: T): T {
  const { db, tableName: TableName } = store;
  const reads = new Map<string, Promise<Item[]>>();
  const waiting = new Map<string, TransactItem>();
  const deciding = new Map<string, TransactItem>();
  // Allowances that were to be taken in a decision the table refused: nothing to give back.
  const dropped = new Set<string>();
  // Allowances the table refused a decision for alone: answered false from then on, without asking.
  const usedUp = new Set<string>();
  // The step's reads as the table answered them (what the turn's own writes added or removed aside).
  const firstReads = new Map<string, Promise<Item[]>>();
  let decidedAgain = false;
  let stepKey: string | undefined;
  let holding = true;
  let stepTaken = false;
  let stepClaim: ClaimResult | undefined;

  const idOf = (Key: Item) => `${Key.pk}|${Key.sk}`;
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
  /** Writes what decides the send (and anything waiting) in one transaction; after it, writes go direct. */
  const decide = async () => {
    if (!holding) return;
    holding = false;
    const items = [...deciding.values(), ...waiting.values()];
    deciding.clear();
    waiting.clear();
    if (items.length === 0) return;
    try {
      // No ClientRequestToken of ours: two deliveries of one step send the same items, and must not
      // pass for one another (the SDK's own token still makes its retry of this request harmless).
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      stepTaken = true;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TransactionCanceledException')) throw error;
      // The step's claim refused: done, or held by another delivery (the fallback needs not ask again).
      const reasons: unknown = Reflect.get(error, 'CancellationReasons');
      const claimed = Array.isArray(reasons) ? reasons[0]?.Item?.status?.S : undefined;
      if (stepKey && items[0]?.Put?.Item?.pk === keys.claim(stepKey).pk && claimed)
        stepClaim = claimed === 'done' ? 'already_done' : 'in_progress';
      for (const item of items) {
        const pk = String(item.Update?.Key?.pk ?? '');
        if (pk.startsWith(QUOTA_PREFIX)) dropped.add(pk.slice(QUOTA_PREFIX.length));
      }
      // Refused for allowances alone (every other condition held, what was read still stands): the step
      // runs again deciding in one transaction once more, those allowances answered as used up (a send
      // past 80 % of the day's budget then takes its second counter inside the decision).
      const full = usedUpAllowances(items, reasons);
      if (full && !decidedAgain) {
        decidedAgain = true;
        for (const key of full) usedUp.add(key);
        holding = true;
        reads.clear();
        for (const [id, read] of firstReads) reads.set(id, read);
        throw new ConcurrentChangeError();
      }
      forget();
      throw new ConcurrentChangeError();
    }
  };
  const hold = (Key: Item, item: TransactItem) => deciding.set(idOf(Key), item);

  const turn: T = Object.create(store);
  const forget = () => {
    reads.clear();
    firstReads.clear();
  };
  const readOf = (partnershipId: string) => {
    let read = reads.get(partnershipId);
    if (!read) {
      read = partnershipRead(store, partnershipId, true);
      reads.set(partnershipId, read);
      firstReads.set(partnershipId, read);
    }
    return read;
  };
  turn.getPartnership = async (id) => store.assemble(await readOf(id));
  turn.pendingNews = async (partnershipId, recipientId) => {
    const prefix = sortKeyPrefixes.newsFor(recipientId);
    const items = (await readOf(partnershipId)).filter((item) => String(item.sk).startsWith(prefix));
    // Parsed as the store's own pendingNews parses them (items.ts).
    return items.map(parseNews);
  };
  turn.getPerson = async (channel, address) => {
    if (!holding) return store.getPerson(channel, address);
    // Consent is a condition of the decision: a suppressed person makes the table refuse it.
    const Key = keys.person(channel, address);
    hold(Key, {
      ConditionCheck: {
        TableName,
        Key,
        ConditionExpression: 'attribute_not_exists(suppressed) OR suppressed = :no',
        ExpressionAttributeValues: { ':no': false },
      },
    });
    return undefined;
  };
  turn.recordCheckInSent = async (checkIn) => {
    const Key = keys.checkIn(checkIn.partnershipId, checkIn.memberId, checkIn.localDate);
    const Item = { ...Key, entity: 'checkIn', v: 1, ...checkIn };
    let recorded = true;
    if (holding && !deciding.has(idOf(Key)))
      hold(Key, { Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
    else {
      await decide();
      await write();
      recorded = await store.recordCheckInSent(checkIn);
    }
    // The step's read gains the check-in it recorded (for the phone's snapshot), as the table did.
    const read = recorded ? reads.get(checkIn.partnershipId) : undefined;
    if (read) {
      const items = [...(await read), Item];
      items.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
      reads.set(checkIn.partnershipId, Promise.resolve(items));
    }
    return recorded;
  };
  turn.takeQuota = async (key, limit, expiresAt) => {
    if (usedUp.has(key)) return false;
    const Key = keys.quota(key);
    if (holding && !deciding.has(idOf(Key))) {
      hold(Key, { Update: { TableName, ...quotaTaken(key, limit, expiresAt) } });
      return true;
    }
    await decide();
    await write();
    return store.takeQuota(key, limit, expiresAt);
  };
  turn.returnQuota = async (key) => {
    if (deciding.delete(idOf(keys.quota(key))) || dropped.delete(key)) return;
    await write();
    return store.returnQuota(key);
  };
  turn.claim = async (key, at, leaseSeconds) => {
    stepKey ??= key;
    // Another claim than the step's (the day's budget alert) is no part of the decision: written at once,
    // without what is held back (it records nothing of the step), in one request.
    if (key !== stepKey) return (await claimSend(store, key, at, leaseSeconds)).claim;
    const Key = keys.claim(key);
    if (holding && !deciding.has(idOf(Key))) {
      dropped.clear();
      hold(Key, { Put: { TableName, ...claimTakenAt(key, at, leaseSeconds) } });
      return 'claimed';
    }
    await decide();
    await write();
    const known = stepClaim;
    stepClaim = undefined;
    // The step run again: what it takes from now on is taken, and is given back if a send fails.
    dropped.clear();
    const claimed = known ?? (await store.claim(key, at, leaseSeconds));
    stepTaken = claimed === 'claimed';
    return claimed;
  };
  const sending: SendClaimPort = {
    async claimSend(key, at, leaseSeconds) {
      const Key = keys.claim(key);
      if (holding && !deciding.has(idOf(Key))) {
        // Only a fresh claim is decided with the rest: one an earlier attempt took (it may have reached the
        // provider) makes the table refuse the decision, and the step run again takes it over on its own,
        // which says so (send-claims.ts) and has the provider asked first.
        hold(Key, { Put: { TableName, ...claimTakenAt(key, at, leaseSeconds, true) } });
        // A message's claim comes just before its provider call: the send is decided now.
        await decide();
        return { claim: 'claimed' };
      }
      await decide();
      await write();
      return claimSend(store, key, at, leaseSeconds);
    },
    async releaseSend(key) {
      await write();
      return releaseSend(store, key);
    },
  };
  Object.assign(turn, sending);
  turn.releaseClaim = async (key) => {
    // A claim still held back was never written: nothing to release (and the rest is not written either).
    if (deciding.delete(idOf(keys.claim(key)))) {
      deciding.clear();
      waiting.clear();
      holding = false;
      return;
    }
    // A step whose decision failed on its way (its outcome unknown) leaves its claim to the lease.
    if (key === stepKey && !stepTaken) return;
    await write();
    return store.releaseClaim(key);
  };
  turn.completeClaim = async (key, at) => {
    const Key = keys.claim(key);
    const taking = deciding.get(idOf(Key))?.Put;
    if (taking) {
      // Claimed and done in one write: a step that sent nothing.
      taking.Item = { ...taking.Item, status: 'done', completedAt: at.toISOString() };
      return decide();
    }
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
    waiting.set(idOf(Key), done);
  };
  turn.removeNews = async (partnershipId, recipientId, news) => {
    const removed = new Set<string>();
    for (const item of news) {
      const Key = keys.news(partnershipId, recipientId, item.at, item.fromMemberId, item.kind);
      waiting.set(idOf(Key), { Delete: { TableName, Key } });
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
    waiting.set(idOf(update.Key), { Update: update });
  };
  passWrites(turn, store, async (name) => {
    await decide();
    await write();
    // A write to the partnership's items changes what the step read: a later read reads again.
    if (!OUTSIDE_PARTNERSHIPS.has(name)) forget();
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

/** Writes that touch no partnership's items (delivery reports; quotas and claims are the turn's own). */
const OUTSIDE_PARTNERSHIPS = new Set<string>(['recordDelivery'] satisfies Array<keyof DynamoDbStore>);

const QUOTA_PREFIX = keys.quota('').pk;

/**
 * The allowances (quota keys) a refused decision failed on, if they alone failed it: every other item's
 * reason `None`, theirs `ConditionalCheckFailed` (a conflict, or any other condition, is not this).
 */
function usedUpAllowances(items: TransactItem[], reasons: unknown): string[] | undefined {
  if (!Array.isArray(reasons) || reasons.length !== items.length) return undefined;
  const full: string[] = [];
  for (const [index, item] of items.entries()) {
    const code: unknown = reasons[index]?.Code;
    if (code === 'None') continue;
    const pk = String(item.Update?.Key?.pk ?? '');
    if (code !== 'ConditionalCheckFailed' || !pk.startsWith(QUOTA_PREFIX)) return undefined;
    full.push(pk.slice(QUOTA_PREFIX.length));
  }
  return full.length > 0 ? full : undefined;
}

/**
 * A claim taken if free or its lease ran out (`fresh`: only if free), noting when it was first taken:
 * claims.ts's claim as a transaction's item, with send-claims.ts's `claimedAt`.
 */
const claimTakenAt = (key: string, at: Date, leaseSeconds: number, fresh = false) => {
  const taken = claimTaken(key, at, leaseSeconds);
  const Item = { ...taken.Item, claimedAt: epochSeconds(at) };
  if (!fresh) return { ...taken, Item };
  const { ReturnValuesOnConditionCheckFailure } = taken;
  return { Item, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure };
};
