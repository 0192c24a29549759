/**
 * Every one-time step we schedule, built in one place: its kind, its version, its schedule name (≤ 64
 * characters, deterministic: the same step always gets the same name, so re-creating it is harmless)
 * and the instant it is due. Prefixes, two letters each, tell the steps apart in the scheduler's list.
 * Each constructor is its own export, so a bundle carries only the ones it calls.
 */
import { createHash } from 'node:crypto';
import type { DeadlineProposal, Member } from './partnership.js';
import type { SetupStepPayload } from './ports.js';
import type { ScheduledStep, StepKind, StepOf } from './scheduled-step.js';
import { wallClockInstant } from './trial-plan.js';

/** Who a step is for: the member's partnership and id. */
type Recipient = Pick<Member, 'partnershipId' | 'id'>;
type Timed = Pick<Member, 'partnershipId' | 'id' | 'checkInTime' | 'timezone'>;

const digestOf = (text: string, length = 16) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);
const compact = (localDate: string) => localDate.replaceAll('-', '');

function step<K extends StepKind>(
  kind: K,
  member: Recipient,
  scheduleName: string,
  at: Date | string,
): {
  version: 1;
  kind: K;
  partnershipId: string;
  memberId: string;
  scheduleName: string;
  scheduledTime: string;
} {
  return {
    version: 1,
    kind,
    partnershipId: member.partnershipId,
    memberId: member.id,
    scheduleName,
    scheduledTime: typeof at === 'string' ? at : at.toISOString(),
  };
}

/**
 * The schedule name of a member's check-in on a local date. The time is part of it, so a TIME change
 * makes a new schedule; the old one, if it still fires, is stale.
 */
export function checkInScheduleName(
  member: Pick<Member, 'partnershipId' | 'id' | 'checkInTime'>,
  localDate: string,
) {
  return `ci-${member.partnershipId}-${member.id}-${compact(localDate)}-${member.checkInTime.replace(':', '')}`;
}

/** A short, stable name for a phone number in schedule names and keys (no number in either). */
export const phoneKey = (phone: string) => digestOf(phone, 20);

/** The names of a setup's nudge and drop timers at one revision (an answer re-arms them). */
export const setupTimerNames = (phone: string, revision: number) => ({
  nudge: `sn-${phoneKey(phone)}-${revision}`,
  drop: `sd-${phoneKey(phone)}-${revision}`,
});

// The sender's steps: `import * as steps from '#shared/domain/steps.js'`, then `steps.checkIn(member, date)`.

/** The member's check-in on a local date, at their check-in time in their zone. */
export const checkIn = (member: Timed, localDate: string): StepOf<'check_in'> => ({
  ...step(
    'check_in',
    member,
    checkInScheduleName(member, localDate),
    wallClockInstant(localDate, member.checkInTime, member.timezone),
  ),
  localDate,
});

/** A team member's support board digest on a local date, at the team's board time in their zone. */
export const boardDigest = (
  member: Recipient & Pick<Member, 'timezone'>,
  boardTime: string,
  localDate: string,
) => ({
  ...step(
    'board_digest',
    member,
    `bd-${member.partnershipId}-${member.id}-${compact(localDate)}`,
    wallClockInstant(localDate, boardTime, member.timezone),
  ),
  localDate,
});

/** A text to one member at `at`; `cause` (e.g. the inbound MessageSid) makes its name deterministic. */
export const notify = (
  recipient: Recipient,
  template: string,
  values: Record<string, string | number>,
  cause: string,
  at: Date,
): StepOf<'notify'> => ({
  ...step(
    'notify',
    recipient,
    `nt-${recipient.partnershipId}-${recipient.id}-${digestOf(`${cause}:${template}:${recipient.id}`)}`,
    at,
  ),
  template,
  values,
});

/** The end of a pause on `until`, at the member's check-in time. */
export const resume = (member: Timed, until: string): StepOf<'resume'> => ({
  ...step(
    'resume',
    member,
    `rs-${member.partnershipId}-${member.id}-${compact(until)}`,
    wallClockInstant(until, member.checkInTime, member.timezone),
  ),
  pausedUntil: until,
});

