import type { Member, Partnership, PartnershipView } from '../partnership.js';

/** A membership as the phone and email look-ups know it. */
export interface Membership {
  partnershipId: string;
  memberId: string;
}

/** The partnership aggregate: the partnership, its members as enrolled, and the look-ups to them. */
export interface PartnershipStorePort {
  createPartnership(partnership: Partnership, members: Member[]): Promise<void>;
  getPartnership(id: string): Promise<{ partnership: Partnership; members: Member[] } | undefined>;
  /** Ids of every partnership with at least one active member (the sweep's work list). */
  partnershipsWithActiveMembers(): Promise<string[]>;
  viewPartnership(id: string, now: Date): Promise<PartnershipView | undefined>;
  /** Memberships of a phone number, the one prompted most recently first. */
  findMembershipsByPhone(phone: string): Promise<Membership[]>;
  /** The same, in the same request, and whether the number is in the middle of a self-serve setup. */
  lookUpPhone(phone: string): Promise<{ memberships: Membership[]; setup: boolean }>;
  /** Marks the partnership started (everyone joined); false if it already was. */
  markPartnershipStarted(partnershipId: string, at: Date): Promise<boolean>;
  /** Notes that a member was just prompted, so a reply from a phone in many partnerships goes there. */
  notePrompted(member: Member, at: Date): Promise<void>;
}
