import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

/*
 * What the repositories of this folder share: the table they work on and the four requests they make.
 * Kept small on purpose: every Lambda bundle carries it (each is held to 600 KB).
 */

/** The table a repository reads and writes: the store's document client and the table's name. */
export interface TableAccess {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

export type StoredItem = Record<string, unknown>;
type Key = { pk: string; sk: string };

/**
 * A conditional write of one item: true if it landed, false if its condition did not hold. Repositories
 * write one item a request, so a failed condition is always ConditionalCheckFailedException here.
 */
export async function landed(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Puts an item whole, tagged with its entity at version 1. */
export async function putItem(table: TableAccess, key: Key, entity: string, fields: object): Promise<void> {
  await table.db.send(
    new PutCommand({ TableName: table.tableName, Item: { ...key, entity, v: 1, ...fields } }),
  );
}

/** One item as stored (to be parsed), read consistently. */
export async function getItem(table: TableAccess, key: Key): Promise<StoredItem | undefined> {
  return (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true })))
    .Item;
}

/** Every item of a partition (under a sort-key prefix), page after page, read consistently. */
export async function queryItems(
  table: TableAccess,
  pk: string,
  prefix?: string,
  newestFirst = false,
): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let ExclusiveStartKey: StoredItem | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: prefix === undefined ? { ':pk': pk } : { ':pk': pk, ':prefix': prefix },
        ScanIndexForward: !newestFirst,
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Moves an item's `status` from `from` to `to`, setting `fields` with it, in one conditional write:
 * false if the status was no longer `from` (or the item is missing).
 */
export function moveStatus(
  table: TableAccess,
  key: Key,
  from: string,
  to: string,
  fields: Record<string, string> = {},
): Promise<boolean> {
  const names = Object.keys(fields);
  return landed(
    table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: ['SET #status = :to', ...names.map((name) => `${name} = :${name}`)].join(', '),
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':from': from,
          ':to': to,
          ...Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
        },
      }),
    ),
  );
}
