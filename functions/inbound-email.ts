import * as z from '#shared/domain/zod.js';
import { awsClock, awsScheduler, awsStore } from '#shared/runtime/aws-deps.js';
import { awsEmailSettings } from '#shared/runtime/aws-email-settings.js';
import { awsRawMail } from '#shared/runtime/aws-raw-mail.js';
import { logger } from '#shared/runtime/logger.js';
import { METRIC, type Metrics, MetricUnit, metrics, withMetrics } from '#shared/runtime/metrics.js';
import { handleInboundEmail, type InboundEmailDeps } from '#shared/use-cases/handle-inbound-email.js';

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

/** SES → Lambda: each received reply. Errors propagate so Lambda retries and finally dead-letters. */
export function createInboundEmailHandler(deps: () => Promise<InboundEmailDeps & { metrics?: Metrics }>) {
  return async (event: unknown) => {
    const { Records } = sesReceiptEventSchema.parse(event);
    const outcomes = [];
    for (const { ses } of Records) {
      const { receipt } = ses;
      const outcome = await handleInboundEmail(await deps(), {
        messageId: ses.mail.messageId,
        recipients: receipt.recipients,
        verdicts: {
          spf: receipt.spfVerdict,
          dkim: receipt.dkimVerdict,
          ...(receipt.dmarcVerdict ? { dmarc: receipt.dmarcVerdict } : {}),
          spam: receipt.spamVerdict,
          virus: receipt.virusVerdict,
        },
      });
      // Ids and reasons only: never the sender's address or the words.
      const log = outcome.result === 'rejected' ? logger.warn : logger.info;
      log.call(logger, 'inbound email handled', { sesMessageId: ses.mail.messageId, ...outcome });
      if (outcome.result === 'applied')
        (await deps()).metrics?.addMetric(METRIC.repliesHandled, MetricUnit.Count, 1);
      outcomes.push(outcome);
    }
    return { outcomes };
  };
}

export const handler = withMetrics(
  createInboundEmailHandler(async () => ({
    store: await awsStore(),
    scheduler: await awsScheduler(),
    clock: awsClock,
    rawMail: await awsRawMail(),
    emailSettings: await awsEmailSettings(),
    metrics,
  })),
);
