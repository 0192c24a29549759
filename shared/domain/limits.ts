/**
 * Safety valves against loops, floods and SMS pumping, as data. Each is a counter taken with one
 * conditional write (StorePort.takeQuota), so concurrent requests can never exceed it.
 */
export const limits = {
  /** Enrollments per API key per minute (each one texts up to 8 people). */
  enrollmentsPerKeyPerMinute: 30,
  /**
   * Unprompted texts to one member on one local day. The plan never needs more than 6 (check-in, news,
   * board, keeper, weekly prompt, charter link) plus a few partner notifications; past this something
   * is looping, and the rest of the day's texts are dropped and logged instead of sent.
   */
  textsPerMemberPerDay: 12,
} as const;
