import type { StepOf } from '#shared/domain/scheduled-step.js';
import { stepKey } from '#shared/domain/steps.js';
import { notifyMember } from '../../notify.js';
import type { DispatchOutcome, StepContext } from '../context.js';

/** A week without a yes: those who joined hear it kindly; the invitee is not texted again (a later YES still joins). */
export async function invitationLapse(
  { deps, members, member, now }: StepContext,
  step: StepOf<'invitation_lapse'>,
): Promise<DispatchOutcome> {
  if (member.status !== 'invited') return 'skipped';
  await deps.store.recordEvent(member.partnershipId, {
    memberId: member.id,
    kind: 'invitation_lapsed',
    at: now.toISOString(),
  });
  for (const each of members) {
    if (each.status !== 'active') continue;
    const values = { name: each.name, partner: member.name };
    await notifyMember(deps, each, 'invitationLapsed', values, stepKey(step), now);
  }
  return 'sent';
}
