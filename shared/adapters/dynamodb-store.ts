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
const REPOSITORIES = [
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

// The type of the composition: each repository's methods, as the prototype below carries them.
export interface DynamoDbStore
  extends DynamoDbPartnerships,
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
    DynamoDbPeople {}

/**
 * The whole store over the single table: one object with every aggregate's repository methods on its
 * prototype (each uses only `db` and `tableName`), so callers keep one StorePort and the reply's and the
 * step's turns (reply-turn.ts, send-turn.ts) still override the methods they hold back, by name.
 */
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
