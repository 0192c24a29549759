import { z } from 'zod';
import type { ScheduledStep } from './ports.js';

/** The versioned payload a schedule carries to the dispatcher. */
export const scheduledStepSchema = z.object({
  version: z.literal(1),
  kind: z.literal('check_in'),
  partnershipId: z.string().min(1),
  memberId: z.string().min(1),
  localDate: z.iso.date(),
  scheduleName: z.string().min(1).max(64),
  scheduledTime: z.iso.datetime(),
}) satisfies z.ZodType<ScheduledStep>;
