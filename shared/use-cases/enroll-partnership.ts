import { plusDays } from '#shared/domain/calendar.js';
import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { Clock } from '#shared/domain/clock.js';
import { type Enrollment, enrollmentSchema } from '#shared/domain/enrollment.js';
import { ConflictError, ValidationError, validationIssues } from '#shared/domain/errors.js';
import { memberId, newPartnershipId } from '#shared/domain/ids.js';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import type {
  HistoryStorePort,
  PartnershipStorePort,
  PersonStorePort,
  SchedulerPort,
} from '#shared/domain/ports.js';
import * as steps from '#shared/domain/steps.js';
import { isTeam, teamPlan } from '#shared/domain/team.js';
import { whyNotTextable } from '#shared/domain/textable-number.js';
import { trialPlan } from '#shared/domain/trial-plan.js';
import { membersAtPartnershipLimit, suppressedMembers } from './consent.js';
import { scheduleAtInstant } from './notify.js';
import { scheduleBoardDigest, scheduleCheckIn } from './schedule-check-in.js';

export interface EnrollDeps {
  /** What enrolling reads and writes: the partnership, its history, consent. */
  store: PartnershipStorePort & HistoryStorePort & Pick<PersonStorePort, 'getPerson'>;
  scheduler: SchedulerPort;
  clock: Clock;
  /**
   * ISO country codes we text (defaults to the countries of the sending number where that is known;
   * undefined: every country, and only the number type is checked).
   */
  smsCountries?: readonly string[];
}

/**
 * Enroll a partnership.
 * Primary course: validate the enrollment → store the partnership and its members → schedule, for
 * every member, the invitation (due now: the sender texts it, asking for YES and saying how to opt
 * out, and emails it to those who gave an address) and the day, a week on, when an invitation nobody
 * answered stops being waited on.
 */
export async function enrollPartnership(
  deps: EnrollDeps,
  input: unknown,
  /**
   * `joined`: every member already said YES by text (a self-serve setup): nobody is invited again, and
   * the trial starts as it does when the last invitation is answered, with everyone's first check-in
   * the day after.
   */
  options: { joined?: boolean } = {},
): Promise<{ partnership: Partnership; members: Member[] }> {
  const parsed = enrollmentSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(validationIssues(parsed.error.issues));
  const enrollment: Enrollment = parsed.data;
  const refused = enrollment.members.flatMap((member, index) => {
    const why = whyNotTextable(member.phone, deps.smsCountries);
    return why ? [{ path: `members.${index}.phone`, message: why }] : [];
  });
  if (refused.length) throw new ValidationError(refused);
  // Nobody who told us to stop is enrolled again (nor anyone else with them): nothing is sent to anyone.
  const conflicts = [
    ...(await suppressedMembers(deps.store, enrollment)),
    ...(await membersAtPartnershipLimit(deps.store, enrollment, deps.clock.now())),
  ];
  if (conflicts.length) throw new ConflictError(conflicts);
  const now = deps.clock.now();
  const partnership: Partnership = {
    id: newPartnershipId(),
    createdAt: now.toISOString(),
    graceTokensPerMonth: enrollment.graceTokensPerMonth,
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
    status: options.joined ? 'active' : 'invited',
  }));
  await deps.store.createPartnership(partnership, members);
  if (options.joined) {
    await startJoined(deps, partnership, members, now);
    return { partnership, members };
  }
  const lapsesAt = new Date(now.getTime() + trialPlan.invite.waitDays * 86_400_000).toISOString();
  for (const member of members) {
    await scheduleAtInstant(deps.scheduler, steps.invitationLapse(member, lapsesAt));
    // The sender texts it (once the member's quiet hours are over) and emails it: every text leaves
    // through the send queue, so invitations keep to the SMS provider's rate as check-ins do.
    await scheduleAtInstant(deps.scheduler, steps.invitation(member, now));
  }
  return { partnership, members };
}

const addDays = (date: string, days: number) => plusDays(date, days) ?? date;

/** Everyone said yes already: the partnership starts now and each member's check-ins the day after. */
async function startJoined(deps: EnrollDeps, partnership: Partnership, members: Member[], now: Date) {
  // Conditional, as when the last member joins by text: a retried enrollment never starts it twice.
  if (!(await deps.store.markPartnershipStarted(partnership.id, now))) return;
  const first = members[0];
  if (first)
    await deps.store.recordEvent(partnership.id, {
      memberId: first.id,
      kind: 'started',
      at: now.toISOString(),
    });
  for (const member of members) {
    const first = nextCheckInDate(member, now, { notToday: true });
    await scheduleCheckIn(deps.scheduler, member, first);
    if (partnership.boardTime)
      await scheduleBoardDigest(deps.scheduler, member, partnership.boardTime, first);
  }
}

/** What POST /partnerships answers: the partnership, and each member's id, name and status. */
export const enrolledView = ({ partnership, members }: { partnership: Partnership; members: Member[] }) => ({
  ...partnership,
  members: members.map(({ id, name, status }) => ({ id, name, status })),
});
