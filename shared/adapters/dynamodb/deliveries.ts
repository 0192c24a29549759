import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryReport, DeliveryStorePort } from '#shared/domain/ports.js';
import { parseDelivery } from './items.js';
import { queryEveryPage, type TableAccess } from './repository.js';
import { keys, partitionKeys } from './table.js';

/** How long Twilio's delivery reports are kept (DynamoDB's TTL removes them after). */
const KEPT_SECONDS = 90 * 86_400;

/**
 * Twilio's delivery reports of the texts we sent (entity `delivery`), one item per message and status in
 * the message's own partition: `DELIVERY#<sid>` / `STATUS#<status>`, so a repeated callback overwrites.
 */
export class DynamoDbDeliveries implements DeliveryStorePort {
  constructor(private readonly table: TableAccess) {}

  async recordDelivery(report: DeliveryReport): Promise<void> {
    await this.table.db.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...keys.delivery(report.messageSid, report.status),
          entity: 'delivery',
          v: 1,
          ...report,
          expiresAt: Math.floor(Date.parse(report.at) / 1000) + KEPT_SECONDS,
        },
      }),
    );
  }

  async deliveryReports(messageSid: string): Promise<DeliveryReport[]> {
    const items = await queryEveryPage(this.table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitionKeys.delivery(messageSid) },
      ConsistentRead: true,
    });
    return items.map(parseDelivery).sort((a, b) => a.at.localeCompare(b.at));
  }
}
