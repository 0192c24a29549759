import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/adapters/dynamodb-store.js';

/** The floor: a Lambda that makes one DynamoDB call and nothing else, bundled like ours. */
const client = createDocumentClient();

export const handler = async () =>
  client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME ?? 't', Key: { pk: { S: 'x' }, sk: { S: 'y' } } }),
  );
