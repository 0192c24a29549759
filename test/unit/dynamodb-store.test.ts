import { describe, expect, it } from 'vitest';
import { DynamoDbStore, REPOSITORIES } from '#shared/adapters/dynamodb-store.js';

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
});
