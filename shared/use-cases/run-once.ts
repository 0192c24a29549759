import type { StorePort } from '../domain/ports.js';

/**
 * Runs `work` at most once per idempotency key, however often the platform delivers: claim the key,
 * do the work, mark it done. A failure releases the claim and is rethrown, so the platform retries;
 * a claim left unfinished longer than `leaseSeconds` may be taken over by a redelivery.
 * Returns undefined when the key was already done (or is being done right now).
 */
export async function runOnce<T>(
  store: StorePort,
  key: string,
  options: { now: Date; leaseSeconds: number },
  work: () => Promise<T>,
): Promise<T | undefined> {
  if ((await store.claim(key, options.now, options.leaseSeconds)) !== 'claimed') return undefined;
  try {
    const result = await work();
    await store.completeClaim(key, options.now);
    return result;
  } catch (error) {
    await store.releaseClaim(key);
    throw error;
  }
}
