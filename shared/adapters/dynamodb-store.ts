import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { graceMonth, graceTokensLeft } from '#shared/domain/grace-ledger.js';
import type {
  CheckIn,
  CheckInStatus,
  DeadlineProposal,
  EmailStatus,
  Member,
  MemberStatus,
  Need,
  NewsItem,
  Partnership,
  PartnershipView,
  PendingConfirmation,
} from '#shared/domain/partnership.js';
import { type OptOutPath, type Person, type PersonChannel, personAddress } from '#shared/domain/person.js';
import type {
  ClaimResult,
  DeliveryReport,
  HistoryEvent,
  InboundRecord,
  PartnershipHistory,
  StorePort,
} from '#shared/domain/ports.js';
import { parseCheckIn, parsePerson } from './dynamodb/items.js';
import { revised } from './dynamodb/revision.js';
import { isPartnershipItem, keys, partitionKeys, SETUP_SK, sortKeyPrefixes } from './dynamodb/table.js';

// Every key and the key schema live in ./dynamodb/table.ts (re-exported for the tests that read items).
export { keys, tableKeySchema } from './dynamodb/table.js';

const DAY_SECONDS = 86_400;
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error &&
      error.name === 'TransactionCanceledException' &&
      error.message.includes('ConditionalCheckFailed'))
  );
}

type Item = Record<string, unknown>;

/** A conditional write: true if it landed, false if its condition did not hold. */
export async function writtenIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

function memberFrom(item: Item): Member {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    v: _v,
    rev: _rev,
    lastPromptAt: _last,
    emailStatusAt: _emailAt,
    ...member
  } = item;
  return member as unknown as Member;
}

/** A person's channel suppressed, if it is not yet (the first path and time are kept). */
export const suppression = (
  TableName: string,
  channel: PersonChannel,
  address: string,
  by: OptOutPath,
  at: Date,
) => ({
  TableName,
  Key: keys.person(channel, address),
  UpdateExpression:
    'SET entity = :entity, v = :v, channel = :channel, address = :address, suppressed = :yes, ' +
    'suppressedAt = :at, suppressedBy = :by',
  ConditionExpression: 'attribute_not_exists(suppressed) OR suppressed = :no',
  ExpressionAttributeValues: {
    ':entity': 'person',
    ':v': 1,
    ':channel': channel,
    ':address': address,
    ':yes': true,
    ':no': false,
    ':at': at.toISOString(),
    ':by': by,
  },
});

export class DynamoDbStore implements StorePort {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async createPartnership(partnership: Partnership, members: Member[]): Promise<void> {
    // Members and phone look-ups first, the partnership item last: a partnership is visible only once
    // all of it is written. (No transaction yet: locally they exist only since DynamoDB Local, issue 22.)
    const memberItems = members.flatMap((member) => [
      ...(member.email
        ? [
            {
              ...keys.email(personAddress('email', member.email), partnership.id, member.id),
              entity: 'emailLookup',
              v: 1,
              partnershipId: partnership.id,
              memberId: member.id,
            },
          ]
        : []),
      { ...keys.member(partnership.id, member.id), entity: 'member', v: 1, ...member },
      {
        ...keys.phone(member.phone, partnership.id, member.id),
        entity: 'phone',
        v: 1,
        partnershipId: partnership.id,
        memberId: member.id,
        lastPromptAt: partnership.createdAt,
      },
    ]);
    await this.putAll(memberItems, 'every member of the partnership');
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.partnership(partnership.id), entity: 'partnership', v: 1, ...partnership },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** An update of a partnership's own item, a member or a check-in: it counts the item's revision too. */
  protected revise(input: Omit<UpdateCommandInput, 'TableName'>): Promise<UpdateCommandOutput> {
    return this.db.send(new UpdateCommand({ ...revised(input), TableName: this.tableName }));
  }

