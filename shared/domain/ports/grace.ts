/** The grace ledger: tokens a member spent in one local month. */
export interface GraceStorePort {
  /** Spends one grace token in one conditional write; returns tokens left, or undefined when none were left. */
  spendGraceToken(
    partnershipId: string,
    memberId: string,
    month: string,
    allowance: number,
  ): Promise<number | undefined>;
  graceSpent(partnershipId: string, memberId: string, month: string): Promise<number>;
}
