import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledStep, SchedulerPort } from '../domain/ports.js';

const scheduleKey = (name: string) => ({ pk: `SCHEDULE#${name}`, sk: 'SCHEDULE' });

/**
 * The local stand-in for EventBridge Scheduler: schedules live in the same table, indexed by
 * due time on gsi1, and the local virtual clock fires them through the same dispatch handler.
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
          ...scheduleKey(step.scheduleName),
          entity: 'schedule',
          v: 1,
          gsi1pk: 'SCHEDULES',
          gsi1sk: `${step.scheduledTime}#${step.scheduleName}`,
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
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :until',
        ExpressionAttributeValues: { ':pk': 'SCHEDULES', ':until': `${until.toISOString()}#\uffff` },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      name: String(item.pk).slice('SCHEDULE#'.length),
      payload: item.payload as string,
      dueAt: String(item.gsi1sk).split('#')[0] ?? '',
    }));
  }

  /** All pending schedules, for the local state panel. */
  async pending(): Promise<Array<{ name: string; dueAt: string }>> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SCHEDULES' },
      }),
    );
    return (result.Items ?? []).map((item) => ({
      name: String(item.pk).slice('SCHEDULE#'.length),
      dueAt: String(item.gsi1sk).split('#')[0] ?? '',
    }));
  }

  async cancel(name: string): Promise<void> {
    await this.remove(name);
  }

  /** ActionAfterCompletion: DELETE. */
  async remove(name: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: scheduleKey(name) }));
  }
}
