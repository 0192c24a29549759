import * as z from './zod.js';

/**
 * What the hourly sweep schedule puts on the send queue (infra: SWEEP_SCHEDULE_INPUT): a versioned request
 * to give every active membership without a pending check-in its next one, stamped with the time Scheduler
 * fired it.
 */
export const sweepRequestSchema = z.object({
  version: z.literal(1),
  kind: z.literal('sweep'),
  scheduledTime: z.iso.datetime(),
});
export type SweepRequest = z.infer<typeof sweepRequestSchema>;

/**
 * The sweep request for `scheduledTime`, the one place its version is written: the local clock stamps its
 * own time, infra Scheduler's `<aws.scheduler.scheduled-time>` placeholder.
 */
export const sweepRequest = (scheduledTime: string) =>
  ({ version: 1, kind: 'sweep', scheduledTime }) as const;