/** A deadline proposal's 24 hours are up: for the member whose deadline it is, named by its proposer. */
export const proposalStands = (proposal: DeadlineProposal): StepOf<'proposal_stands'> => ({
  ...step(
    'proposal_stands',
    { partnershipId: proposal.partnershipId, id: proposal.memberId },
    `dl-${proposal.partnershipId}-${proposal.proposedBy}-${Math.floor(Date.parse(proposal.proposedAt) / 1000)}`,
    proposal.standsAt,
  ),
  proposalId: proposal.id,
});

/** The invitation, sent by the sender at `at`. */
export const invitation = (member: Recipient, at: Date): StepOf<'invitation'> =>
  step('invitation', member, `in-${member.partnershipId}-${member.id}`, at);

/** The end of the wait for an invitee, at `at`. */
export const invitationLapse = (member: Recipient, at: Date | string): StepOf<'invitation_lapse'> =>
  step('invitation_lapse', member, `iv-${member.partnershipId}-${member.id}`, at);

/** The charter again by email, right away; `cause` (the reply that changed it) names it. */
export const charter = (member: Recipient, cause: string, now: Date): StepOf<'charter'> =>
  step('charter', member, `ch-${member.partnershipId}-${member.id}-${digestOf(cause)}`, now);

/** The Day-14 choice confirmed by email, right away; `cause` (the reply that chose) names it. */
export const decisionEmail = (
  member: Recipient,
  choice: StepOf<'decision_email'>['choice'],
  cause: string,
  now: Date,
): StepOf<'decision_email'> => ({
  ...step('decision_email', member, `dc-${member.partnershipId}-${member.id}-${digestOf(cause)}`, now),
  choice,
});

/** Our answer to an email reply, right away, named by the reply's SES message id. */
export const emailReply = (
  member: Recipient,
  sesMessageId: string,
  email: Pick<StepOf<'email_reply'>, 'subject' | 'message' | 'localDate' | 'inReplyTo'>,
  now: Date,
): StepOf<'email_reply'> => ({
  ...step('email_reply', member, `er-${digestOf(sesMessageId, 40)}`, now),
  subject: email.subject,
  message: email.message,
  localDate: email.localDate,
  ...(email.inReplyTo === undefined ? {} : { inReplyTo: email.inReplyTo }),
});

type SetupKind = SetupStepPayload['kind'];
type SetupStepOf<K extends SetupKind> = Extract<SetupStepPayload, { kind: K }>;

function setupStep<K extends SetupKind>(kind: K, phone: string, scheduleName: string, at: Date) {
  return { version: 1 as const, kind, phone, scheduleName, scheduledTime: at.toISOString() };
}

// The self-serve setup's steps, run by the setup function (no partnership yet: a phone number).

/** A text from a stranger or a number in setup, answered once per MessageSid, right away. */
export const setupText = (
  phone: string,
  messageSid: string,
  body: string,
  now: Date,
): SetupStepOf<'setup_text'> => ({
  ...setupStep('setup_text', phone, `st-${messageSid}`, now),
  messageSid,
  body,
});

/** The nudge of a setup left unanswered, for one revision. */
export const setupNudge = (phone: string, revision: number, at: Date): SetupStepOf<'setup_nudge'> => ({
  ...setupStep('setup_nudge', phone, setupTimerNames(phone, revision).nudge, at),
  revision,
});

/** The drop of a setup left unanswered, for one revision. */
export const setupDrop = (phone: string, revision: number, at: Date): SetupStepOf<'setup_drop'> => ({
  ...setupStep('setup_drop', phone, setupTimerNames(phone, revision).drop, at),
  revision,
});

/** An invitation held until the end of the invitee's quiet hours. */
export const setupInvite = (phone: string, invitedBy: string, at: Date): SetupStepOf<'setup_invite'> => ({
  ...setupStep('setup_invite', phone, `si-${phoneKey(phone)}-${phoneKey(invitedBy).slice(0, 12)}`, at),
  invitedBy,
});

/**
 * The one idempotency key of a step: schedule name and scheduled time, never the execution id. What the
 * step causes is keyed from it (the texts it schedules, the check-in it records as sent by it).
 */
export function stepKey(step: Pick<ScheduledStep, 'scheduleName' | 'scheduledTime'>): string {
  return `${step.scheduleName}@${step.scheduledTime}`;
}
