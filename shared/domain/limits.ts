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
  /**
   * Texts that other people cause (an invitation, a partner's need, win or news of them) to one person
   * on one local day, across all their partnerships: the rest are held (not sent, logged). The plan's
   * own texts (check-ins and what rides with them) are bounded by the plan and not counted here.
   */
  unpromptedTextsPerPersonPerDay: 4,
  /** Partnerships one person (phone number) may be in at once, not counting those they left. */
  openPartnershipsPerPerson: 5,
  /** Texts the whole deployment sends in one UTC day; past it nothing more is sent that day. */
  textsPerDeploymentPerDay: 20_000,
  /** The share of the day's budget at which the operator is warned (once a day). */
  budgetAlertShare: 0.8,
  /** Self-serve: invitations one person may send by text in a UTC day, and in a UTC month. */
  setupInvitationsPerDay: 3,
  setupInvitationsPerMonth: 10,
  /** Self-serve: days an invitee who said NO (or never answered) is not invited again by the same person. */
  setupNoReinviteDays: 30,
  /** Self-serve: hours a setup left alone waits for its one nudge, and days before it is dropped. */
  setupNudgeHours: 24,
  setupDropDays: 7,
} as const;
