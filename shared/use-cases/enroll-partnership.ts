import { renderSms } from '../../templates/sms.js';
import type { Clock } from '../domain/clock.js';
import { type Enrollment, enrollmentSchema } from '../domain/enrollment.js';
import { ValidationError, validationIssues } from '../domain/errors.js';
import { memberId, newPartnershipId } from '../domain/ids.js';
import type { Member, Partnership } from '../domain/partnership.js';
import type { SmsPort, StorePort } from '../domain/ports.js';

export interface EnrollDeps {
  store: StorePort;
  sms: SmsPort;
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
 * member an invitation that asks for YES and says how to opt out.
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
  };
  const members: Member[] = enrollment.members.map((member, index) => ({
    ...member,
    id: memberId(index),
    partnershipId: partnership.id,
    status: 'invited',
  }));
  await deps.store.createPartnership(partnership, members);
  for (const member of members) {
    await deps.sms.send({
      to: member.phone,
      body: renderSms('invitation', { name: member.name, partner: invitedBy(members, member) }),
    });
  }
  return { partnership, members };
}
