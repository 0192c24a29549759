import { describe, expect, it } from 'vitest';
import {
  parseDelivery,
  parseNeed,
  parseProposal,
  UnparsableItemError,
} from '#shared/adapters/dynamodb/items.js';
import { keys } from '#shared/adapters/dynamodb/table.js';

const need = {
  ...keys.need('p1', 'n-20261125T1400-m1'),
  entity: 'need',
  v: 1,
  id: 'n-20261125T1400-m1',
  partnershipId: 'p1',
  memberId: 'm1',
  text: 'a quiet hour to write',
  raisedAt: '2026-11-25T14:00:00.000Z',
  status: 'open',
};

const proposal = {
  ...keys.proposal('p1', 'dp-20261125T1400-m1'),
  entity: 'proposal',
  v: 1,
  id: 'dp-20261125T1400-m1',
  partnershipId: 'p1',
  memberId: 'm1',
  proposedBy: 'm1',
  approverIds: ['m2'],
  proposedDate: '2026-12-20',
  proposedAt: '2026-11-25T14:00:00.000Z',
  standsAt: '2026-11-26T14:00:00.000Z',
  status: 'pending',
};

const delivery = {
  ...keys.delivery('SM0123', 'undelivered'),
  entity: 'delivery',
  v: 1,
  messageSid: 'SM0123',
  status: 'undelivered',
  errorCode: '30003',
  at: '2026-11-25T14:00:05.000Z',
  expiresAt: 1_772_000_000,
};

/** The item without what the table adds: keys, tags and TTL. */
const domainPart = ({
  pk: _pk,
  sk: _sk,
  entity: _e,
  v: _v,
  expiresAt: _x,
  ...rest
}: Record<string, unknown>) => rest;

describe('need, proposal and delivery items, parsed on read by their entity and version', () => {
  it('reads each as the domain knows it: keys, tags and TTL left out', () => {
    expect(parseNeed(need)).toEqual(domainPart(need));
    expect(parseProposal(proposal)).toEqual(domainPart(proposal));
    expect(parseDelivery(delivery)).toEqual(domainPart(delivery));
  });

  it('keeps who took a need on, and a delivery without an error code has none', () => {
    const taken = {
      ...need,
      status: 'on_it',
      acknowledgedBy: 'm2',
      acknowledgedAt: '2026-11-25T15:00:00.000Z',
    };
    const { errorCode: _code, ...delivered } = { ...delivery, status: 'delivered' };

    expect(parseNeed(taken)).toMatchObject({ status: 'on_it', acknowledgedBy: 'm2' });
    expect(parseDelivery(delivered)).not.toHaveProperty('errorCode');
  });

  it('refuses a need whose status no version knows, naming the entity and field, never the value', () => {
    const parse = () => parseNeed({ ...need, status: 'maybe', text: 'call me on +12125550101' });

    expect(parse).toThrow(UnparsableItemError);
    expect(parse).toThrow(/A stored need item \(v 1\) does not parse: status: /);
    expect(parse).not.toThrow(/maybe|\+1212/);
  });

  it('refuses a proposal whose approvers are not a list, or that lost the date it stands at', () => {
    const { standsAt: _standsAt, ...withoutStandsAt } = proposal;

    expect(() => parseProposal({ ...proposal, approverIds: 'm2' })).toThrow(
      /A stored proposal item \(v 1\) does not parse: approverIds: /,
    );
    expect(() => parseProposal(withoutStandsAt)).toThrow(/proposal item \(v 1\) does not parse: standsAt: /);
  });

  it('refuses a delivery of a version it has no schema for, and an item of another entity', () => {
    expect(() => parseDelivery({ ...delivery, v: 2 })).toThrow(
      /delivery item \(v 2\) does not parse: no schema for this version \(known: 1\)/,
    );
    expect(() => parseDelivery({ ...delivery, v: undefined })).toThrow(/delivery item \(v undefined\)/);
    expect(() => parseProposal(need)).toThrow(/A stored proposal item .* it is tagged entity "need"/);
  });

  it('refuses a delivery whose message id is missing (an item written by hand)', () => {
    const { messageSid: _sid, ...withoutSid } = delivery;

    expect(() => parseDelivery(withoutSid)).toThrow(/delivery item \(v 1\) does not parse: messageSid: /);
  });
});
