import { dayLabel } from './calendar.js';
import type { Member, Partnership } from './partnership.js';
import { DEFAULT_QUIET_HOURS } from './quiet-hours.js';

/**
 * The one-page charter every member receives on Day 1: what we agreed, in plain words. Built only from
 * the enrollment and later tweaks, so it is sent again whenever a TWEAK changes it, and the page behind
 * its link always shows the charter as it stands.
 */
export interface Charter {
  values: string;
  cadence: string;
  channels: string;
  gracePolicy: string;
  setbacks: string;
  wins: string;
  quietHours: string;
  /** Everyone's goal and deadline, one per member. */
  goals: string[];
}

/** The soft rules every partnership starts from, as the charter words them. */
export const charterWords = {
  values: 'Support before status; honesty without shame; small steady steps; ask before advising.',
  setbacks:
    'A slip is just information: take a grace day, pause, or tell your partner what would help. Partners hear what you need, never that you slipped.',
  wins: 'Small wins count. Reply WIN and your partner hears it the same day; the Day-14 review remembers them.',
  reEngage: 'After a grace day or a pause, the next check-in simply picks things up again.',
} as const;

export function charterFor(
  partnership: Pick<Partnership, 'graceTokensPerMonth' | 'bufferDays'>,
  members: readonly Member[],
  member: Member,
): Charter {
  const days = member.cadence === 'weekdays' ? 'Monday to Friday' : 'Every day';
  const quiet = member.quietHours ?? DEFAULT_QUIET_HOURS;
  const tokens = partnership.graceTokensPerMonth;
  const buffer = partnership.bufferDays
    ? ` Deadlines include a shared buffer of ${partnership.bufferDays} days.`
    : '';
  return {
    values: charterWords.values,
    cadence: `${days} at ${member.checkInTime} (${member.timezone}).`,
    channels:
      member.checkInBy === 'email'
        ? 'Check-ins by email; news and reminders by text.'
        : member.email
          ? 'Check-ins by text; the charter and reviews by email too.'
          : 'Check-ins and news by text.',
    gracePolicy:
      tokens === 0
        ? `No grace days are set; a pause is always there if life gets busy. ${charterWords.reEngage}`
        : `${tokens} no-guilt grace ${tokens === 1 ? 'day' : 'days'} each month, for the days life gets in the way. ${charterWords.reEngage}`,
    setbacks: `${charterWords.setbacks}${buffer}`,
    wins: charterWords.wins,
    quietHours: `${quiet.start} to ${quiet.end}: no messages from us then.`,
    goals: members
      .filter((each) => each.status !== 'opted_out')
      .map((each) => `${each.name}: ${each.goal}${each.deadline ? `, by ${dayLabel(each.deadline)}` : ''}`),
  };
}
