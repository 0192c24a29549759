import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/** The table a repository reads and writes: the store's document client and the table's name. */
export interface TableAccess {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

export type StoredItem = Record<string, unknown>;

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

/** Every item a query matches, page after page. */
export async function queryEveryPage(
  { db, tableName }: TableAccess,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<StoredItem[]> {
  const items: StoredItem[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
