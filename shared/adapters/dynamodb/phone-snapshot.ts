import { plusDays } from '#shared/domain/calendar.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import type { DynamoDbStore } from '../dynamodb-store.js';
import { atRevision, revisionOf } from './revision.js';
import { isPartnershipItem, keys, sortKeyPrefixes } from './table.js';

type Item = Record<string, unknown>;

/**
 * The phone's snapshot (docs/data-model.md): each membership item under `PHONE#<e164>` (v 2) carries
 * copies of what a reply to that membership reads (the partnership's own item, its members, the
 * member's latest check-in and grace, the partners' news slots), so one Query of the phone says where a
 * reply goes and what it needs. The copies are a cache, never the truth: a reply's transaction checks
 * each copy it used (`snapshotChecks`), and a copy that no longer holds cancels the transaction, after
 * which the reply is computed again from the partnership's own items (and writes a fresh snapshot).
 */
export const PHONE_ITEM_VERSION = 2;

/** Check-ins newer than the copy that the transaction proves absent; an older copy is not used. */
const MAX_DAYS_CHECKED = 16;

const sk = (item: Item) => String(item.sk);

/** What a membership's snapshot keeps of its partnership's items (read in sort-key order). */
export function snapshotOf(items: Item[], memberId: string): Item[] {
  const last = (prefix: string) => items.filter((item) => sk(item).startsWith(prefix)).at(-1);
  const checkIn = last(sortKeyPrefixes.checkInsOf(memberId));
  const grace = last(keys.grace('', memberId, '').sk);
  return [
    ...items.filter(
      (item) =>
        isPartnershipItem(item.sk) ||
        sk(item).startsWith(sortKeyPrefixes.member) ||
        sk(item).startsWith(keys.newsSlot('', '').sk),
    ),
    ...(checkIn ? [checkIn] : []),
    ...(grace ? [grace] : []),
  ].map((item) => structuredClone(item));
}

/** A phone item's snapshot, if it has one (v 2) that holds the partnership and the member. */
export function snapshotIn(phoneItem: Item): Item[] | undefined {
  const items = phoneItem.v === PHONE_ITEM_VERSION ? phoneItem.snapshot : undefined;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'object' && item !== null))
    return undefined;
  const copies = items.map((item: Item) => ({ ...item }));
  const memberSk = keys.member('', String(phoneItem.memberId)).sk;
  const complete =
    copies.some((item) => isPartnershipItem(item.sk)) && copies.some((item) => sk(item) === memberSk);
  return complete ? copies : undefined;
}

/**
 * The update of a membership's phone item that stores its snapshot of `items` (and, from a prompt, when
 * it was prompted). Unconditional: a copy out of date is refused by the checks, not by this write.
 */
export function snapshotUpdate(
  TableName: string,
  membership: { phone: string; partnershipId: string; memberId: string },
  items: Item[],
  promptedAt?: Date,
) {
  const { phone, partnershipId, memberId } = membership;
  return {
    TableName,
    Key: keys.phone(phone, partnershipId, memberId),
    UpdateExpression: `SET ${promptedAt ? 'lastPromptAt = :at, ' : ''}#snapshot = :snapshot, entity = :entity, v = :v, partnershipId = :partnershipId, memberId = :memberId`,
    ExpressionAttributeNames: { '#snapshot': 'snapshot' },
    ExpressionAttributeValues: {
      ...(promptedAt ? { ':at': promptedAt.toISOString() } : {}),
      ':snapshot': snapshotOf(items, memberId),
      ':entity': 'phone',
      ':v': PHONE_ITEM_VERSION,
      ':partnershipId': partnershipId,
      ':memberId': memberId,
    },
  };
}

export interface SnapshotCheck {
  Key: { pk: string; sk: string };
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * The conditions under which a snapshot read at `now` still says what the table says: the partnership,
 * every member and the latest check-in at the revisions copied, and no newer check-in of the member
 * (one a day: each day after the copied one up to tomorrow is absent). Undefined when too many days
 * passed since its check-in for that to be worth proving (the reply then reads the partnership).
 */
export function snapshotChecks(
  items: Item[],
  partnershipId: string,
  memberId: string,
  now: Date,
): SnapshotCheck[] | undefined {
  const member = items.find((item) => item.sk === keys.member(partnershipId, memberId).sk);
  const partnership = items.find((item) => isPartnershipItem(item.sk));
  if (!member || !partnership || typeof member.timezone !== 'string') return undefined;
  const checkIn = items.find((item) => sk(item).startsWith(sortKeyPrefixes.checkInsOf(memberId)));
  const from =
    typeof checkIn?.localDate === 'string'
      ? checkIn.localDate
      : localDateOf(new Date(String(partnership.createdAt)), member.timezone);
  const until = plusDays(localDateOf(now, member.timezone), 1);
  const absent: string[] = [];
  for (let day = plusDays(from, checkIn ? 1 : 0); day && until && day <= until; day = plusDays(day, 1)) {
    if (absent.length >= MAX_DAYS_CHECKED) return undefined;
    absent.push(day);
  }
  const revisioned = items.filter(
    (item) => isPartnershipItem(item.sk) || sk(item).startsWith(sortKeyPrefixes.member) || item === checkIn,
  );
  return [
    ...revisioned.map((item) => {
      const { condition, values } = atRevision(revisionOf(item));
      return {
        Key: { pk: String(item.pk), sk: sk(item) },
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#rev': 'rev' },
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      };
    }),
    ...absent.map((day) => ({
      Key: keys.checkIn(partnershipId, memberId, day),
      ConditionExpression: 'attribute_not_exists(pk)',
    })),
  ];
}

/**
 * A partnership's items from its check-ins to its news slots (sort keys CHECKIN# … NEWSSLOT#: check-ins,
 * grace, members, the partnership, the news slots), without its events and needs, and without the news
 * waiting unless `withNews` (a step carries them): what a reply reads when it has no snapshot to trust,
 * and a step's one read. One Query (pages only if large).
 */
export function partnershipRead(
  store: DynamoDbStore,
  partnershipId: string,
  withNews = false,
): Promise<Item[]> {
  const skipped = withNews ? ['event', 'need'] : ['event', 'need', 'news'];
  return store.queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    FilterExpression: `NOT (#entity IN (${skipped.map((_, index) => `:skip${index}`).join(', ')}))`,
    ExpressionAttributeNames: { '#entity': 'entity' },
    ExpressionAttributeValues: {
      ':pk': keys.partnership(partnershipId).pk,
      ':from': sortKeyPrefixes.checkIns,
      ':to': `${keys.newsSlot(partnershipId, '').sk}\uffff`,
      ...Object.fromEntries(skipped.map((entity, index) => [`:skip${index}`, entity])),
    },
    ConsistentRead: true,
  });
}
