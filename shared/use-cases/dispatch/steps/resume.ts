import type { Member } from '#shared/domain/partnership.js';
import type { StepOf } from '#shared/domain/scheduled-step.js';
import { nextCheckInLabel } from '#templates/labels.js';
import { renderSms } from '#templates/sms.js';
import { textMember } from '../../safety-valves.js';
import { scheduleCheckIn } from '../../schedule-check-in.js';
import type { DispatchOutcome, StepContext } from '../context.js';

/** The end of a pause: welcome back, and the check-ins carry on from the day the pause ends. */
export async function resume(ctx: StepContext, step: StepOf<'resume'>): Promise<DispatchOutcome> {
  const { deps, member, now } = ctx;
  if (!(await deps.store.resumeMember(member.partnershipId, member.id, now, step.pausedUntil)))
    return 'skipped';
  const active: Member = { ...member, status: 'active' };
  await deps.store.recordEvent(member.partnershipId, {
    memberId: member.id,
    kind: 'resume',
    at: now.toISOString(),
  });
  const welcome = renderSms('welcomeBack', { name: member.name, next: nextCheckInLabel(active, now) });
  await textMember(deps, member, welcome, now);
  if (ctx.partnership.startedAt) await scheduleCheckIn(deps.scheduler, active, step.pausedUntil);
  return 'sent';
}
