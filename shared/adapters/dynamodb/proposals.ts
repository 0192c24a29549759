import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeadlineProposal } from '#shared/domain/partnership.js';
import type { ProposalStorePort } from '#shared/domain/ports.js';
import { parseProposal } from './items.js';
import { landed, queryEveryPage, type TableAccess } from './repository.js';
import { keys, partitionKeys, sortKeyPrefixes } from './table.js';

/**
 * Deadline proposals (entity `proposal`), in their partnership's partition: `PROPOSAL#<id>`. Every item
 * is parsed on read (items.ts), so one written by another version fails with its entity named.
 */
export class DynamoDbProposals implements ProposalStorePort {
  constructor(private readonly table: TableAccess) {}

  async putProposal(proposal: DeadlineProposal): Promise<void> {
    await this.table.db.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...keys.proposal(proposal.partnershipId, proposal.id),
          entity: 'proposal',
          v: 1,
          ...proposal,
        },
      }),
    );
  }

  async getProposal(partnershipId: string, proposalId: string): Promise<DeadlineProposal | undefined> {
    const { Item } = await this.table.db.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.proposal(partnershipId, proposalId),
        ConsistentRead: true,
      }),
    );
    return Item ? parseProposal(Item) : undefined;
  }

  /** The latest pending proposal this member may answer: ids sort by time, so newest first. */
  async pendingProposalFor(partnershipId: string, approverId: string): Promise<DeadlineProposal | undefined> {
    const items = await queryEveryPage(this.table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': partitionKeys.partnership(partnershipId),
        ':prefix': sortKeyPrefixes.proposals,
      },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items
      .map(parseProposal)
      .find((proposal) => proposal.status === 'pending' && proposal.approverIds.includes(approverId));
  }

  resolveProposal(
    partnershipId: string,
    proposalId: string,
    status: DeadlineProposal['status'],
  ): Promise<boolean> {
    return landed(
      this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.proposal(partnershipId, proposalId),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':pending': 'pending' },
        }),
      ),
    );
  }
}
