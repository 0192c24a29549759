import { describe, expect, it } from 'vitest';
import {
  parseCheckIn,
  parseClaim,
  parseEvent,
  parseGrace,
  parseInbound,
  parseMember,
  parseNews,
  parsePartnership,
  parsePerson,
  parsePhoneMembership,
  UnparsableItemError,
} from '#shared/adapters/dynamodb/items.js';
import { keys } from '#shared/adapters/dynamodb/table.js';

const stored = {
  ...keys.checkIn('p1', 'm1', '2026-11-25'),
  entity: 'checkIn',
  v: 1,
  partnershipId: 'p1',
  memberId: 'm1',
  localDate: '2026-11-25',
  status: 'on_track',
  sentAt: '2026-11-25T13:30:00.000Z',
  answeredAt: '2026-11-25T14:00:00.000Z',
  mood: 4,
  sentBy: 'ci-p1-m1-20261125-0830@2026-11-25T13:30:00Z',
};

describe('stored items, parsed on read by their entity and version', () => {
  it('reads a check-in as the domain knows it: keys, tags and TTL left out', () => {
    const { pk: _pk, sk: _sk, entity: _entity, v: _v, ...checkIn } = stored;
    expect(parseCheckIn({ ...stored, expiresAt: 1_800_000_000 })).toEqual(checkIn);
  });

  it('refuses a check-in whose status no version knows, naming the field and not its value', () => {
    const parse = () => parseCheckIn({ ...stored, status: 'maybe', memberId: '+12125550101' });
    expect(parse).toThrow(UnparsableItemError);
    expect(parse).toThrow(/A stored checkIn item \(v 1\) does not parse: status: /);
    expect(parse).not.toThrow(/maybe|\+1212/);
  });

  it('refuses a version it has no schema for, and an item of another entity', () => {
    expect(() => parseCheckIn({ ...stored, v: 2 })).toThrow(
      /\(v 2\) does not parse: no schema for this version \(known: 1\)/,
    );
    expect(() => parseCheckIn({ ...stored, entity: 'grace' })).toThrow(/it is tagged entity "grace"/);
  });

  it('refuses a check-in that lost a required field', () => {
    const { sentAt: _sentAt, ...withoutSentAt } = stored;
    expect(() => parseCheckIn(withoutSentAt)).toThrow(/sentAt: /);
  });
});

describe('person items, parsed on read', () => {
  const person = {
    ...keys.person('sms', '+12125550101'),
    entity: 'person',
    v: 1,
    channel: 'sms',
    address: '+12125550101',
    suppressed: true,
    suppressedAt: '2026-11-25T14:00:00.000Z',
    suppressedBy: 'sms_keyword',
  };

  it('reads the consent as the domain knows it', () => {
    const { pk: _pk, sk: _sk, entity: _entity, v: _v, ...expected } = person;
    expect(parsePerson(person)).toEqual(expected);
  });

  it('refuses an opt-out path it does not know, and a suppression that is not a boolean', () => {
    expect(() => parsePerson({ ...person, suppressedBy: 'fax' })).toThrow(
      /person item \(v 1\) does not parse: suppressedBy: /,
    );
    expect(() => parsePerson({ ...person, suppressed: 'yes' })).toThrow(/suppressed: /);
    expect(() => parsePerson({ ...person, suppressed: 'yes' })).not.toThrow(/\+1212/);
  });
});

describe('the other entities, parsed on read', () => {
  const member = {
    ...keys.member('p1', 'm1'),
    entity: 'member',
    v: 1,
    rev: 3,
    id: 'm1',
    partnershipId: 'p1',
    name: 'Ana',
    phone: '+12125550101',
    timezone: 'America/New_York',
    checkInTime: '08:30',
    goal: 'Write the intro',
    cadence: 'daily',
    checkInBy: 'sms',
    status: 'active',
    pendingConfirmation: {
      intent: { kind: 'deadline_move', move: { kind: 'weekday', weekday: 5, nextWeek: false } },
      askedAt: '2026-11-25T14:00:00.000Z',
      expiresAt: '2026-11-26T13:30:00.000Z',
    },
  };

  it('reads a member as the domain knows it: keys, tags and revision left out', () => {
    const { pk: _pk, sk: _sk, entity: _entity, v: _v, rev: _rev, ...expected } = member;
    expect(parseMember(member)).toEqual(expected);
  });

  it('refuses a member whose confirmation holds an intent no version knows, naming the field only', () => {
    const parse = () =>
      parseMember({
        ...member,
        pendingConfirmation: { ...member.pendingConfirmation, intent: { kind: 'stop' } },
      });
    expect(parse).toThrow(/A stored member item \(v 1\) does not parse: pendingConfirmation.intent/);
    expect(parse).not.toThrow(/\+1212|Ana/);
  });

  it('refuses a partnership, a phone membership, news, a claim and an inbound message that lost what it needs', () => {
    expect(() =>
      parsePartnership({ ...keys.partnership('p1'), entity: 'partnership', v: 1, id: 'p1' }),
    ).toThrow(/partnership item \(v 1\) does not parse: createdAt: .*graceTokensPerMonth: /);
    expect(() =>
      parsePhoneMembership({ entity: 'phone', v: 2, partnershipId: 'p1', memberId: 'm1' }),
    ).toThrow(/phone item \(v 2\) does not parse: lastPromptAt: /);
    expect(() =>
      parseNews({ entity: 'news', v: 1, fromMemberId: 'm2', fromName: 'Bo', kind: 'gossip', at: 'x' }),
    ).toThrow(/news item \(v 1\) does not parse: kind: /);
    expect(() => parseClaim({ entity: 'claim', v: 1, status: 'maybe' })).toThrow(
      /claim item \(v 1\) does not parse: status: /,
    );
    expect(() => parseInbound({ entity: 'inboundSms', v: 2, status: 'received' })).toThrow(
      /inboundSms item \(v 2\) does not parse: no schema for this version \(known: 3\)/,
    );
    expect(() => parseGrace({ entity: 'grace', v: 1, spent: '1' })).toThrow(
      /grace item \(v 1\) does not parse: spent: /,
    );
    expect(() => parseEvent({ entity: 'event', v: 1, memberId: 'm1', at: 'x' })).toThrow(
      /event item \(v 1\) does not parse: kind: /,
    );
  });
});
