export type ClaimResult = 'claimed' | 'already_done' | 'in_progress';

/** Idempotency keys: each piece of work (a scheduled step, a callback) done once. */
export interface ClaimStorePort {
  /** Claims an idempotency key; a claim left unfinished longer than leaseSeconds may be taken over. */
  claim(key: string, at: Date, leaseSeconds: number): Promise<ClaimResult>;
  completeClaim(key: string, at: Date): Promise<void>;
  releaseClaim(key: string): Promise<void>;
}

/** A send's claim: as a claim, and whether it took over an earlier attempt's (see SendClaimPort). */
export interface SendClaim {
  claim: ClaimResult;
  /**
   * Present when this claim took over one whose lease ran out (or that was given up): when the key was
   * first claimed. That earlier attempt may have reached the provider, so ask it before sending again.
   */
  takenOverSince?: Date;
}

/**
 * The claim of a message about to go to a provider (the last thing before the provider call): only the
 * sender writes it, so it is a port of its own (the other functions' bundles carry none of it).
 */
export interface SendClaimPort {
  /** Claims a send's key as `claim` does, saying when it took over an earlier attempt's claim. */
  claimSend(key: string, at: Date, leaseSeconds: number): Promise<SendClaim>;
  /**
   * Gives a send's claim up (its provider call failed) so that a redelivery may take it over at once: as
   * a takeover, since the provider may have accepted the message before the call failed.
   */
  releaseSend(key: string): Promise<void>;
}
