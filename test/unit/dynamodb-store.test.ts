import { describe, expect, it } from 'vitest';
import { DynamoDbCheckIns } from '#shared/adapters/dynamodb/check-ins.js';
import { DynamoDbClaims } from '#shared/adapters/dynamodb/claims.js';
import { DynamoDbDeliveries } from '#shared/adapters/dynamodb/deliveries.js';
import { DynamoDbGrace } from '#shared/adapters/dynamodb/grace.js';
import { DynamoDbHistory } from '#shared/adapters/dynamodb/history.js';
import { DynamoDbInbound } from '#shared/adapters/dynamodb/inbound.js';
import { DynamoDbMembers } from '#shared/adapters/dynamodb/members.js';
import { DynamoDbNeeds } from '#shared/adapters/dynamodb/needs.js';
import { DynamoDbNews } from '#shared/adapters/dynamodb/news.js';
import { DynamoDbPartnerships } from '#shared/adapters/dynamodb/partnerships.js';
import { DynamoDbPeople } from '#shared/adapters/dynamodb/people.js';
import { DynamoDbProposals } from '#shared/adapters/dynamodb/proposals.js';
import { DynamoDbQuotas } from '#shared/adapters/dynamodb/quotas.js';
import { DynamoDbStore } from '#shared/adapters/dynamodb-store.js';

const repositories = [
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
];
const methodsOf = (repository: { prototype: object }) =>
  Object.getOwnPropertyNames(repository.prototype).filter((name) => name !== 'constructor');

describe('DynamoDbStore, the composition of the per-aggregate repositories', () => {
  it('carries every method of every repository on its prototype, where the turns find them by name', () => {
    for (const repository of repositories) {
      for (const name of methodsOf(repository)) {
        expect(Object.getOwnPropertyDescriptor(DynamoDbStore.prototype, name)?.value).toBe(
          Reflect.get(repository.prototype, name),
        );
      }
    }
  });

  it('has no two repositories defining a method of the same name (the later would hide the earlier)', () => {
    const names = repositories.flatMap(methodsOf);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});
