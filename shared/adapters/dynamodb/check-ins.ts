import type { CheckIn, CheckInStatus } from '#shared/domain/partnership.js';
import type { CheckInStorePort } from '#shared/domain/ports.js';
import { parseCheckIn } from './items.js';
import { getItem, landed, putItem, queryItems, Repository } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * A member's check-ins (entity `checkIn`), one per local date in the partnership's partition:
 * `CHECKIN#<memberId>#<YYYY-MM-DD>`, so the latest is the last of the member's prefix.
 */
export class DynamoDbCheckIns extends Repository implements CheckInStorePort {
  /** One check-in a day, even when two schedules race: the put lands only if the day has none. */
  recordCheckInSent(checkIn: CheckIn): Promise<boolean> {
    const key = keys.checkIn(checkIn.partnershipId, checkIn.memberId, checkIn.localDate);
    return landed(
      putItem(this, key, 'checkIn', checkIn, { ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async checkInOn(partnershipId: string, memberId: string, localDate: string): Promise<CheckIn | undefined> {
    const item = await getItem(this, keys.checkIn(partnershipId, memberId, localDate));
    return item && parseCheckIn(item);
  }

  async latestCheckIn(partnershipId: string, memberId: string): Promise<CheckIn | undefined> {
    const pk = partitionKeys.partnership(partnershipId);
    const [item] = await queryItems(this, pk, sortKeyPrefixes.checkInsOf(memberId), true, 1);
    return item && parseCheckIn(item);
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

  async setCheckInMood(partnershipId: string, memberId: string, localDate: string, mood: number) {
    await this.revise({
      Key: keys.checkIn(partnershipId, memberId, localDate),
      UpdateExpression: 'SET mood = :mood',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':mood': mood },
    });
  }
}
