import { partnerLabel } from '#shared/domain/partnership.js';
import type { StepOf } from '#shared/domain/scheduled-step.js';
import { stepKey } from '#shared/domain/steps.js';
import { dayLabel } from '#templates/labels.js';
import { notifyMember } from '../../notify.js';
import type { DispatchOutcome, StepContext } from '../context.js';

/**
 * No silent standing (issue 16): after 24 hours without an answer both are asked once, kindly, and the
 * old deadline stays until someone agrees. (The step keeps its name for stored schedules.)
 */
export async function proposalStands(
  { deps, members, now }: StepContext,
  step: StepOf<'proposal_stands'>,
): Promise<DispatchOutcome> {
  const proposal = await deps.store.getProposal(step.partnershipId, step.proposalId);
  if (proposal?.status !== 'pending') return 'skipped';
  const date = dayLabel(proposal.proposedDate);
  const proposer = members.find((each) => each.id === proposal.proposedBy);
  for (const each of members) {
    if (each.status === 'opted_out') continue;
    if (each.id === proposal.proposedBy) {
      const values = { name: each.name, partner: partnerLabel(members, each), date };
      await notifyMember(deps, each, 'deadlineStillWaiting', values, stepKey(step), now);
    } else if (proposal.approverIds.includes(each.id)) {
      const values = { name: each.name, partner: proposer?.name ?? partnerLabel(members, each), date };
      await notifyMember(deps, each, 'deadlineStillAsked', values, stepKey(step), now);
    }
  }
  return 'sent';
}
