import type { SNSEvent } from 'aws-lambda';
import { awsClock, awsEmailEventsStore } from '#shared/runtime/aws-deps.js';
import { logger } from '#shared/runtime/logger.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import { sesEventSchema } from '#shared/schemas/ses-events.js';
import { type EmailEventDeps, handleEmailEvent } from '#shared/use-cases/handle-email-event.js';

/** SNS → Lambda: SES bounce and complaint events from the configuration set's event destination. */
export function createEmailEventsHandler(deps: () => Promise<EmailEventDeps>) {
  return async (event: SNSEvent) => {
    const outcomes = [];
    for (const record of event.Records) {
      const sesEvent = sesEventSchema.parse(JSON.parse(record.Sns.Message));
      const outcome = await handleEmailEvent(await deps(), sesEvent);
      logger.info('email event handled', {
        type: sesEvent.type,
        sesMessageId: sesEvent.mail.messageId,
        outcome,
      });
      outcomes.push(outcome);
    }
    return { outcomes };
  };
}

export const handler = withMetrics(
  createEmailEventsHandler(async () => ({ store: await awsEmailEventsStore(), clock: awsClock })),
);
