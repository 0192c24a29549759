import { afterAll, beforeAll, describe } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import { storeContract } from '../support/store-contract.js';

// The same contract runs against the in-memory fakes (test/unit/memory-store.test.ts), without a server.
describe('DynamoDbStore on DynamoDB Local keeps the store contract', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers({
      clock: new VirtualClock(new Date('2026-11-25T14:00:00Z')),
      name: 'contract',
    });
  });
  afterAll(async () => {
    await servers?.close();
  });
  storeContract(() => servers.store);
});
