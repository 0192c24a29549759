/** Counted allowances: a rate limit, a daily cap. */
export interface QuotaStorePort {
  /**
   * Takes one unit of a counted allowance in one conditional write; false once `limit` units were taken.
   * The counter expires by itself after `expiresAt`.
   */
  takeQuota(key: string, limit: number, expiresAt: Date): Promise<boolean>;
  /** Gives back one unit taken for something that then failed (never below zero). */
  returnQuota(key: string): Promise<void>;
}
