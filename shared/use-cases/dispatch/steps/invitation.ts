import { invitedBy, type Member } from '#shared/domain/partnership.js';
import type { StorePort } from '#shared/domain/ports.js';
import { outsideQuietHours } from '#shared/domain/quiet-hours.js';
import type { StepOf } from '#shared/domain/scheduled-step.js';
import { stepKey } from '#shared/domain/steps.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import { renderSms } from '#templates/sms.js';
import { emailMember } from '../../member-email.js';
import { notifyMember } from '../../notify.js';
import { takeUnpromptedText, textMember } from '../../safety-valves.js';
import type { DispatchOutcome, StepContext } from '../context.js';

/** The invitation: by text (after the invitee's quiet hours) and by email to those who gave an address. */
export async function invitation(ctx: StepContext, step: StepOf<'invitation'>): Promise<DispatchOutcome> {
  const { deps, member, now } = ctx;
  // Sent once, to someone still invited (a member who already answered needs no invitation).
  if (member.status !== 'invited') return 'skipped';
  const values = { name: member.name, partner: invitedBy(ctx.members, member), goal: member.goal };
  // Someone already in another trial joins this one with JOIN: their YES answers that one's check-in.
  const template = (await inAnotherPartnership(deps.store, member)) ? 'invitationJoin' : 'invitation';
  // Nobody is texted inside their quiet hours, not even to be invited: then it waits for the morning.
  if (outsideQuietHours(now, member.timezone, member.quietHours) > now) {
    await notifyMember(deps, member, template, values, stepKey(step), now);
  } else if (await takeUnpromptedText(deps.store, member, now)) {
    await textMember(deps, member, renderSms(template, values), now);
  }
  // Members who gave an address also get it by email; joining is still a YES by text.
  const email = {
    template: 'invitation',
    values: { partner: values.partner },
    localDate: localDateOf(now, member.timezone),
  } as const;
  await emailMember(deps, member, email, now);
  return 'sent';
}

/** Whether the phone is already in another partnership it joined: then an invitation asks for JOIN. */
async function inAnotherPartnership(store: StorePort, member: Member): Promise<boolean> {
  for (const membership of await store.findMembershipsByPhone(member.phone)) {
    if (membership.partnershipId === member.partnershipId) continue;
    const found = await store.getPartnership(membership.partnershipId);
    const other = found?.members.find((each) => each.id === membership.memberId);
    if (other && (other.status === 'active' || other.status === 'paused')) return true;
  }
  return false;
}
