import { DateTime } from 'luxon';
import { renderSms } from '../../templates/sms.js';
import type { Clock } from '../domain/clock.js';
import { type Enrollment, enrollmentSchema } from '../domain/enrollment.js';
import { ValidationError, validationIssues } from '../domain/errors.js';
import { memberId, newPartnershipId } from '../domain/ids.js';
import type { Member, Partnership } from '../domain/partnership.js';
import type { SchedulerPort, SmsPort, StorePort } from '../domain/ports.js';
import { outsideQuietHours } from '../domain/quiet-hours.js';
import { isTeam, teamPlan } from '../domain/team.js';
import { localDateOf, trialPlan } from '../domain/trial-plan.js';
import { emailMember, type MemberEmailDeps } from './member-email.js';
import { notifyMember } from './notify.js';
import { textMember } from './safety-valves.js';

export interface EnrollDeps extends MemberEmailDeps {
  store: StorePort;
  sms: SmsPort;
  scheduler: SchedulerPort;
  clock: Clock;
}

/** How the invitation names who else is in it: the partner's name, or "Your team" for groups. */
function invitedBy(members: Member[], self: Member): string {
  const others = members.filter((member) => member.id !== self.id);
  return others.length === 1 && others[0] ? others[0].name : 'Your team';
}

/**
 * Enroll a partnership.
 * Primary course: validate the enrollment → store the partnership and its members → text every
 * member an invitation that asks for YES and says how to opt out (and email it to those who gave
 * an address) → schedule the day, a week on,
 * when an invitation nobody answered stops being waited on.
 */
export async function enrollPartnership(
  deps: EnrollDeps,
  input: unknown,
): Promise<{ partnership: Partnership; members: Member[] }> {
  const parsed = enrollmentSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(validationIssues(parsed.error.issues));
  const enrollment: Enrollment = parsed.data;
  const now = deps.clock.now();
  const partnership: Partnership = {
    id: newPartnershipId(),
    createdAt: now.toISOString(),
    graceTokensPerMonth: enrollment.graceTokensPerMonth,
    channels: enrollment.channels,
    ...(enrollment.organiser ? { organiser: enrollment.organiser } : {}),
    ...(isTeam(enrollment.members)
      ? { boardTime: enrollment.boardTime ?? teamPlan.defaultBoardTime, bufferDays: enrollment.bufferDays }
      : {}),
  };
  const members: Member[] = enrollment.members.map((member, index) => ({
    ...member,
    // A team's shared buffer is added to every deadline up front, so what members see is the real date.
    ...(member.deadline && partnership.bufferDays
      ? { deadline: addDays(member.deadline, partnership.bufferDays) }
      : {}),
    id: memberId(index),
    partnershipId: partnership.id,
    status: 'invited',
  }));
  await deps.store.createPartnership(partnership, members);
  const lapsesAt = new Date(now.getTime() + trialPlan.invite.waitDays * 86_400_000).toISOString();
  for (const member of members) {
    await deps.scheduler.schedule(
      {
        version: 1,
        kind: 'invitation_lapse',
        partnershipId: partnership.id,
        memberId: member.id,
        scheduleName: `iv-${partnership.id}-${member.id}`,
        scheduledTime: lapsesAt,
      },
      { localDateTime: lapsesAt.slice(0, 19), timezone: 'UTC' },
    );
    const invitation = { name: member.name, partner: invitedBy(members, member) };
    // Nobody is texted inside their quiet hours, not even to be invited: then it waits for the morning.
    if (outsideQuietHours(now, member.timezone, member.quietHours) > now) {
      await notifyMember(deps, member, 'invitation', invitation, `enroll-${partnership.id}`, now);
    } else {
      await textMember(deps, member, renderSms('invitation', invitation), now);
    }
    // Members who gave an address also get the invitation by email; joining is still a YES by text.
    await emailMember(
      deps,
      member,
      {
        template: 'invitation',
        values: { partner: invitedBy(members, member) },
        localDate: localDateOf(now, member.timezone),
      },
      now,
    );
  }
  return { partnership, members };
}

const addDays = (date: string, days: number) => DateTime.fromISO(date).plus({ days }).toISODate() ?? date;
