import {
  awsClock,
  awsPublicBaseUrl,
  awsScheduler,
  awsStore,
  awsTwilioSecret,
} from '#shared/runtime/aws-deps.js';
import { errorResponse, type HttpEvent } from '#shared/runtime/http.js';
import { logger } from '#shared/runtime/logger.js';
import { METRIC, type Metrics, MetricUnit, metrics, withMetrics } from '#shared/runtime/metrics.js';
import { parseInboundSmsForm, twimlReply, verifiedTwilioForm } from '#shared/runtime/twiml.js';
import { handleInboundSms, type InboundDeps } from '#shared/use-cases/handle-inbound-sms.js';

export const INBOUND_SMS_PATH = '/webhooks/twilio/sms';

export type InboundHttpDeps = InboundDeps & {
  authToken: string;
  publicBaseUrl: string;
  /** Where replies are counted (in AWS; the local stack counts nothing). */
  metrics?: Metrics;
};

/** POST /webhooks/twilio/sms: Twilio's signed webhook, answered with TwiML. */
export function createInboundSmsHandler(deps: () => Promise<InboundHttpDeps>) {
  return async (event: HttpEvent) => {
    try {
      const resolved = await deps();
      const raw = verifiedTwilioForm(event, resolved.authToken, resolved.publicBaseUrl + INBOUND_SMS_PATH);
      const form = parseInboundSmsForm(raw);
      const outcome = await handleInboundSms(resolved, {
        messageSid: form.MessageSid,
        from: form.From,
        to: form.To,
        body: form.Body,
        raw,
      });
      logger.info('inbound sms handled', {
        messageSid: form.MessageSid,
        intents: outcome.intents,
        memberId: outcome.memberId,
      });
      if (!outcome.intents.includes('duplicate'))
        resolved.metrics?.addMetric(METRIC.repliesHandled, MetricUnit.Count, 1);
      return twimlReply(outcome.replies);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export const handler = withMetrics(
  createInboundSmsHandler(async () => ({
    store: await awsStore(),
    scheduler: await awsScheduler(),
    clock: awsClock,
    authToken: (await awsTwilioSecret()).authToken,
    publicBaseUrl: await awsPublicBaseUrl(),
    metrics,
  })),
);
