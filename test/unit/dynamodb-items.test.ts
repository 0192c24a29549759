import { describe, expect, it } from 'vitest';
import { parseCheckIn, parsePerson, UnparsableItemError } from '#shared/adapters/dynamodb/items.js';
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
