import * as z from '#shared/domain/zod.js';

const verdict = z.pipe(
  z.object({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) }),
  z.transform((value) => value.status),
);

/** The SES receipt rule's Lambda action event (invocation type Event), after its S3 action stored the mail. */
export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        ses: z.object({
          mail: z.object({ messageId: z.string().check(z.regex(/^[\w.-]+$/)) }),
          receipt: z.object({
            recipients: z.array(z.string()),
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: z.optional(verdict),
            spamVerdict: verdict,
            virusVerdict: verdict,
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});

/** One received message of a receipt event, as the inbound email use case reads it. */
export function receivedEmail({ ses }: z.infer<typeof sesReceiptEventSchema>['Records'][number]) {
  const { receipt } = ses;
  return {
    messageId: ses.mail.messageId,
    recipients: receipt.recipients,
    verdicts: {
      spf: receipt.spfVerdict,
      dkim: receipt.dkimVerdict,
      ...(receipt.dmarcVerdict ? { dmarc: receipt.dmarcVerdict } : {}),
      spam: receipt.spamVerdict,
      virus: receipt.virusVerdict,
    },
  };
}

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
