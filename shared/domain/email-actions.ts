import type { Intent } from './conversation/types.js';

/**
 * The buttons in our emails, as data. Each one is a signed link to a small confirmation page: opening
 * it shows what will happen (mail scanners open links too, so a GET never changes anything), and the
 * page's button applies it, exactly as the same word in a reply would.
 */
export interface EmailAction {
  /** What the reply grammar would have read from the same words. */
  intent: Intent;
  /** The confirmation page's question and button. */
  question: string;
  button: string;
  /** The action answers one day's check-in: it is refused once a later check-in has been sent. */
  answersCheckIn: boolean;
  /** How long the link works after the email is sent, in days. */
  validDays: number;
}

const mood = (score: 1 | 2 | 3 | 4 | 5, label: string): EmailAction => ({
  intent: { kind: 'mood', score },
  question: `Note that today feels like a ${score} out of 5 (${label})?`,
  button: `Yes, today is a ${score}`,
  answersCheckIn: true,
  validDays: 3,
});

export const emailActions = {
  yes: {
    intent: { kind: 'on_track' },
    question: 'Tell your partner you are on track today?',
    button: 'Yes, I am on track',
    answersCheckIn: true,
    validDays: 3,
  },
  grace: {
    intent: { kind: 'grace' },
    question: 'Take a grace day today? No guilt, no questions: that is what they are for.',
    button: 'Take a grace day',
    answersCheckIn: true,
    validDays: 3,
  },
  'mood-1': mood(1, 'rough'),
  'mood-2': mood(2, 'a bit low'),
  'mood-3': mood(3, 'okay'),
  'mood-4': mood(4, 'good'),
  'mood-5': mood(5, 'great'),
  continue: {
    intent: { kind: 'decision', choice: 'continue' },
    question: 'Carry on for another 14 days, just as you are?',
    button: 'Continue',
    answersCheckIn: false,
    validDays: 14,
  },
  tweak: {
    intent: { kind: 'decision', choice: 'tweak' },
    question: 'Carry on with a tweak to your time, days or goal?',
    button: 'Tweak',
    answersCheckIn: false,
    validDays: 14,
  },
  pause: {
    intent: { kind: 'pause' },
    question: 'Take a pause? We keep everything, and RESUME brings you back.',
    button: 'Pause',
    answersCheckIn: false,
    validDays: 14,
  },
} as const satisfies Record<string, EmailAction>;

export type EmailActionName = keyof typeof emailActions;

export function isEmailAction(name: string): name is EmailActionName {
  return Object.hasOwn(emailActions, name);
}

/** The one link that is not an answer: stop emails (RFC 8058 one-click). Works for a year. */
export const UNSUBSCRIBE_ACTION = 'unsubscribe';
export const UNSUBSCRIBE_VALID_DAYS = 365;

/**
 * The way back after an unsubscribe: offered on the page that confirms it, its own scope so neither an
 * unsubscribe nor a button token opens it. Works for a year, as the unsubscribe does.
 */
export const RESUBSCRIBE_ACTION = 'resubscribe';
export const RESUBSCRIBE_VALID_DAYS = 365;

/** A reply address stops working this many days after the check-in it answers. */
export const REPLY_ADDRESS_VALID_DAYS = 21;