  /** Every item a query matches, page after page. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  private async partnershipItems(id: string): Promise<Item[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.partnership(id).pk },
    });
  }

  /**
   * Every partnership with at least one active member, for the hourly sweep: a paginated Scan of member
   * items only (filtered, projected to the partnership id). Its cost grows with the table; docs/scale.md.
   */
  async partnershipsWithActiveMembers(): Promise<string[]> {
    const ids = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'entity = :member AND #status = :active',
          ProjectionExpression: 'partnershipId',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':member': 'member', ':active': 'active' },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.partnershipId === 'string') ids.add(item.partnershipId);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...ids];
  }

  async getPartnership(id: string): Promise<{ partnership: Partnership; members: Member[] } | undefined> {
    const items = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        // 'META' and 'MEMBER#…' share the prefix 'ME': one query reads the partnership and its members only.
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :me)',
        ExpressionAttributeValues: {
          ':pk': keys.partnership(id).pk,
          ':me': sortKeyPrefixes.partnershipAndMembers,
        },
      }),
    );
    return this.assemble(items.Items ?? []);
  }

  /** The partnership and its members among a partition's items (none without its META item). */
  assemble(items: Item[]): { partnership: Partnership; members: Member[] } | undefined {
    const meta = items.find((item) => isPartnershipItem(item.sk));
    if (!meta) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, v: _v, rev: _rev, ...partnership } = meta;
    const members = items
      .filter((item) => String(item.sk).startsWith(sortKeyPrefixes.member))
      .map(memberFrom);
    return { partnership: partnership as unknown as Partnership, members };
  }

  async viewPartnership(id: string, now: Date): Promise<PartnershipView | undefined> {
    const items = await this.partnershipItems(id);
    const assembled = this.assemble(items);
    if (!assembled) return undefined;
    const { partnership, members } = assembled;
    return {
      ...partnership,
      members: members.map((member) => {
        const month = graceMonth(now, member.timezone);
        const grace = items.find((item) => item.sk === keys.grace(id, member.id, month).sk);
        const checkIns = items
          .filter((item) => String(item.sk).startsWith(sortKeyPrefixes.checkInsOf(member.id)))
          .map(parseCheckIn)
          .map(({ localDate, status, sentAt, answeredAt, mood }) => ({
            localDate,
            status,
            sentAt,
            answeredAt,
            ...(mood === undefined ? {} : { mood }),
          }));
        // The member's own words waiting for SEND stay private until they are sent.
        const { pendingConfirmation: _pending, ...shown } = member;
        return {
          ...shown,
          graceTokensLeft: graceTokensLeft(partnership.graceTokensPerMonth, Number(grace?.spent ?? 0)),
          checkIns,
        };
      }),
    };
  }

  async findMembershipsByPhone(phone: string): Promise<Array<{ partnershipId: string; memberId: string }>> {
    return (await this.lookUpPhone(phone)).memberships;
  }

  async lookUpPhone(phone: string): ReturnType<StorePort['lookUpPhone']> {
    // Every page: a person in many partnerships must not lose the later ones. The number's self-serve
    // setup, if any, lives in the same partition (SETUP), so a reply learns of it in the same request.
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitionKeys.phone(phone) },
    });
    const setup = items.some((item) => item.sk === SETUP_SK);
    return {
      setup,
      memberships: items
        .filter((item) => String(item.sk).startsWith(sortKeyPrefixes.member))
        .sort((a, b) => String(b.lastPromptAt).localeCompare(String(a.lastPromptAt)))
        .map((item) => ({ partnershipId: item.partnershipId as string, memberId: item.memberId as string })),
    };
  }

  async setMemberStatus(
    partnershipId: string,
    memberId: string,
    status: MemberStatus,
    at: Date,
  ): Promise<void> {
    await this.revise({
      Key: keys.member(partnershipId, memberId),
      UpdateExpression: 'SET #status = :status, statusChangedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':at': at.toISOString() },
    });
  }

  markPartnershipStarted(partnershipId: string, at: Date): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.partnership(partnershipId),
        UpdateExpression: 'SET startedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(startedAt)',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  async notePrompted(member: Member, at: Date): Promise<void> {
    // A step's turn (send-turn.ts) writes the phone's snapshot with it; alone, only the prompt's time.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.phone(member.phone, member.partnershipId, member.id),
        UpdateExpression: 'SET lastPromptAt = :at',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  recordCheckInSent(checkIn: CheckIn): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.checkIn(checkIn.partnershipId, checkIn.memberId, checkIn.localDate),
            entity: 'checkIn',
            v: 1,
            ...checkIn,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async checkInOn(partnershipId: string, memberId: string, localDate: string): Promise<CheckIn | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.checkIn(partnershipId, memberId, localDate),
        ConsistentRead: true,
      }),
    );
    return result.Item ? parseCheckIn(result.Item) : undefined;
  }

  async latestCheckIn(partnershipId: string, memberId: string): Promise<CheckIn | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.partnership(partnershipId).pk,
          ':prefix': sortKeyPrefixes.checkInsOf(memberId),
        },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    return item ? parseCheckIn(item) : undefined;
  }

  async answerCheckIn(
    partnershipId: string,
    memberId: string,
    localDate: string,
    status: CheckInStatus,
    at: Date,
  ): Promise<void> {
    await this.revise({
      Key: keys.checkIn(partnershipId, memberId, localDate),
      UpdateExpression: 'SET #status = :status, answeredAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':at': at.toISOString() },
    });
  }

  async spendGraceToken(
    partnershipId: string,
    memberId: string,
    month: string,
    allowance: number,
  ): Promise<number | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.grace(partnershipId, memberId, month),
          UpdateExpression: 'SET spent = if_not_exists(spent, :zero) + :one, entity = :entity, v = :v',
          ConditionExpression: '(attribute_not_exists(spent) AND :allowance > :zero) OR spent < :allowance',
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':allowance': allowance,
            ':entity': 'grace',
            ':v': 1,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return graceTokensLeft(allowance, Number(result.Attributes?.spent ?? allowance));
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async takeQuota(key: string, limit: number, expiresAt: Date): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.quota(key),
          UpdateExpression:
            'SET used = if_not_exists(used, :zero) + :one, entity = :entity, v = :v, expiresAt = :expires',
          ConditionExpression: '(attribute_not_exists(used) AND :limit > :zero) OR used < :limit',
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':limit': limit,
            ':entity': 'quota',
            ':v': 1,
            ':expires': epochSeconds(expiresAt),
          },
        }),
      ),
    );
  }

  async returnQuota(key: string): Promise<void> {
    await writtenIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.quota(key),
          UpdateExpression: 'SET used = used - :one',
          ConditionExpression: 'used > :zero',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        }),
      ),
    );
  }

  async graceSpent(partnershipId: string, memberId: string, month: string): Promise<number> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.grace(partnershipId, memberId, month) }),
    );
    return Number(result.Item?.spent ?? 0);
  }

  async recordDelivery(report: DeliveryReport): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.delivery(report.messageSid, report.status),
          entity: 'delivery',
          v: 1,
          ...report,
          expiresAt: epochSeconds(new Date(report.at)) + 90 * DAY_SECONDS,
        },
      }),
    );
  }

  async deliveryReports(messageSid: string): Promise<DeliveryReport[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partitionKeys.delivery(messageSid) },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? [])
      .map(({ messageSid: sid, status, errorCode, at }) => ({
        messageSid: String(sid),
        status: String(status),
        ...(errorCode ? { errorCode: String(errorCode) } : {}),
        at: String(at),
      }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async receiveInbound(record: InboundRecord, at: Date, leaseSeconds: number): Promise<ClaimResult> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.inbound(record.messageSid),
          ConsistentRead: true,
        }),
      );
      return existing.Item?.status === 'received' ? 'in_progress' : 'already_done';
    }
  }

  async releaseInbound(messageSid: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.inbound(messageSid),
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: '#status = :received',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':received': 'received' },
        }),
      );
    } catch (error) {
      // Completed after all (or never received): nothing to give up.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async completeInbound(
    messageSid: string,
    outcome: { intent: string; reply?: string; memberId?: string; rejected?: string },
  ) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
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
      }),
    );
  }

  async claim(key: string, at: Date, leaseSeconds: number): Promise<ClaimResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.claim(key),
            entity: 'claim',
            v: 1,
            status: 'in_progress',
            leaseUntil: epochSeconds(at) + leaseSeconds,
            expiresAt: epochSeconds(at) + 30 * DAY_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :inProgress AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': epochSeconds(at) },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.claim(key), ConsistentRead: true }),
      );
      return existing.Item?.status === 'done' ? 'already_done' : 'in_progress';
    }
  }

  async completeClaim(key: string, at: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.claim(key),
        UpdateExpression: 'SET #status = :done, completedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':at': at.toISOString() },
      }),
    );
  }

  async releaseClaim(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.claim(key) }));
  }

  async pauseMember(
    partnershipId: string,
    memberId: string,
    until: string | undefined,
    at: Date,
  ): Promise<void> {
    await this.revise({
      Key: keys.member(partnershipId, memberId),
      UpdateExpression: until
        ? 'SET #status = :paused, pausedUntil = :until, statusChangedAt = :at'
        : 'SET #status = :paused, statusChangedAt = :at REMOVE pausedUntil',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :optedOut',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':paused': 'paused',
        ':optedOut': 'opted_out',
        ':at': at.toISOString(),
        ...(until ? { ':until': until } : {}),
      },
    });
  }

  resumeMember(partnershipId: string, memberId: string, at: Date, expectedUntil?: string): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        UpdateExpression: 'SET #status = :active, statusChangedAt = :at REMOVE pausedUntil',
        ConditionExpression: expectedUntil
          ? '#status = :paused AND pausedUntil = :until'
          : '#status = :paused',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':active': 'active',
          ':paused': 'paused',
          ':at': at.toISOString(),
          ...(expectedUntil ? { ':until': expectedUntil } : {}),
        },
      }),
    );
  }

  async updateMember(
    partnershipId: string,
    memberId: string,
    changes: Partial<Pick<Member, 'checkInTime' | 'goal' | 'cadence' | 'pendingDecision' | 'quietHours'>>,
  ): Promise<void> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    await this.revise({
      Key: keys.member(partnershipId, memberId),
      UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name]) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value])),
    });
  }

  async setPendingConfirmation(
    partnershipId: string,
    memberId: string,
    pending: PendingConfirmation,
  ): Promise<void> {
    await this.revise({
      Key: keys.member(partnershipId, memberId),
      UpdateExpression: 'SET pendingConfirmation = :pending',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':pending': pending },
    });
  }

  takePendingConfirmation(partnershipId: string, memberId: string, askedAt: string): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        UpdateExpression: 'REMOVE pendingConfirmation',
        ConditionExpression: 'pendingConfirmation.askedAt = :askedAt',
        ExpressionAttributeValues: { ':askedAt': askedAt },
      }),
    );
  }

  async setEmailStatus(
    partnershipId: string,
    memberId: string,
    status: EmailStatus,
    at: Date,
  ): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        // A bounce or an opt-out replaces an undeliverable status whole (its reason no longer applies).
        UpdateExpression:
          'SET emailStatus = :status, emailStatusAt = :at REMOVE emailStatusReason, emailStatusSince',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(emailStatus) OR emailStatus <> :status)',
        ExpressionAttributeValues: { ':status': status, ':at': at.toISOString() },
      }),
    );
  }

  async clearEmailStatus(
    partnershipId: string,
    memberId: string,
    from: readonly EmailStatus[],
    at: Date,
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const names = from.map((_status, index) => `:from${index}`);
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        UpdateExpression: 'REMOVE emailStatus SET emailStatusAt = :at',
        ConditionExpression: `attribute_exists(pk) AND emailStatus IN (${names.join(', ')})`,
        ExpressionAttributeValues: {
          ':at': at.toISOString(),
          ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
        },
      }),
    );
  }

  async setDeadline(partnershipId: string, memberId: string, deadline: string): Promise<void> {
    await this.revise({
      Key: keys.member(partnershipId, memberId),
      UpdateExpression: 'SET deadline = :deadline',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':deadline': deadline },
    });
  }

  async setCheckInMood(
    partnershipId: string,
    memberId: string,
    localDate: string,
    mood: number,
  ): Promise<void> {
    await this.revise({
      Key: keys.checkIn(partnershipId, memberId, localDate),
      UpdateExpression: 'SET mood = :mood',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':mood': mood },
    });
  }

  async recordEvent(
    partnershipId: string,
    event: HistoryEvent,
    news: Array<{ recipientId: string; item: NewsItem }> = [],
  ): Promise<void> {
    const eventKey = keys.event(partnershipId, event.at, event.memberId, event.kind);
    if (news.length === 0) return this.put(eventKey, 'event', event);
    const eventItem = { ...eventKey, entity: 'event', v: 1, ...event };
    // Plain puts of new items: one batch request instead of one request each (a pair's news is one item).
    const items = [
      eventItem,
      ...news.map(({ recipientId, item }) => ({
        ...keys.news(partnershipId, recipientId, item.at, item.fromMemberId, item.kind),
        entity: 'news',
        v: 1,
        ...item,
      })),
    ];
    await this.putAll(items, 'the event and its news');
  }

  /**
   * Puts new items in batches of 25 (BatchWriteItem's most), writing again what DynamoDB left unprocessed;
   * `what` names them in the error if some are still left after five tries.
   */
  private async putAll(items: Item[], what: string): Promise<void> {
    for (let start = 0; start < items.length; start += 25) {
      let pending = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 5) throw new Error(`Could not write ${what}`);
        const result = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
      }
    }
  }

  /** Puts one item with its keys, entity tag and schema version. */
  private async put(key: { pk: string; sk: string }, entity: string, fields: object): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key, entity, v: 1, ...fields } }),
    );
  }

  /** The items under a sort-key prefix of a partnership, as stored (to be parsed). */
  private queryPrefixItems(partnershipId: string, prefix: string, newestFirst = false): Promise<Item[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.partnership(partnershipId).pk, ':prefix': prefix },
      ScanIndexForward: !newestFirst,
      ConsistentRead: true,
    });
  }

  private async queryPrefix(partnershipId: string, prefix: string, newestFirst = false): Promise<Item[]> {
    const items = await this.queryPrefixItems(partnershipId, prefix, newestFirst);
    return items.map(({ pk: _pk, sk: _sk, entity: _entity, v: _v, ...rest }) => rest);
  }

  async history(partnershipId: string): Promise<PartnershipHistory> {
    const [checkIns, events, needs] = await Promise.all([
      this.queryPrefixItems(partnershipId, sortKeyPrefixes.checkIns),
      this.queryPrefix(partnershipId, sortKeyPrefixes.events),
      this.queryPrefix(partnershipId, sortKeyPrefixes.needs),
    ]);
    return {
      checkIns: checkIns.map(parseCheckIn),
      events: events as unknown as HistoryEvent[],
      needs: needs as unknown as Need[],
    };
  }

  async addNeed(need: Need): Promise<void> {
    await this.put(keys.need(need.partnershipId, need.id), 'need', need);
  }

  async openNeedsOfOthers(partnershipId: string, memberId: string): Promise<Need[]> {
    const needs = (await this.queryPrefix(partnershipId, sortKeyPrefixes.needs, true)) as unknown as Need[];
    return needs.filter((need) => need.status === 'open' && need.memberId !== memberId);
  }

  acknowledgeNeed(partnershipId: string, needId: string, byMemberId: string, at: Date): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.need(partnershipId, needId),
          UpdateExpression: 'SET #status = :onIt, acknowledgedBy = :by, acknowledgedAt = :at',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':onIt': 'on_it',
            ':open': 'open',
            ':by': byMemberId,
            ':at': at.toISOString(),
          },
        }),
      ),
    );
  }

  async putProposal(proposal: DeadlineProposal): Promise<void> {
    await this.put(keys.proposal(proposal.partnershipId, proposal.id), 'proposal', proposal);
  }

  async getProposal(partnershipId: string, proposalId: string): Promise<DeadlineProposal | undefined> {
    const result = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.proposal(partnershipId, proposalId),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, v: _v, ...proposal } = result.Item;
    return proposal as DeadlineProposal;
  }

  async pendingProposalFor(partnershipId: string, approverId: string): Promise<DeadlineProposal | undefined> {
    const proposals = (await this.queryPrefix(
      partnershipId,
      sortKeyPrefixes.proposals,
      true,
    )) as unknown as DeadlineProposal[];
    return proposals.find(
      (proposal) => proposal.status === 'pending' && proposal.approverIds.includes(approverId),
    );
  }

  resolveProposal(
    partnershipId: string,
    proposalId: string,
    status: DeadlineProposal['status'],
  ): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.proposal(partnershipId, proposalId),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':pending': 'pending' },
        }),
      ),
    );
  }

  async pendingNews(partnershipId: string, recipientId: string): Promise<NewsItem[]> {
    return (await this.queryPrefix(
      partnershipId,
      sortKeyPrefixes.newsFor(recipientId),
    )) as unknown as NewsItem[];
  }

  async removeNews(partnershipId: string, recipientId: string, items: NewsItem[]): Promise<void> {
    for (const item of items) {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.news(partnershipId, recipientId, item.at, item.fromMemberId, item.kind),
        }),
      );
    }
  }

  async reserveNewsSlot(
    partnershipId: string,
    recipientId: string,
    earliest: Date,
    spacingMinutes: number,
  ): Promise<Date> {
    const key = keys.newsSlot(partnershipId, recipientId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const last = current.Item?.lastSlot as string | undefined;
      const spaced = last ? new Date(Date.parse(last) + spacingMinutes * 60_000) : earliest;
      const slot = spaced > earliest ? spaced : earliest;
      // Optimistic: the write only lands if nobody reserved a slot since we read.
      const reserved = await writtenIf(
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, entity: 'newsSlot', v: 1, lastSlot: slot.toISOString() },
            ConditionExpression: last ? 'lastSlot = :last' : 'attribute_not_exists(pk)',
            ...(last ? { ExpressionAttributeValues: { ':last': last } } : {}),
          }),
        ),
      );
      if (reserved) return slot;
    }
    throw new Error('Could not reserve a partner-news slot');
  }

  // -------------------------------------------------------------------------------------------
  // People: consent across partnerships (docs/data-model.md, "person").
  // -------------------------------------------------------------------------------------------

  async getPerson(channel: PersonChannel, address: string): Promise<Person | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.person(channel, address), ConsistentRead: true }),
    );
    return result.Item ? parsePerson(result.Item) : undefined;
  }

  suppressPerson(channel: PersonChannel, address: string, by: OptOutPath, at: Date): Promise<boolean> {
    return writtenIf(this.db.send(new UpdateCommand(suppression(this.tableName, channel, address, by, at))));
  }

  restorePerson(channel: PersonChannel, address: string, at: Date): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.person(channel, address),
          UpdateExpression: 'SET suppressed = :no, restoredAt = :at',
          ConditionExpression: 'suppressed = :yes',
          ExpressionAttributeValues: { ':yes': true, ':no': false, ':at': at.toISOString() },
        }),
      ),
    );
  }

  async findMembershipsByEmail(email: string): Promise<Array<{ partnershipId: string; memberId: string }>> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitionKeys.email(personAddress('email', email)) },
    });
    return items.map((item) => ({
      partnershipId: item.partnershipId as string,
      memberId: item.memberId as string,
    }));
  }

  optOutMembership(
    partnershipId: string,
    memberId: string,
    before: MemberStatus,
    at: Date,
  ): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        UpdateExpression: 'SET #status = :optedOut, statusBeforeOptOut = :before, statusChangedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND #status = :before',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':optedOut': 'opted_out',
          ':before': before,
          ':at': at.toISOString(),
        },
      }),
    );
  }

  restoreMembership(partnershipId: string, memberId: string, to: MemberStatus, at: Date): Promise<boolean> {
    return writtenIf(
      this.revise({
        Key: keys.member(partnershipId, memberId),
        UpdateExpression: 'SET #status = :to, statusChangedAt = :at REMOVE statusBeforeOptOut',
        ConditionExpression: 'attribute_exists(pk) AND #status = :optedOut',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':optedOut': 'opted_out', ':to': to, ':at': at.toISOString() },
      }),
    );
  }
}
