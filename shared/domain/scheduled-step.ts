import type { ScheduledStep } from './ports.js';
import * as z from './zod.js';

const base = {
  version: z.literal(1),
  partnershipId: z.string().check(z.minLength(1)),
  memberId: z.string().check(z.minLength(1)),
  scheduleName: z.string().check(z.minLength(1), z.maxLength(64)),
  scheduledTime: z.iso.datetime(),
};

/** The versioned payload a schedule carries to the dispatcher. */
export const scheduledStepSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('check_in'), localDate: z.iso.date() }),
  z.object({
    ...base,
    kind: z.literal('notify'),
    template: z.string().check(z.minLength(1)),
    values: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  z.object({ ...base, kind: z.literal('resume'), pausedUntil: z.iso.date() }),
  z.object({ ...base, kind: z.literal('proposal_stands'), proposalId: z.string().check(z.minLength(1)) }),
  z.object({ ...base, kind: z.literal('invitation') }),
  z.object({ ...base, kind: z.literal('invitation_lapse') }),
  z.object({ ...base, kind: z.literal('board_digest'), localDate: z.iso.date() }),
  z.object({ ...base, kind: z.literal('charter') }),
  z.object({
    ...base,
    kind: z.literal('email_reply'),
    subject: z.string().check(z.maxLength(998)),
    message: z.string().check(z.maxLength(10_000)),
    localDate: z.iso.date(),
    inReplyTo: z.optional(z.string().check(z.maxLength(998))),
  }),
  z.object({ ...base, kind: z.literal('decision_email'), choice: z.enum(['continue', 'tweak', 'pause']) }),
]) satisfies z.ZodMiniType<ScheduledStep>;
