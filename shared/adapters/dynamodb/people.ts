import { type OptOutPath, type Person, type PersonChannel, personAddress } from '#shared/domain/person.js';
import type { Membership, PersonStorePort } from '#shared/domain/ports.js';
import { parseEmailLookup, parsePerson } from './items.js';
import { getItem, landed, queryItems, Repository, update } from './repository.js';
import { keys, partitionKeys } from './table.js';

/** A person's channel suppressed, if it is not yet (the first path and time are kept). */
export const suppression = (
  TableName: string,
  channel: PersonChannel,
  address: string,
  by: OptOutPath,
  at: Date,
) => ({
  TableName,
  Key: keys.person(channel, address),
  UpdateExpression:
    'SET entity = :entity, v = :v, channel = :channel, address = :address, suppressed = :yes, ' +
    'suppressedAt = :at, suppressedBy = :by',
  ConditionExpression: 'attribute_not_exists(suppressed) OR suppressed = :no',
  ExpressionAttributeValues: {
    ':entity': 'person',
    ':v': 1,
    ':channel': channel,
    ':address': address,
    ':yes': true,
    ':no': false,
    ':at': at.toISOString(),
    ':by': by,
  },
});

type PersonRecords = Omit<PersonStorePort, 'optOutMembership' | 'restoreMembership'>;

/**
 * Consent that follows a person across partnerships (entity `person`, docs/data-model.md): a phone's
 * record in the number's own partition, an address's under `PERSON#email:<address>`; and an address's
 * memberships (entity `emailLookup`). Opting a membership out is the member's item (members.ts).
 */
export class DynamoDbPeople extends Repository implements PersonRecords {
  async getPerson(channel: PersonChannel, address: string): Promise<Person | undefined> {
    const item = await getItem(this, keys.person(channel, address));
    return item && parsePerson(item);
  }

  suppressPerson(channel: PersonChannel, address: string, by: OptOutPath, at: Date): Promise<boolean> {
    return landed(update(this, suppression(this.tableName, channel, address, by, at)));
  }

  restorePerson(channel: PersonChannel, address: string, at: Date): Promise<boolean> {
    return landed(
      update(this, {
        Key: keys.person(channel, address),
        UpdateExpression: 'SET suppressed = :no, restoredAt = :at',
        ConditionExpression: 'suppressed = :yes',
        ExpressionAttributeValues: { ':yes': true, ':no': false, ':at': at.toISOString() },
      }),
    );
  }

  async findMembershipsByEmail(email: string): Promise<Membership[]> {
    const items = await queryItems(this, partitionKeys.email(personAddress('email', email)));
    return items.map(parseEmailLookup);
  }
}
