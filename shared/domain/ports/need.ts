import type { Need } from '../partnership.js';

/** A team member's needs, and who took each on. */
export interface NeedStorePort {
  addNeed(need: Need): Promise<void>;
  /** Open needs raised by other members of the partnership, the latest first. */
  openNeedsOfOthers(partnershipId: string, memberId: string): Promise<Need[]>;
  /** Marks a need as taken on; false if someone already had. */
  acknowledgeNeed(partnershipId: string, needId: string, byMemberId: string, at: Date): Promise<boolean>;
}
