// @ts-check
/** The stack's names for things, in words a person reads. */

/** The form's fields as a person names them, for error messages that say which field. */
export const FIELD_NAMES = /** @type {Record<string, string>} */ ({
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  checkInBy: 'Check in by email',
  timezone: 'Time zone',
  checkInTime: 'Check-in time',
  quietHours: 'Quiet hours',
  goal: 'Goal',
  graceTokensPerMonth: 'Grace days a month',
});

/** What each scheduled step will do, in words. */
export const STEP_WORDS = /** @type {Record<string, string>} */ ({
  check_in: 'daily check-in',
  notify: 'a text with news',
  resume: 'back from a pause',
  proposal_stands: 'a proposed change takes effect',
  invitation: 'invitation',
  invitation_lapse: 'the invitation ends if not answered',
  board_digest: 'support board',
  charter: 'link to the charter',
  email_reply: 'answer to an email',
  decision_email: 'confirms the Day-14 choice by email',
});

/** How a reply was understood, in words: the reply grammar's intents. */
export const INTENT_WORDS = /** @type {Record<string, string>} */ ({
  accept: 'yes to a proposal',
  daily: 'check in every day',
  date: 'a date',
  days: 'a number of days',
  deadline_move: 'a deadline move',
  decision: 'a choice for what comes next',
  goal: 'a new goal',
  grace: 'a grace day',
  help: 'a request for help',
  mood: 'how they feel',
  need: 'something that would help',
  not_today: 'not today',
  offer: 'an offer to help',
  on_it: 'on it: taking on a partner’s need',
  on_track: 'on track today',
  pause: 'a pause',
  quiet: 'new quiet hours',
  resume: 'back from a pause',
  start: 'start again',
  status: 'a question about where things stand',
  stop: 'stop messages',
  time: 'a new check-in time',
  tweak: 'a tweak',
  weekday: 'a day of the week',
  weekdays: 'check in on weekdays only',
  win: 'a win',
});

/** Why an emailed reply was not applied, in words. */
export const REJECT_WORDS = /** @type {Record<string, string>} */ ({
  verdict_failed: 'the mail checks failed',
  unauthenticated: 'the sender could not be verified',
  unparseable: 'the message could not be read',
  no_reply_token: 'it was not sent to one of our reply addresses',
  expired_token: 'it answers an email that is too old',
  unknown_member: 'we do not know that member',
  sender_mismatch: 'it came from an address other than the member’s',
});

export const CHECK_IN_WORDS = /** @type {Record<string, string>} */ ({
  sent: 'check-in sent',
  on_track: 'on track',
  answered: 'checked in',
  grace: 'grace',
});

export const MEMBER_STATUS_WORDS = /** @type {Record<string, string>} */ ({
  invited: 'invited, not joined yet',
  active: 'active',
  paused: 'paused',
  opted_out: 'stopped all messages',
});

/** Quiet hours when a member set none: the stack's own default. */
export const DEFAULT_QUIET_HOURS = { start: '21:00', end: '07:00' };
