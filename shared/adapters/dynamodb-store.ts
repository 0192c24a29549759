import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
export {
  DynamoDbCheckIns,
  DynamoDbClaims,
  DynamoDbDeliveries,
  DynamoDbGrace,
  DynamoDbHistory,
  DynamoDbInbound,
  DynamoDbMembers,
  DynamoDbNeeds,
  DynamoDbNews,
  DynamoDbPartnerships,
  DynamoDbPeople,
  DynamoDbProposals,
  DynamoDbQuotas,
};

/** A repository of shared/adapters/dynamodb/: built on the table's client and name, like the store. */
export type RepositoryClass = new (db: DynamoDBDocumentClient, tableName: string) => Repository;

/** One type with every member of each of a union's types. */
type AllOf<U> = (U extends unknown ? (each: U) => void : never) extends (all: infer I) => void ? I : never;

/** What a store composed of these repositories carries: the table, and every method of each. */
export type ComposedStore<R extends readonly RepositoryClass[]> = Repository & AllOf<InstanceType<R[number]>>;

/**
 * A store class of these repositories alone: one object with each repository's methods on its prototype
 * (each uses only `db` and `tableName`), so the reply's and the step's turns (reply-turn.ts, send-turn.ts)
 * can still override, by name, the methods they hold back. A function's wiring (shared/runtime) composes
 * the repositories its use cases need, and the bundler leaves the others out; its use cases' store type
 * refuses a composition that lacks a method they call.
 */
export function composeStore<const R extends readonly RepositoryClass[]>(
  repositories: R,
): new (
  db: DynamoDBDocumentClient,
  tableName: string,
) => ComposedStore<R> {
  class Composed extends Repository {}
  for (const repository of repositories) {
    // Every method but the constructor (test/unit/dynamodb-store.test.ts: no two share a name).
    const { constructor: _constructor, ...methods } = Object.getOwnPropertyDescriptors(repository.prototype);
    Object.defineProperties(Composed.prototype, methods);
  }
  return Composed as new (
    db: DynamoDBDocumentClient,
    tableName: string,
  ) => ComposedStore<R>;
}

/**
 * A list of repositories and one more. A call the bundler may drop when nothing uses its result, which
 * a list written with a spread in it is not (it would keep every repository in every bundle).
 */
function withOneMore<const R extends readonly RepositoryClass[], const X extends RepositoryClass>(
  repositories: R,
  more: X,
): readonly [...R, X] {
  return [...repositories, more];
}

/**
 * The repositories of a conversation (a reply by text or email, an email link): every aggregate's but
 * the delivery reports, which only the status callback writes (ConversationStorePort).
 */
export const CONVERSATION_REPOSITORIES = [
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
  DynamoDbPeople,
] as const;

/** Every aggregate's repository (shared/adapters/dynamodb/). */
export const REPOSITORIES = /* @__PURE__ */ withOneMore(CONVERSATION_REPOSITORIES, DynamoDbDeliveries);

/**
 * The whole store over the single table, every repository composed: what the reply's and the step's
 * turns work on, and what tests, the local stack and scripts use.
 */
// The list itself, not spread: a spread call is not one the bundler drops when nothing uses its result.
export const DynamoDbStore = /* @__PURE__ */ composeStore(REPOSITORIES);
export type DynamoDbStore = InstanceType<typeof DynamoDbStore>;
