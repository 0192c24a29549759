import * as z from './zod.js';

const base = {
  version: z.literal(1),
  partnershipId: z.string().check(z.minLength(1)),
  /** The member the step is for (the recipient of a notification). */
  memberId: z.string().check(z.minLength(1)),
  /** Deterministic: the same step always gets the same name, so re-creating it is harmless. */
  scheduleName: z.string().check(z.minLength(1), z.maxLength(64)),
  /** UTC instant the step is due, in ISO 8601. With the name, the step's idempotency key. */
  scheduledTime: z.iso.datetime(),
};

/**
 * The versioned payload a schedule carries to the dispatcher: a one-time step, stored by the scheduler
 * and handed back when due. The type is inferred from it; shared/domain/steps.ts builds every step.
 */
export const scheduledStepSchema = z.discriminatedUnion('kind', [
  /** The daily check-in of one member on one local date. */
  z.object({ ...base, kind: z.literal('check_in'), localDate: z.iso.date() }),
  /** A text to one member: a forwarded need, a win, an acknowledgement, partner news. */
  z.object({
    ...base,
    kind: z.literal('notify'),
    template: z.string().check(z.minLength(1)),
    values: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  /** The end of a member's pause: welcome back and the check-ins carry on. */
  z.object({ ...base, kind: z.literal('resume'), pausedUntil: z.iso.date() }),
  /** A deadline proposal nobody answered in 24 hours: both are asked once more (the name is historical). */
  z.object({ ...base, kind: z.literal('proposal_stands'), proposalId: z.string().check(z.minLength(1)) }),
  /** The invitation, by text (after quiet hours) and by email: sent by the sender, as every text is. */
  z.object({ ...base, kind: z.literal('invitation') }),
  /** Seven days after the invitation: someone who has not joined is not waited on any more. */
  z.object({ ...base, kind: z.literal('invitation_lapse') }),
  /** A team's support board digest for one member on one local date, at the team's board time. */
  z.object({ ...base, kind: z.literal('board_digest'), localDate: z.iso.date() }),
  /** The charter again, by email, after a TWEAK changed it. */
  z.object({ ...base, kind: z.literal('charter') }),
  /** Our answer to a member's email reply, by email in the same thread. */
  z.object({
    ...base,
    kind: z.literal('email_reply'),
    subject: z.string().check(z.maxLength(998)),
    message: z.string().check(z.maxLength(10_000)),
    localDate: z.iso.date(),
    inReplyTo: z.optional(z.string().check(z.maxLength(998))),
  }),
  /** The Day-14 choice confirmed by email (the text answer has already gone). */
  z.object({ ...base, kind: z.literal('decision_email'), choice: z.enum(['continue', 'tweak', 'pause']) }),
]);

/** A one-time step, stored by the scheduler and handed back to the dispatcher when due. */
export type ScheduledStep = z.infer<typeof scheduledStepSchema>;
export type StepKind = ScheduledStep['kind'];
/** The step of one kind. */
export type StepOf<K extends StepKind> = Extract<ScheduledStep, { kind: K }>;
