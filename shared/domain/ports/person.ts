import type { MemberStatus } from '../partnership.js';
import type { OptOutPath, Person, PersonChannel } from '../person.js';
import type { Membership } from './partnership.js';

/** The person record (shared/domain/person.ts): consent that follows a phone or an address. */
export interface PersonStorePort {
  getPerson(channel: PersonChannel, address: string): Promise<Person | undefined>;
  /** Suppresses a person's channel; false if it already was (the first path and time are kept). */
  suppressPerson(channel: PersonChannel, address: string, by: OptOutPath, at: Date): Promise<boolean>;
  /** Lifts the suppression; false if there was none. */
  restorePerson(channel: PersonChannel, address: string, at: Date): Promise<boolean>;
  /** Memberships of an email address (lower-case), every page. */
  findMembershipsByEmail(email: string): Promise<Membership[]>;
  /**
   * Opts one membership out, remembering the status it had (`before`) so START can restore it exactly;
   * false if its status was no longer `before`.
   */
  optOutMembership(partnershipId: string, memberId: string, before: MemberStatus, at: Date): Promise<boolean>;
  /** Gives an opted-out membership back the status it had; false if it was not opted out. */
  restoreMembership(partnershipId: string, memberId: string, to: MemberStatus, at: Date): Promise<boolean>;
}
