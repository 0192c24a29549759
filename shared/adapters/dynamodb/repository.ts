import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { revised } from './revision.js';

/*
 * What the repositories of this folder share: the table they work on and the few requests they make.
 * Kept small on purpose: every Lambda bundle carries it (each is held to 600 KB).
 */

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The table a repository reads and writes: the store's document client and the table's name. */
export interface TableAccess {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

export type StoredItem = Record<string, unknown>;
type Key = { pk: string; sk: string };
export type Update = Omit<UpdateCommandInput, 'TableName'>;

export const DAY_SECONDS = 86_400;
export const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * A repository over the table. Its methods use only `this.db` and `this.tableName` (and the helpers
 * below), so the store (dynamodb-store.ts) can carry every repository's methods as its own.
 */
export abstract class Repository implements TableAccess {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Every item a query matches, page after page. */
  queryAll(input: Paged): Promise<StoredItem[]> {
    return queryAll(this, input);
  }

  /** An update of a partnership's own item, a member or a check-in: it counts the item's revision too. */
  protected revise(input: Update): Promise<UpdateCommandOutput> {
    return update(this, revised(input));
  }
}

/**
 * A conditional write: true if it landed, false if its condition did not hold. Repositories write one
 * item a request, so a failed condition is always ConditionalCheckFailedException here.
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

/** One UpdateItem on the table. */
export const update = (table: TableAccess, input: Update): Promise<UpdateCommandOutput> =>
  table.db.send(new UpdateCommand({ ...input, TableName: table.tableName }));

/** An item whole: its key, its entity at version 1 and its fields. */
export const item = (key: Key, entity: string, fields: object): StoredItem => ({
  ...key,
  entity,
  v: 1,
  ...fields,
});

/** Puts an item whole, tagged with its entity at version 1 (on condition, if one is given). */
export async function putItem(
  table: TableAccess,
  key: Key,
  entity: string,
  fields: object,
  condition?: Pick<
    PutCommandInput,
    'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  >,
): Promise<void> {
  await table.db.send(
    new PutCommand({ TableName: table.tableName, Item: item(key, entity, fields), ...condition }),
  );
}

/** One item as stored (to be parsed), read consistently. */
export async function getItem(table: TableAccess, key: Key): Promise<StoredItem | undefined> {
  return (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true })))
    .Item;
}

/** Deletes one item (nothing happens if it is not there). */
export async function deleteItem(table: TableAccess, key: Key): Promise<void> {
  await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: key }));
}

type Writes = NonNullable<BatchWriteCommandInput['RequestItems']>[string];
type Paged = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** Every item a query (or, `scan`, a Scan) matches, page after page; with a `Limit`, its first page only. */
export async function queryAll(table: TableAccess, input: Paged, scan = false): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let ExclusiveStartKey: StoredItem | undefined;
  do {
    const request = { TableName: table.tableName, ...input, ExclusiveStartKey };
    const page = await table.db.send(scan ? new ScanCommand(request) : new QueryCommand(request));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && !input.Limit);
  return items;
}

/** Every item of a partition (under a sort-key prefix), page after page (or the first `Limit`), read consistently. */
export const queryItems = (
  table: TableAccess,
  pk: string,
  prefix?: string,
  newestFirst = false,
  Limit?: number,
) =>
  queryAll(table, {
    Limit,
    KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: prefix === undefined ? { ':pk': pk } : { ':pk': pk, ':prefix': prefix },
    ScanIndexForward: !newestFirst,
    ConsistentRead: true,
  });

/**
 * Puts new items in batches of 25 (BatchWriteItem's most), writing again what DynamoDB left unprocessed;
 * `what` names them in the error if some are still left after five tries.
 */
export async function putAll(table: TableAccess, items: StoredItem[], what: string): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let pending: Writes = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 5) throw new Error(`Could not write ${what}`);
      const result = await table.db.send(
        new BatchWriteCommand({ RequestItems: { [table.tableName]: pending } }),
      );
      pending = result.UnprocessedItems?.[table.tableName] ?? [];
    }
  }
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
    update(table, {
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
  );
}
