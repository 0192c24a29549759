import type { StepOf } from '#shared/domain/scheduled-step.js';
import { renderSms, type SmsTemplate, smsCopy } from '#templates/sms.js';
import { takeUnpromptedText, textMember } from '../../safety-valves.js';
import type { DispatchOutcome, StepContext } from '../context.js';

/** A text one member's partner caused (a forwarded need, an acknowledgement …), within the daily cap. */
export async function notify(
  { deps, member, now }: StepContext,
  step: StepOf<'notify'>,
): Promise<DispatchOutcome> {
  if (!(step.template in smsCopy)) throw new Error(`Unknown SMS template ${step.template}`);
  // Texts others cause are capped per person per day, across partnerships: the rest are held.
  if (!(await takeUnpromptedText(deps.store, member, now))) return 'held';
  await textMember(deps, member, renderSms(step.template as SmsTemplate, step.values), now);
  return 'sent';
}
