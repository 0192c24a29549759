import type { EmailStatus, Member, MemberStatus, PendingConfirmation } from '../partnership.js';

/** One member of a partnership: status, pause, settings, the question waiting for them, email status. */
export interface MemberStorePort {
  setMemberStatus(partnershipId: string, memberId: string, status: MemberStatus, at: Date): Promise<void>;
  /** Pauses a member until a local date, or until RESUME when `until` is undefined. */
  pauseMember(partnershipId: string, memberId: string, until: string | undefined, at: Date): Promise<void>;
  /** Ends a pause; false if the member was not paused (or paused until another date than expected). */
  resumeMember(partnershipId: string, memberId: string, at: Date, expectedUntil?: string): Promise<boolean>;
  setDeadline(partnershipId: string, memberId: string, deadline: string): Promise<void>;
  /** Changes a member's own settings (a TWEAK, a pending decision). */
  updateMember(
    partnershipId: string,
    memberId: string,
    changes: Partial<Pick<Member, 'checkInTime' | 'goal' | 'cadence' | 'pendingDecision' | 'quietHours'>>,
  ): Promise<void>;
  /** Opens a confirmation question for a member (replacing any earlier one). */
  setPendingConfirmation(
    partnershipId: string,
    memberId: string,
    pending: PendingConfirmation,
  ): Promise<void>;
  /**
   * Closes the confirmation asked at `askedAt`; false when it was already closed or replaced (a second
   * SEND, or a redelivery, acts at most once).
   */
  takePendingConfirmation(partnershipId: string, memberId: string, askedAt: string): Promise<boolean>;
  /** Stops (or records why we stopped) emailing a member; false if that status was already set. */
  setEmailStatus(partnershipId: string, memberId: string, status: EmailStatus, at: Date): Promise<boolean>;
  /** Emails a member again: clears the email status if it is one of `from`; false if it was not. */
  clearEmailStatus(
    partnershipId: string,
    memberId: string,
    from: readonly EmailStatus[],
    at: Date,
  ): Promise<boolean>;
}
