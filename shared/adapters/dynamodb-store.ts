import type { StorePort } from '#shared/domain/ports.js';
import { DynamoDbCheckIns } from './dynamodb/check-ins.js';
import { DynamoDbClaims } from './dynamodb/claims.js';
import { DynamoDbDeliveries } from './dynamodb/deliveries.js';
import { DynamoDbGrace } from './dynamodb/grace.js';
import { DynamoDbHistory } from './dynamodb/history.js';
import { DynamoDbInbound } from './dynamodb/inbound.js';
import { DynamoDbMembers } from './dynamodb/members.js';
import { DynamoDbNeeds } from './dynamodb/needs.js';
import { DynamoDbNews } from './dynamodb/news.js';
import { DynamoDbPartnerships } from './dynamodb/partnerships.js';
import { DynamoDbPeople } from './dynamodb/people.js';
import { DynamoDbProposals } from './dynamodb/proposals.js';
import { DynamoDbQuotas } from './dynamodb/quotas.js';
import { Repository } from './dynamodb/repository.js';

// Re-exported for the callers that knew them here (the tests that read items, the sender's store).
export { suppression } from './dynamodb/people.js';
export { createDocumentClient, landed as writtenIf } from './dynamodb/repository.js';
export { keys, tableKeySchema } from './dynamodb/table.js';

/** Every aggregate's repository (shared/adapters/dynamodb/): the store carries all their methods. */
export const REPOSITORIES = [
  DynamoDbPartnerships,
  DynamoDbMembers,
  DynamoDbCheckIns,
  DynamoDbGrace,
  DynamoDbHistory,
  DynamoDbInbound,
  DynamoDbClaims,
  DynamoDbQuotas,
  DynamoDbNews,
  DynamoDbProposals,
  DynamoDbNeeds,
  DynamoDbDeliveries,
  DynamoDbPeople,
] as const;

/** One type with every member of each of a union's types. */
type AllOf<U> = (U extends unknown ? (each: U) => void : never) extends (all: infer I) => void ? I : never;
type Repositories = AllOf<InstanceType<(typeof REPOSITORIES)[number]>>;

// The type of the composition: each repository's methods, as the prototype below carries them.
export interface DynamoDbStore extends Repositories {}

/**
 * The whole store over the single table: one object with every aggregate's repository methods on its
 * prototype (each uses only `db` and `tableName`), so callers keep one StorePort and the reply's and the
 * step's turns (reply-turn.ts, send-turn.ts) still override the methods they hold back, by name.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the static block gives the prototype every method of REPOSITORIES, which the merged interface declares (test/unit/dynamodb-store.test.ts checks it).
export class DynamoDbStore extends Repository implements StorePort {
  static {
    for (const repository of REPOSITORIES) {
      // Every method but the constructor (test/unit/dynamodb-store.test.ts: no two share a name).
      const { constructor: _constructor, ...methods } = Object.getOwnPropertyDescriptors(
        repository.prototype,
      );
      Object.defineProperties(DynamoDbStore.prototype, methods);
    }
  }
}
