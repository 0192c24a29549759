/**
 * The message budget, as data: how many texts a member gets without asking (answers to their own
 * texts aside), and what rides with what. Read with docs/conversation.md, which prints the figures the
 * budget test (test/integration/message-budget.test.ts) measures over the local stack.
 */
export const messageBudget = {
  /** An ordinary day: the check-in, carrying whatever news is due, and nothing else unprompted. */
  ordinaryDay: { checkIn: 1 },
  /**
   * Sent at once, whatever the day: a partner asking for help (a pair's need, a team's support board),
   * someone taking it on (ON IT), and a deadline proposal waiting for an OK.
   */
  atOnce: ['needForward', 'needOnIt', 'board', 'deadlineProposal', 'deadlineCountered'],
  /** A plan day (Day 1, Day 14) may bring one text more: the charter link for members without email. */
  planDayExtra: 1,
  /**
   * News rides with the recipient's next check-in: a pair's "checked in", grace, wins and offers,
   * ON IT in a team, each member's Day-14 choice, the keeper of the week and the team's weekly line.
   * What does not fit the check-in's one segment waits for the next one; after this long it is dropped.
   */
  newsStaleAfterHours: 72,
  /**
   * A member who has not answered a review hears one gentle reminder, inside the check-in this many
   * days after it; then their check-ins carry on unchanged.
   */
  reviewReminderAfterDays: 2,
  /** An emailed reply is answered by email only with one of these: something changed that the member must know. */
  emailConfirms: [
    'graceSpent',
    'graceNoneLeft',
    'paused',
    'welcomeBack',
    'notPaused',
    'decidedContinue',
    'decidedTweak',
    'decidedPause',
    'decisionStands',
    'tweakTime',
    'tweakQuiet',
    'tweakWeekdays',
    'tweakDaily',
    'tweakGoal',
    'quietSet',
    'quietClash',
    'deadlineProposed',
    'deadlineAgreed',
    'deadlinePast',
    'status',
    'help',
    'clarify',
    'noOpenNeed',
    'needReceived',
    'needOnBoard',
    // Questions asked before acting on an inferred reading: the member must see them to answer.
    'confirmNeed',
    'confirmOffer',
    'confirmWin',
    'confirmDeadline',
    'confirmDeclined',
    'confirmNothing',
    'pauseHowLong',
    'pauseAsk',
    'pausedOneDay',
  ],
  /** The targets over a 14-day trial where everyone replies every day, for a pair and a team of four. */
  targets: { averagePerDay: 1.5, maxOnOneDayAfterDay1: 3 },
} as const;
