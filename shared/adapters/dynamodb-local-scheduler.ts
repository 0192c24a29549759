import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledStep, SchedulerPort } from '#shared/domain/ports.js';
import { keys, localSchedulesIndex, scheduleIndexKeys, scheduleNameOf } from './dynamodb/table.js';

const { name: INDEX, partitionKey: INDEX_PK, sortKey: INDEX_SK, schedules: SCHEDULES } = localSchedulesIndex;

/**
 * The local stand-in for EventBridge Scheduler: schedules live in the same table, indexed by due time
 * on the local-only index (table.ts), and the local virtual clock fires them through the same dispatch
 * handler.
 */
export class DynamoDbLocalScheduler implements SchedulerPort {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async schedule(step: ScheduledStep, wallClock: { localDateTime: string; timezone: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.schedule(step.scheduleName),
          entity: 'schedule',
          v: 1,
          ...scheduleIndexKeys(step.scheduledTime, step.scheduleName),
          expression: `at(${wallClock.localDateTime})`,
          timezone: wallClock.timezone,
          payload: JSON.stringify(step),
        },
      }),
    );
  }

  /** Pending schedules due at or before `until`, earliest first. */
  async due(until: Date, limit = 100): Promise<Array<{ name: string; payload: string; dueAt: string }>> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX,
        KeyConditionExpression: '#pk = :pk AND #sk <= :until',
        ExpressionAttributeNames: { '#pk': INDEX_PK, '#sk': INDEX_SK },
        ExpressionAttributeValues: { ':pk': SCHEDULES, ':until': `${until.toISOString()}#\uffff` },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      name: scheduleNameOf(String(item.pk)),
      payload: item.payload as string,
      dueAt: String(item[INDEX_SK]).split('#')[0] ?? '',
    }));
  }

  /** All pending schedules, for the local state panel. */
  async pending(): Promise<Array<{ name: string; dueAt: string }>> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEX,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': INDEX_PK },
        ExpressionAttributeValues: { ':pk': SCHEDULES },
      }),
    );
    return (result.Items ?? []).map((item) => ({
      name: scheduleNameOf(String(item.pk)),
      dueAt: String(item[INDEX_SK]).split('#')[0] ?? '',
    }));
  }

  async cancel(name: string): Promise<void> {
    await this.remove(name);
  }

  /** ActionAfterCompletion: DELETE. */
  async remove(name: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.schedule(name) }));
  }
}
