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
