import type {
  ClaimStorePort,
  InboundMessageStorePort,
  InboundRecord,
  SendClaim,
  SendClaimPort,
} from '#shared/domain/ports.js';

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
  options: OnceOptions,
  work: () => Promise<T>,
): Promise<T | undefined> {
  const claimed = { claim: await store.claim(key, options.now, options.leaseSeconds) };
  return doClaimed(store, key, options, claimed, () => store.releaseClaim(key), work);
}

/**
 * runOnce for a message to a provider (sendingOncePerStep): `work` is told when its claim took over an
 * earlier attempt's (since when that attempt held it), which may have reached the provider before it
 * died; a failure gives the claim up as such a takeover, since the provider may have taken the message
 * before the call failed.
 */
export async function sendOnce<T>(
  store: ClaimStorePort & SendClaimPort,
  key: string,
  options: OnceOptions,
  work: (takenOverSince?: Date) => Promise<T>,
): Promise<T | undefined> {
  const claimed = await store.claimSend(key, options.now, options.leaseSeconds);
  return doClaimed(store, key, options, claimed, () => store.releaseSend(key), work);
}

type OnceOptions = { now: Date; leaseSeconds: number; retryInProgress?: boolean };

async function doClaimed<T>(
  store: ClaimStorePort,
  key: string,
  options: OnceOptions,
  { claim, takenOverSince }: SendClaim,
  release: () => Promise<void>,
  work: (takenOverSince?: Date) => Promise<T>,
): Promise<T | undefined> {
  if (claim === 'in_progress' && options.retryInProgress) throw new ClaimInProgressError(key);
  if (claim !== 'claimed') return undefined;
  try {
    const result = await work(takenOverSince);
    await store.completeClaim(key, options.now);
    return result;
  } catch (error) {
    await release();
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
