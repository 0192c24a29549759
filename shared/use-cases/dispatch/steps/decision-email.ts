import type { StepOf } from '#shared/domain/scheduled-step.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import { CHOICE_WORDS, decisionNextSteps } from '#templates/labels.js';
import { emailMember } from '../../member-email.js';
import { type DispatchOutcome, type StepContext, sentIf } from '../context.js';

/** The Day-14 choice confirmed by email, with what happens next. */
export async function decisionEmail(
  { deps, member, now }: StepContext,
  { choice }: StepOf<'decision_email'>,
): Promise<DispatchOutcome> {
  const values = { choice: CHOICE_WORDS[choice], nextSteps: decisionNextSteps(member, choice) };
  const localDate = localDateOf(now, member.timezone);
  return sentIf(
    await emailMember(deps, member, { template: 'decisionConfirmation', values, localDate }, now),
  );
}
