import type { Member, Partnership } from './partnership.js';
import { DEFAULT_QUIET_HOURS } from './quiet-hours.js';

/**
 * The one-page charter every member receives on Day 1: what we agreed, in plain words. Built only from
 * the enrollment and later tweaks, so it can be sent again whenever one of them changes.
 */
export interface Charter {
  values: string;
  cadence: string;
  gracePolicy: string;
  quietHours: string;
}

/** The values every partnership starts from: support first, honesty without shame, small steps. */
export const SHARED_VALUES =
  'Support before status; honesty without shame; small steady steps; ask before advising.';

export function charterFor(partnership: Pick<Partnership, 'graceTokensPerMonth'>, member: Member): Charter {
  const days = member.cadence === 'weekdays' ? 'Monday to Friday' : 'Every day';
  const channel = member.checkInBy === 'email' ? 'by email' : 'by text';
  const quiet = member.quietHours ?? DEFAULT_QUIET_HOURS;
  const tokens = partnership.graceTokensPerMonth;
  return {
    values: SHARED_VALUES,
    cadence: `${days} at ${member.checkInTime} (${member.timezone}), ${channel}.`,
    gracePolicy:
      tokens === 0
        ? 'No grace days are set; a pause is always there if life gets busy.'
        : `${tokens} no-guilt grace ${tokens === 1 ? 'day' : 'days'} each month, no questions asked. After a grace day, the next check-in simply picks things up again.`,
    quietHours: `${quiet.start} to ${quiet.end}: no messages from us then.`,
  };
}
