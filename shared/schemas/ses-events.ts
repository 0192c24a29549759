import * as z from '#shared/domain/zod.js';

/**
 * An SES event (configuration set event publishing, or a feedback notification) as SNS delivers it.
 * Only what we act on is read; our send tags carry the partnership and member ids (never an address).
 */
export const sesEventSchema = z.pipe(
  z.object({
    eventType: z.optional(z.string()),
    notificationType: z.optional(z.string()),
    mail: z.object({
      messageId: z.string().check(z.minLength(1)),
      tags: z._default(z.record(z.string(), z.array(z.string())), {}),
    }),
    bounce: z.optional(z.object({ bounceType: z.string() })),
  }),
  z.transform((event) => ({ ...event, type: event.eventType ?? event.notificationType ?? 'Unknown' })),
);
export type SesEvent = z.infer<typeof sesEventSchema>;
