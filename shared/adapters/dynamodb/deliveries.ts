import type { DeliveryReport, DeliveryStorePort } from '#shared/domain/ports.js';
import { parseDelivery } from './items.js';
import { putItem, queryItems, Repository } from './repository.js';
import { keys, partitionKeys } from './table.js';

/** How long Twilio's delivery reports are kept (DynamoDB's TTL removes them after). */
const KEPT_SECONDS = 90 * 86_400;

/**
 * Twilio's delivery reports of the texts we sent (entity `delivery`), one item per message and status in
 * the message's own partition: `DELIVERY#<sid>` / `STATUS#<status>`, so a repeated callback overwrites.
 */
export class DynamoDbDeliveries extends Repository implements DeliveryStorePort {
  recordDelivery(report: DeliveryReport): Promise<void> {
    const expiresAt = Math.floor(Date.parse(report.at) / 1000) + KEPT_SECONDS;
    return putItem(this, keys.delivery(report.messageSid, report.status), 'delivery', {
      ...report,
      expiresAt,
    });
  }

  async deliveryReports(messageSid: string): Promise<DeliveryReport[]> {
    return (await queryItems(this, partitionKeys.delivery(messageSid)))
      .map(parseDelivery)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}
