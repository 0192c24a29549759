import type { DeadlineProposal } from '../partnership.js';

/** Deadline proposals waiting for a partner's OK. */
export interface ProposalStorePort {
  putProposal(proposal: DeadlineProposal): Promise<void>;
  getProposal(partnershipId: string, proposalId: string): Promise<DeadlineProposal | undefined>;
  /** The pending proposal this member may answer, if any (the latest first). */
  pendingProposalFor(partnershipId: string, approverId: string): Promise<DeadlineProposal | undefined>;
  /** Moves a pending proposal to a final status; false if it was no longer pending. */
  resolveProposal(
    partnershipId: string,
    proposalId: string,
    status: DeadlineProposal['status'],
  ): Promise<boolean>;
}
