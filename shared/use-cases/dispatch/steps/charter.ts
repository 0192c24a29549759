import { charterFor } from '#shared/domain/charter.js';
import { partnerLabel } from '#shared/domain/partnership.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import { charterEmailValues, emailMember } from '../../member-email.js';
import { type DispatchOutcome, type StepContext, sentIf } from '../context.js';

/** The charter again by email, after a TWEAK changed it. */
export async function charter({
  deps,
  partnership,
  members,
  member,
  now,
}: StepContext): Promise<DispatchOutcome> {
  const values = {
    partner: partnerLabel(members, member),
    ...charterEmailValues(charterFor(partnership, members, member)),
  };
  const localDate = localDateOf(now, member.timezone);
  return sentIf(await emailMember(deps, member, { template: 'charter', values, localDate }, now));
}
