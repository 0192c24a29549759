import type { Clock } from '#shared/domain/clock.js';
import type { DeliveryReport, StorePort } from '#shared/domain/ports.js';
import { runOnce } from './run-once.js';

/** Twilio's final statuses that mean the text did not reach the phone. */
export const UNDELIVERED_STATUSES = ['failed', 'undelivered'] as const;

/** Whether a status is one of {@link UNDELIVERED_STATUSES}. */
export const isUndelivered = (status: string) => (UNDELIVERED_STATUSES as readonly string[]).includes(status);

export type StatusOutcome = 'recorded' | 'duplicate';

/**
 * Record what Twilio says happened to a text we sent (its status callback: queued, sent, delivered,
 * undelivered, failed …). Twilio may call twice for the same status: the pair (MessageSid, status) is
 * recorded once.
 */
export async function handleStatusCallback(
  deps: { store: StorePort; clock: Clock },
  report: Omit<DeliveryReport, 'at'>,
): Promise<StatusOutcome> {
  const now = deps.clock.now();
  const done = await runOnce(
    deps.store,
    `sms-status#${report.messageSid}#${report.status}`,
    { now, leaseSeconds: 30 },
    async () => {
      await deps.store.recordDelivery({ ...report, at: now.toISOString() });
      return 'recorded' as const;
    },
  );
  return done ?? 'duplicate';
}
