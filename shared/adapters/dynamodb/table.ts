import type { PersonChannel } from '#shared/domain/person.js';

/**
 * The single table, in one place: its key schema (which the CDK stack and the local stack's CreateTable
 * are built from) and every key the adapters read or write (docs/data-model.md). No key string is written
 * anywhere else. Every item also carries `entity` (what it is) and `v` (its schema version).
 */
export const tableKeySchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

/**
 * The local scheduler's index (due schedules by time). Only the local stack has it: in AWS, EventBridge
 * Scheduler keeps the schedules, nothing queries an index, and the production table has none.
 */
export const localSchedulesIndex = {
  name: 'gsi1',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  /** The one partition of the index: every pending schedule. */
  schedules: 'SCHEDULES',
} as const;

/** Partition keys, for queries over a whole partition. */
export const partitionKeys = {
  partnership: (id: string) => `PARTNERSHIP#${id}`,
  /** A sender's number (E.164) → their memberships. */
  phone: (phone: string) => `PHONE#${phone}`,
  /** An email address (lower-case) → its memberships. */
  email: (address: string) => `EMAIL#${address}`,
  /** Twilio's delivery reports of one text we sent. */
  delivery: (messageSid: string) => `DELIVERY#${messageSid}`,
} as const;

/** Sort-key prefixes inside a partnership's partition, for `begins_with` queries and filters. */
export const sortKeyPrefixes = {
  /** `META` and `MEMBER#…` share it: one query reads a partnership and its members only. */
  partnershipAndMembers: 'ME',
  member: 'MEMBER#',
  checkIns: 'CHECKIN#',
  checkInsOf: (memberId: string) => `CHECKIN#${memberId}#`,
  events: 'EVENT#',
  needs: 'NEED#',
  proposals: 'PROPOSAL#',
  newsFor: (recipientId: string) => `NEWS#${recipientId}#`,
} as const;

const PARTNERSHIP_META = 'META';

/** A self-serve setup's sort key, in the number's own partition (`PHONE#<e164>` / `SETUP`). */
export const SETUP_SK = 'SETUP';
/** The person record's sort key (in the number's partition for a phone). */
export const PERSON_SK = 'PERSON';

/** An item inside a partnership's own partition. */
const inPartnership = (partnershipId: string, sk: string) => ({
  pk: partitionKeys.partnership(partnershipId),
  sk,
});

/** The full key of each item, one function per entity (see docs/data-model.md). */
export const keys = {
  partnership: (id: string) => inPartnership(id, PARTNERSHIP_META),
  member: (partnershipId: string, memberId: string) =>
    inPartnership(partnershipId, `${sortKeyPrefixes.member}${memberId}`),
  /** A self-serve setup, beside the number's memberships so one Query of the number sees both. */
  setup: (phone: string) => ({ pk: partitionKeys.phone(phone), sk: SETUP_SK }),
  phone: (phone: string, partnershipId: string, memberId: string) => ({
    pk: partitionKeys.phone(phone),
    sk: `${sortKeyPrefixes.member}${partnershipId}#${memberId}`,
  }),
  checkIn: (partnershipId: string, memberId: string, localDate: string) =>
    inPartnership(partnershipId, `${sortKeyPrefixes.checkInsOf(memberId)}${localDate}`),
  grace: (partnershipId: string, memberId: string, month: string) =>
    inPartnership(partnershipId, `GRACE#${memberId}#${month}`),
  inbound: (messageSid: string) => ({ pk: `INBOUND#${messageSid}`, sk: 'RAW' }),
  event: (partnershipId: string, at: string, memberId: string, kind: string) =>
    inPartnership(partnershipId, `${sortKeyPrefixes.events}${at}#${memberId}#${kind}`),
  need: (partnershipId: string, needId: string) =>
    inPartnership(partnershipId, `${sortKeyPrefixes.needs}${needId}`),
  proposal: (partnershipId: string, proposalId: string) =>
    inPartnership(partnershipId, `${sortKeyPrefixes.proposals}${proposalId}`),
  news: (partnershipId: string, recipientId: string, at: string, fromMemberId: string, kind: string) =>
    inPartnership(partnershipId, `${sortKeyPrefixes.newsFor(recipientId)}${at}#${fromMemberId}#${kind}`),
  newsSlot: (partnershipId: string, recipientId: string) =>
    inPartnership(partnershipId, `NEWSSLOT#${recipientId}`),
  claim: (key: string) => ({ pk: `CLAIM#${key}`, sk: 'CLAIM' }),
  /** A counted allowance (texts to a person today, the deployment's SMS budget). */
  quota: (key: string) => ({ pk: `QUOTA#${key}`, sk: 'QUOTA' }),
  /** One delivery status Twilio reported for a text we sent. */
  delivery: (messageSid: string, status: string) => ({
    pk: partitionKeys.delivery(messageSid),
    sk: `STATUS#${status}`,
  }),
  /**
   * The person record: consent that follows a phone number or an email address across partnerships. A
   * phone's lives in the number's own partition (beside its memberships and setup), so the one Query of
   * the number that routes a reply reads consent too.
   */
  person: (channel: PersonChannel, address: string) =>
    channel === 'sms'
      ? { pk: partitionKeys.phone(address), sk: PERSON_SK }
      : { pk: `PERSON#${channel}:${address}`, sk: PERSON_SK },
  /** The look-up from an email address (lower-case) to its memberships. */
  email: (email: string, partnershipId: string, memberId: string) => ({
    pk: partitionKeys.email(email),
    sk: `${sortKeyPrefixes.member}${partnershipId}#${memberId}`,
  }),
  /** A pending one-time schedule of the local scheduler (local only). */
  schedule: (name: string) => ({ pk: `SCHEDULE#${name}`, sk: 'SCHEDULE' }),
} as const;

/** Is this sort key the partnership's own item (not a member, check-in …)? */
export const isPartnershipItem = (sk: unknown) => sk === PARTNERSHIP_META;

/** The schedule name in a local schedule's partition key. */
export const scheduleNameOf = (pk: string) => pk.slice(keys.schedule('').pk.length);

/** The local scheduler's index keys of a schedule: due time first, so a range query finds what is due. */
export const scheduleIndexKeys = (dueAt: string, name: string) => ({
  [localSchedulesIndex.partitionKey]: localSchedulesIndex.schedules,
  [localSchedulesIndex.sortKey]: `${dueAt}#${name}`,
});

/**
 * The local table's CreateTable input (DynamoDB Local, or a table of one's own behind DYNAMODB_ENDPOINT):
 * the production key schema plus the local scheduler's index.
 */
export function localCreateTableInput(tableName: string) {
  const { partitionKey, sortKey } = tableKeySchema;
  const index = localSchedulesIndex;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [partitionKey, sortKey, index.partitionKey, index.sortKey].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' as const },
      { AttributeName: sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
}
