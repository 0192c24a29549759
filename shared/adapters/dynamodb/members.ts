import type { EmailStatus, Member, MemberStatus, PendingConfirmation } from '#shared/domain/partnership.js';
import type { MemberStorePort, PersonStorePort } from '#shared/domain/ports.js';
import { landed, Repository, type Update } from './repository.js';
import { keys } from './table.js';

type MemberChange = Pick<Update, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>;
type MemberWrites = MemberStorePort & Pick<PersonStorePort, 'optOutMembership' | 'restoreMembership'>;

/**
 * A partnership's members (entity `member`, `PARTNERSHIP#<id>` / `MEMBER#<memberId>`): every write is one
 * conditional UpdateItem that counts the member's revision (revision.ts), so a reply's snapshot of the
 * member is known to be stale once anything here changed it.
 */
export class DynamoDbMembers extends Repository implements MemberWrites {
  /** One write of a member's item (`#status` names its status), counting its revision. */
  private writeMember(partnershipId: string, memberId: string, change: MemberChange) {
    const named = `${change.UpdateExpression} ${change.ConditionExpression}`.includes('#status');
    return this.revise({
      Key: keys.member(partnershipId, memberId),
      ...change,
      ...(named ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
    });
  }

  /** The same, conditional: false if its condition did not hold. */
  private changeMember(partnershipId: string, memberId: string, change: MemberChange): Promise<boolean> {
    return landed(this.writeMember(partnershipId, memberId, change));
  }

  /** Sets fields of a member the caller knows exists: a missing member fails loudly. */
  private async setOnMember(
    partnershipId: string,
    memberId: string,
    set: string,
    values: Record<string, unknown>,
  ) {
    await this.writeMember(partnershipId, memberId, {
      UpdateExpression: set,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: values,
    });
  }

  async setMemberStatus(partnershipId: string, memberId: string, status: MemberStatus, at: Date) {
    await this.setOnMember(partnershipId, memberId, 'SET #status = :status, statusChangedAt = :at', {
      ':status': status,
      ':at': at.toISOString(),
    });
  }

  async pauseMember(partnershipId: string, memberId: string, until: string | undefined, at: Date) {
    await this.writeMember(partnershipId, memberId, {
      UpdateExpression: until
        ? 'SET #status = :paused, pausedUntil = :until, statusChangedAt = :at'
        : 'SET #status = :paused, statusChangedAt = :at REMOVE pausedUntil',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :optedOut',
      ExpressionAttributeValues: {
        ':paused': 'paused',
        ':optedOut': 'opted_out',
        ':at': at.toISOString(),
        ...(until ? { ':until': until } : {}),
      },
    });
  }

  resumeMember(partnershipId: string, memberId: string, at: Date, expectedUntil?: string): Promise<boolean> {
    return this.changeMember(partnershipId, memberId, {
      UpdateExpression: 'SET #status = :active, statusChangedAt = :at REMOVE pausedUntil',
      ConditionExpression: expectedUntil ? '#status = :paused AND pausedUntil = :until' : '#status = :paused',
      ExpressionAttributeValues: {
        ':active': 'active',
        ':paused': 'paused',
        ':at': at.toISOString(),
        ...(expectedUntil ? { ':until': expectedUntil } : {}),
      },
    });
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

  async setPendingConfirmation(partnershipId: string, memberId: string, pending: PendingConfirmation) {
    await this.setOnMember(partnershipId, memberId, 'SET pendingConfirmation = :pending', {
      ':pending': pending,
    });
  }

  takePendingConfirmation(partnershipId: string, memberId: string, askedAt: string): Promise<boolean> {
    return this.changeMember(partnershipId, memberId, {
      UpdateExpression: 'REMOVE pendingConfirmation',
      ConditionExpression: 'pendingConfirmation.askedAt = :askedAt',
      ExpressionAttributeValues: { ':askedAt': askedAt },
    });
  }

  setEmailStatus(partnershipId: string, memberId: string, status: EmailStatus, at: Date): Promise<boolean> {
    return this.changeMember(partnershipId, memberId, {
      // A bounce or an opt-out replaces an undeliverable status whole (its reason no longer applies).
      UpdateExpression:
        'SET emailStatus = :status, emailStatusAt = :at REMOVE emailStatusReason, emailStatusSince',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(emailStatus) OR emailStatus <> :status)',
      ExpressionAttributeValues: { ':status': status, ':at': at.toISOString() },
    });
  }

  async clearEmailStatus(
    partnershipId: string,
    memberId: string,
    from: readonly EmailStatus[],
    at: Date,
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const names = from.map((_status, index) => `:from${index}`);
    return this.changeMember(partnershipId, memberId, {
      UpdateExpression: 'REMOVE emailStatus SET emailStatusAt = :at',
      ConditionExpression: `attribute_exists(pk) AND emailStatus IN (${names.join(', ')})`,
      ExpressionAttributeValues: {
        ':at': at.toISOString(),
        ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
      },
    });
  }

  async setDeadline(partnershipId: string, memberId: string, deadline: string): Promise<void> {
    await this.setOnMember(partnershipId, memberId, 'SET deadline = :deadline', { ':deadline': deadline });
  }

  optOutMembership(
    partnershipId: string,
    memberId: string,
    before: MemberStatus,
    at: Date,
  ): Promise<boolean> {
    return this.changeMember(partnershipId, memberId, {
      UpdateExpression: 'SET #status = :optedOut, statusBeforeOptOut = :before, statusChangedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND #status = :before',
      ExpressionAttributeValues: { ':optedOut': 'opted_out', ':before': before, ':at': at.toISOString() },
    });
  }

  restoreMembership(partnershipId: string, memberId: string, to: MemberStatus, at: Date): Promise<boolean> {
    return this.changeMember(partnershipId, memberId, {
      UpdateExpression: 'SET #status = :to, statusChangedAt = :at REMOVE statusBeforeOptOut',
      ConditionExpression: 'attribute_exists(pk) AND #status = :optedOut',
      ExpressionAttributeValues: { ':optedOut': 'opted_out', ':to': to, ':at': at.toISOString() },
    });
  }
}
