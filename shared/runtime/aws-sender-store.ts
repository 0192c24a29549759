import { DynamoDbSenderStore } from '#shared/adapters/dynamodb-sender-store.js';
import { createDocumentClient } from '#shared/adapters/dynamodb-store.js';
import { once } from './aws-deps.js';
import { awsEnvironment, readConfig } from './config.js';
import { countedStore } from './metrics.js';

/**
 * The sender's store: the table, and whether our channels reach each member. A module of its own, imported
 * by the sender only, so the other functions' bundles carry none of it.
 */
export const awsSenderStore = /* @__PURE__ */ once(async () => {
  const config = readConfig({ TABLE_NAME: awsEnvironment.TABLE_NAME });
  return countedStore(new DynamoDbSenderStore(createDocumentClient(), config.TABLE_NAME));
});
