export type ClaimResult = 'claimed' | 'already_done' | 'in_progress';

/** Idempotency keys: each piece of work (a scheduled step, a callback) done once. */
export interface ClaimStorePort {
  /** Claims an idempotency key; a claim left unfinished longer than leaseSeconds may be taken over. */
  claim(key: string, at: Date, leaseSeconds: number): Promise<ClaimResult>;
  completeClaim(key: string, at: Date): Promise<void>;
  releaseClaim(key: string): Promise<void>;
}
