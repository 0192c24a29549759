import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SetupStorePort } from '#shared/domain/ports.js';
// Whether a conditional write happened (false: its condition failed; any other error propagates).
import { landed as conditional } from './dynamodb/repository.js';
import { keys } from './dynamodb/table.js';

/** A setup nobody touched for this long is gone from the table (the 7-day drop removes it first). */
const SETUP_TTL_SECONDS = 30 * 86_400;

const setupKey = keys.setup;

/**
 * Self-serve setups, one item per phone number in the number's own partition (`PHONE#<e164>` /
 * `SETUP`), so the inbound look-up of a sender's memberships sees a setup in the same Query.
 * Kept apart from the main store: only the setup function carries it.
 */
export class DynamoDbSetupStore implements SetupStorePort {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSetup(phone: string): Promise<unknown> {
    const found = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: setupKey(phone), ConsistentRead: true }),
    );
    return found.Item?.setup;
  }

  async putSetup(setup: { phone: string; revision: number }, expected: number | undefined): Promise<boolean> {
    return conditional(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...setupKey(setup.phone),
            entity: 'setup',
            v: 1,
            revision: setup.revision,
            setup,
            expiresAt: Math.floor(Date.now() / 1000) + SETUP_TTL_SECONDS,
          },
          ...(expected === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expected },
              }),
        }),
      ),
    );
  }

  async deleteSetup(phone: string, expected: number): Promise<boolean> {
    return conditional(
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: setupKey(phone),
          ConditionExpression: 'revision = :expected',
          ExpressionAttributeValues: { ':expected': expected },
        }),
      ),
    );
  }
}
