import type { CheckIn, CheckInStatus } from '../partnership.js';

/** A member's check-in of one local date: sent once, then answered. */
export interface CheckInStorePort {
  /** Records a check-in as sent; false if it was already recorded. */
  recordCheckInSent(checkIn: CheckIn): Promise<boolean>;
  /** A member's check-in on one local date, if one was sent. */
  checkInOn(partnershipId: string, memberId: string, localDate: string): Promise<CheckIn | undefined>;
  latestCheckIn(partnershipId: string, memberId: string): Promise<CheckIn | undefined>;
  answerCheckIn(
    partnershipId: string,
    memberId: string,
    localDate: string,
    status: CheckInStatus,
    at: Date,
  ): Promise<void>;
  setCheckInMood(partnershipId: string, memberId: string, localDate: string, mood: number): Promise<void>;
}
