import { describe } from 'vitest';
import { memoryStore } from '../support/memory-store.js';
import { storeContract } from '../support/store-contract.js';

// The same contract runs against DynamoDbStore on DynamoDB Local (test/integration/dynamodb-store-contract.test.ts).
describe('the in-memory store keeps the store contract', () => {
  const store = memoryStore();
  storeContract(() => store);
});
