import type { DeadlineProposal } from '#shared/domain/partnership.js';
import type { ProposalStorePort } from '#shared/domain/ports.js';
import { parseProposal } from './items.js';
import { getItem, moveStatus, putItem, queryItems, Repository } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * Deadline proposals (entity `proposal`), in their partnership's partition: `PROPOSAL#<id>`. Every item
 * is parsed on read (items.ts), so one written by another version fails with its entity named.
 */
export class DynamoDbProposals extends Repository implements ProposalStorePort {
  putProposal(proposal: DeadlineProposal): Promise<void> {
    return putItem(this, keys.proposal(proposal.partnershipId, proposal.id), 'proposal', proposal);
  }

  async getProposal(partnershipId: string, proposalId: string): Promise<DeadlineProposal | undefined> {
    const item = await getItem(this, keys.proposal(partnershipId, proposalId));
    return item && parseProposal(item);
  }

  /** The latest pending proposal this member may answer: ids sort by time, so newest first. */
  async pendingProposalFor(partnershipId: string, approverId: string): Promise<DeadlineProposal | undefined> {
    const pk = partitionKeys.partnership(partnershipId);
    return (await queryItems(this, pk, sortKeyPrefixes.proposals, true))
      .map(parseProposal)
      .find((proposal) => proposal.status === 'pending' && proposal.approverIds.includes(approverId));
  }

  resolveProposal(
    partnershipId: string,
    proposalId: string,
    status: DeadlineProposal['status'],
  ): Promise<boolean> {
    return moveStatus(this, keys.proposal(partnershipId, proposalId), 'pending', status);
  }
}
