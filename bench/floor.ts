import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/adapters/dynamodb/repository.js';

/**
 * The floor: a Lambda that makes one DynamoDB call and nothing else, bundled like ours. Its client comes
 * from repository.ts alone, the module that builds ours: nothing of the store comes with it.
 */
const client = createDocumentClient();

export const handler = async () =>
  client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME ?? 't', Key: { pk: { S: 'x' }, sk: { S: 'y' } } }),
  );
