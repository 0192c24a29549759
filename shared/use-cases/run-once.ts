import type { ClaimStorePort, InboundMessageStorePort, InboundRecord } from '#shared/domain/ports.js';

/** Another delivery holds the claim right now: retry later (after the lease) rather than drop the work. */
export class ClaimInProgressError extends Error {
  constructor(readonly key: string) {
    super('Another delivery is doing this right now; retry after its lease');
    this.name = 'ClaimInProgressError';
  }
}

/**
 * Runs `work` at most once per idempotency key, however often the platform delivers: claim the key,
 * do the work, mark it done. A failure releases the claim and is rethrown, so the platform retries;
 * a claim left unfinished longer than `leaseSeconds` may be taken over by a redelivery.
 * Returns undefined when the key was already done. A key being done right now is also undefined,
 * unless `retryInProgress` is set: then it throws ClaimInProgressError, so a queue redelivers it later
 * (a crashed holder's work is then picked up instead of being lost).
 */
export async function runOnce<T>(
  store: ClaimStorePort,
  key: string,
  options: { now: Date; leaseSeconds: number; retryInProgress?: boolean },
  work: () => Promise<T>,
): Promise<T | undefined> {
  const claim = await store.claim(key, options.now, options.leaseSeconds);
  if (claim === 'in_progress' && options.retryInProgress) throw new ClaimInProgressError(key);
  if (claim !== 'claimed') return undefined;
  try {
    const result = await work();
    await store.completeClaim(key, options.now);
    return result;
  } catch (error) {
    await store.releaseClaim(key);
    throw error;
  }
}

/**
 * runOnce for an inbound message, whose claim is the raw record itself (kept before it is interpreted,
 * claimed in the same write): `work` must end with store.completeInbound, which marks it done.
 * Returns undefined for a message already handled or being handled by another delivery.
 */
export async function receiveOnce<T>(
  store: InboundMessageStorePort,
  record: InboundRecord,
  options: { now: Date; leaseSeconds: number },
  work: () => Promise<T>,
): Promise<T | undefined> {
  const claim = await store.receiveInbound(record, options.now, options.leaseSeconds);
  if (claim !== 'claimed') return undefined;
  try {
    return await work();
  } catch (error) {
    await store.releaseInbound(record.messageSid);
    throw error;
  }
}
