import { graceMonth, graceTokensLeft } from '#shared/domain/grace-ledger.js';
import type { Member, Partnership, PartnershipView } from '#shared/domain/partnership.js';
import { personAddress } from '#shared/domain/person.js';
import type { Membership, PartnershipStorePort } from '#shared/domain/ports.js';
import { parseCheckIn, parseGrace, parseMember, parsePartnership, parsePhoneMembership } from './items.js';
import {
  item,
  landed,
  putAll,
  putItem,
  queryAll,
  queryItems,
  Repository,
  type StoredItem,
  update,
} from './repository.js';
import { isPartnershipItem, keys, partitionKeys, SETUP_SK, sortKeyPrefixes } from './table.js';

/**
 * The partnership aggregate (entities `partnership`, `member`, and the look-ups `phone` and
 * `emailLookup`): a partnership's `META` item and its members in its own partition, and each member's
 * number and address pointing back to it.
 */
export class DynamoDbPartnerships extends Repository implements PartnershipStorePort {
  async createPartnership(partnership: Partnership, members: Member[]): Promise<void> {
    // Members and phone look-ups first, the partnership item last: a partnership is visible only once
    // all of it is written. (No transaction yet: locally they exist only since DynamoDB Local, issue 22.)
    const memberItems = members.flatMap((member) => [
      ...(member.email
        ? [
            item(keys.email(personAddress('email', member.email), partnership.id, member.id), 'emailLookup', {
              partnershipId: partnership.id,
              memberId: member.id,
            }),
          ]
        : []),
      item(keys.member(partnership.id, member.id), 'member', member),
      item(keys.phone(member.phone, partnership.id, member.id), 'phone', {
        partnershipId: partnership.id,
        memberId: member.id,
        lastPromptAt: partnership.createdAt,
      }),
    ]);
    await putAll(this, memberItems, 'every member of the partnership');
    await putItem(this, keys.partnership(partnership.id), 'partnership', partnership, {
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  }

  /**
   * Every partnership with at least one active member, for the hourly sweep: a paginated Scan of member
   * items only (filtered, projected to the partnership id). Its cost grows with the table; docs/scale.md.
   */
  async partnershipsWithActiveMembers(): Promise<string[]> {
    const items = await queryAll(
      this,
      {
        FilterExpression: 'entity = :member AND #status = :active',
        ProjectionExpression: 'partnershipId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':member': 'member', ':active': 'active' },
      },
      true,
    );
    // Projected to the one attribute: nothing else of the member item to parse.
    return [
      ...new Set(
        items.flatMap(({ partnershipId }) => (typeof partnershipId === 'string' ? [partnershipId] : [])),
      ),
    ];
  }

  async getPartnership(id: string): Promise<{ partnership: Partnership; members: Member[] } | undefined> {
    // 'META' and 'MEMBER#…' share the prefix 'ME': one query reads the partnership and its members only.
    const items = await queryAll(this, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :me)',
      ExpressionAttributeValues: {
        ':pk': keys.partnership(id).pk,
        ':me': sortKeyPrefixes.partnershipAndMembers,
      },
    });
    return this.assemble(items);
  }

  /** The partnership and its members among a partition's items (none without its META item). */
  assemble(items: StoredItem[]): { partnership: Partnership; members: Member[] } | undefined {
    const meta = items.find((item) => isPartnershipItem(item.sk));
    if (!meta) return undefined;
    const members = items
      .filter((item) => String(item.sk).startsWith(sortKeyPrefixes.member))
      .map(parseMember);
    return { partnership: parsePartnership(meta), members };
  }

  async viewPartnership(id: string, now: Date): Promise<PartnershipView | undefined> {
    const items = await queryItems(this, partitionKeys.partnership(id));
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
          .map(({ partnershipId: _partnership, memberId: _member, sentBy: _sentBy, ...shown }) => shown);
        // The member's own words waiting for SEND stay private until they are sent.
        const { pendingConfirmation: _pending, ...shown } = member;
        return {
          ...shown,
          graceTokensLeft: graceTokensLeft(
            partnership.graceTokensPerMonth,
            grace ? parseGrace(grace).spent : 0,
          ),
          checkIns,
        };
      }),
    };
  }

  async findMembershipsByPhone(phone: string): Promise<Membership[]> {
    return (await this.lookUpPhone(phone)).memberships;
  }

  async lookUpPhone(phone: string): Promise<{ memberships: Membership[]; setup: boolean }> {
    // Every page: a person in many partnerships must not lose the later ones. The number's self-serve
    // setup, if any, lives in the same partition (SETUP), so a reply learns of it in the same request.
    const items = await queryAll(this, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitionKeys.phone(phone) },
    });
    return {
      setup: items.some((item) => item.sk === SETUP_SK),
      memberships: items
        .filter((item) => String(item.sk).startsWith(sortKeyPrefixes.member))
        .map(parsePhoneMembership)
        .sort((a, b) => b.lastPromptAt.localeCompare(a.lastPromptAt))
        .map(({ partnershipId, memberId }) => ({ partnershipId, memberId })),
    };
  }

  markPartnershipStarted(partnershipId: string, at: Date): Promise<boolean> {
    return landed(
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
    await update(this, {
      Key: keys.phone(member.phone, member.partnershipId, member.id),
      UpdateExpression: 'SET lastPromptAt = :at',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    });
  }
}
