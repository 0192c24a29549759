import {
  awsInboundEmailDeps,
  type InboundEmailHandlerDeps,
  mimeReplyParser,
} from '#shared/runtime/inbound-email-deps.js';
import { logger } from '#shared/runtime/logger.js';
import { METRIC, MetricUnit, withMetrics } from '#shared/runtime/metrics.js';
import { receivedEmail, sesReceiptEventSchema } from '#shared/schemas/ses.js';
import { handleInboundEmail } from '#shared/use-cases/handle-inbound-email.js';

/** SES → Lambda: each received reply. Errors propagate so Lambda retries and finally dead-letters. */
export function createInboundEmailHandler(deps: () => Promise<InboundEmailHandlerDeps>) {
  return async (event: unknown) => {
    const { Records } = sesReceiptEventSchema.parse(event);
    const outcomes = [];
    for (const record of Records) {
      const resolved = { replyParser: mimeReplyParser, ...(await deps()) };
      const outcome = await handleInboundEmail(resolved, receivedEmail(record));
      // Ids and reasons only: never the sender's address or the words.
      const log = outcome.result === 'rejected' ? logger.warn : logger.info;
      log.call(logger, 'inbound email handled', { sesMessageId: record.ses.mail.messageId, ...outcome });
      if (outcome.result === 'applied')
        resolved.metrics?.addMetric(METRIC.repliesHandled, MetricUnit.Count, 1);
      outcomes.push(outcome);
    }
    return { outcomes };
  };
}

export const handler = withMetrics(createInboundEmailHandler(awsInboundEmailDeps));
