import type { StepOf } from '#shared/domain/scheduled-step.js';
import { emailMember } from '../../member-email.js';
import { type DispatchOutcome, type StepContext, sentIf } from '../context.js';

/** Our answer to a member's email reply, in the same thread. */
export async function emailReply(
  { deps, member, now }: StepContext,
  step: StepOf<'email_reply'>,
): Promise<DispatchOutcome> {
  const email = {
    template: 'reply',
    values: { subject: step.subject, message: step.message },
    localDate: step.localDate,
    ...(step.inReplyTo ? { inReplyTo: step.inReplyTo } : {}),
  } as const;
  return sentIf(await emailMember(deps, member, email, now));
}
