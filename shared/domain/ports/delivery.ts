/** What Twilio reported about one message we sent (its status callback). */
export interface DeliveryReport {
  messageSid: string;
  status: string;
  errorCode?: string;
  at: string;
}

/** The delivery statuses of the texts we sent. */
export interface DeliveryStorePort {
  /** Records a delivery status of one sent message (kept 90 days). */
  recordDelivery(report: DeliveryReport): Promise<void>;
  /** Every status recorded for a sent message, oldest first. */
  deliveryReports(messageSid: string): Promise<DeliveryReport[]>;
}
