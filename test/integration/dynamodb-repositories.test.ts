import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.js';
import { DynamoDbDeliveries } from '#shared/adapters/dynamodb/deliveries.js';
import { UnparsableItemError } from '#shared/adapters/dynamodb/items.js';
import { DynamoDbNeeds } from '#shared/adapters/dynamodb/needs.js';
import { DynamoDbProposals } from '#shared/adapters/dynamodb/proposals.js';
import { keys } from '#shared/adapters/dynamodb/table.js';
import type { DeadlineProposal, Need } from '#shared/domain/partnership.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';

/*
 * The proposal, need and delivery repositories against DynamoDB Local: what the store's callers rely on
 * (conditional writes answer false, newest first, oldest first), and an item that does not parse.
 */

const proposal = (id: string, overrides: Partial<DeadlineProposal> = {}): DeadlineProposal => ({
  id,
  partnershipId: 'p-repo',
  memberId: 'm1',
  proposedBy: 'm1',
  approverIds: ['m2'],
  proposedDate: '2026-12-20',
  proposedAt: '2026-11-25T14:00:00.000Z',
  standsAt: '2026-11-26T14:00:00.000Z',
  status: 'pending',
  ...overrides,
});

const need = (id: string, memberId: string): Need => ({
  id,
  partnershipId: 'p-repo',
  memberId,
  text: 'a quiet hour',
  raisedAt: '2026-11-25T14:00:00.000Z',
  status: 'open',
});

describe('DynamoDB repositories: proposals, needs and deliveries', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers({
      clock: new VirtualClock(new Date('2026-11-25T14:00:00Z')),
      name: 'repos',
    });
  });
  afterAll(async () => {
    await servers?.close();
  });
  const table = () => servers.store;

  it('keeps a proposal, finds the latest pending one for its approver, and resolves it once', async () => {
    // Prepare
    const proposals = new DynamoDbProposals(table().db, table().tableName);
    await proposals.putProposal(proposal('dp-1'));
    await proposals.putProposal(proposal('dp-2', { approverIds: ['m2', 'm3'] }));
    await proposals.putProposal(proposal('dp-3', { approverIds: ['m3'] }));

    // Act
    const first = await proposals.resolveProposal('p-repo', 'dp-2', 'accepted');
    const again = await proposals.resolveProposal('p-repo', 'dp-2', 'stood');

    // Assess
    expect([first, again]).toEqual([true, false]);
    expect(await proposals.getProposal('p-repo', 'dp-2')).toEqual(
      proposal('dp-2', { approverIds: ['m2', 'm3'], status: 'accepted' }),
    );
    expect((await proposals.pendingProposalFor('p-repo', 'm2'))?.id).toBe('dp-1');
    expect((await proposals.pendingProposalFor('p-repo', 'm3'))?.id).toBe('dp-3');
    expect(await proposals.pendingProposalFor('p-repo', 'm1')).toBeUndefined();
    expect(await proposals.getProposal('p-repo', 'dp-none')).toBeUndefined();
  });

  it("lists the other members' open needs, latest first, and lets only the first ON IT take one", async () => {
    // Prepare
    const needs = new DynamoDbNeeds(table().db, table().tableName);
    await needs.addNeed(need('n-20261125T1400-m1', 'm1'));
    await needs.addNeed(need('n-20261125T1500-m2', 'm2'));
    await needs.addNeed(need('n-20261125T1600-m3', 'm3'));

    // Act
    const taken = await needs.acknowledgeNeed('p-repo', 'n-20261125T1400-m1', 'm2', new Date());
    const takenAgain = await needs.acknowledgeNeed('p-repo', 'n-20261125T1400-m1', 'm3', new Date());

    // Assess
    expect([taken, takenAgain]).toEqual([true, false]);
    expect((await needs.openNeedsOfOthers('p-repo', 'm1')).map((each) => each.id)).toEqual([
      'n-20261125T1600-m3',
      'n-20261125T1500-m2',
    ]);
    expect((await needs.openNeedsOfOthers('p-repo', 'm3')).map((each) => each.id)).toEqual([
      'n-20261125T1500-m2',
    ]);
  });

  it("keeps each of a text's statuses once, oldest first, with Twilio's error code", async () => {
    // Prepare
    const deliveries = new DynamoDbDeliveries(table().db, table().tableName);
    await deliveries.recordDelivery({
      messageSid: 'SMrepo',
      status: 'undelivered',
      errorCode: '30003',
      at: '2026-11-25T14:00:09Z',
    });
    await deliveries.recordDelivery({ messageSid: 'SMrepo', status: 'sent', at: '2026-11-25T14:00:01Z' });

    // Act: Twilio calls again with the same status.
    await deliveries.recordDelivery({ messageSid: 'SMrepo', status: 'sent', at: '2026-11-25T14:00:02Z' });

    // Assess
    expect(await deliveries.deliveryReports('SMrepo')).toEqual([
      { messageSid: 'SMrepo', status: 'sent', at: '2026-11-25T14:00:02Z' },
      { messageSid: 'SMrepo', status: 'undelivered', errorCode: '30003', at: '2026-11-25T14:00:09Z' },
    ]);
    expect(await deliveries.deliveryReports('SMnone')).toEqual([]);
  });

  it('refuses, naming the entity, a proposal item that another version of the code wrote', async () => {
    // Prepare: a v2 item nobody wrote a schema for, in a partnership of its own.
    await table().db.send(
      new PutCommand({
        TableName: table().tableName,
        Item: { ...keys.proposal('p-v2', 'dp-v2'), entity: 'proposal', v: 2, ...proposal('dp-v2') },
      }),
    );

    // Act
    const read = new DynamoDbProposals(table().db, table().tableName).getProposal('p-v2', 'dp-v2');
    const pending = new DynamoDbProposals(table().db, table().tableName).pendingProposalFor('p-v2', 'm2');

    // Assess
    await expect(read).rejects.toThrow(UnparsableItemError);
    await expect(read).rejects.toThrow(/A stored proposal item \(v 2\) does not parse/);
    await expect(pending).rejects.toThrow(/A stored proposal item \(v 2\) does not parse/);
  });

  it('writes the very items DynamoDbStore reads and writes: the two can replace each other', async () => {
    // DynamoDbStore does not delegate to the repositories yet (bundle budget: see the report in git log).
    const needs = new DynamoDbNeeds(table().db, table().tableName);
    await servers.store.addNeed(need('n-20261125T1700-m4', 'm4'));
    expect((await needs.openNeedsOfOthers('p-repo', 'm1')).map((each) => each.id)).toContain(
      'n-20261125T1700-m4',
    );
    expect((await servers.store.pendingProposalFor('p-repo', 'm2'))?.id).toBe('dp-1');
    expect(await servers.store.deliveryReports('SMrepo')).toHaveLength(2);
  });
});
