import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/adapters/dynamodb/repository.js';
import {
  composeStore,
  DynamoDbHistory,
  DynamoDbPeople,
  DynamoDbStore,
  REPOSITORIES,
} from '#shared/adapters/dynamodb-store.js';

const repositories: ReadonlyArray<{ prototype: object }> = REPOSITORIES;
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

  it('composes a store of only the repositories a function names: their methods, none of the others', () => {
    // Prepare
    const Store = composeStore([DynamoDbHistory, DynamoDbPeople]);

    // Act
    const store = new Store(createDocumentClient({ region: 'us-east-1' }), 'table');

    // Assess
    const names = [DynamoDbHistory, DynamoDbPeople].flatMap(methodsOf);
    expect(
      Object.getOwnPropertyNames(Store.prototype)
        .filter((name) => name !== 'constructor')
        .sort(),
    ).toEqual(names.sort());
    expect(store.tableName).toBe('table');
    expect(Reflect.get(store, 'getPartnership')).toBeUndefined();
    expect(store).not.toBeInstanceOf(DynamoDbStore);
  });
});
