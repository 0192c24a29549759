import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from '#shared/contract.js';
import { byPath, httpHandler } from '#shared/runtime/http-handler.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import * as twilio from '#shared/runtime/twilio-webhook.js';
import { twimlReply } from '#shared/runtime/twiml.js';
import { inboundSmsFormSchema } from '#shared/schemas/twilio.js';
import { handleInboundSms } from '#shared/use-cases/handle-inbound-sms.js';
import { createSmsStatusHandler } from './sms-status.js';

type Deps = () => Promise<twilio.InboundHttpDeps>;

export { createSmsStatusHandler, TWILIO_SMS_PATH as INBOUND_SMS_PATH, TWILIO_STATUS_PATH as SMS_STATUS_PATH };

/** POST /webhooks/twilio/sms: Twilio's signed webhook, answered with TwiML. */
export const createInboundSmsHandler = (deps: Deps) =>
  httpHandler(deps, {
    parse: twilio.signedTwilioForm(TWILIO_SMS_PATH, inboundSmsFormSchema),
    run: (resolved, { form, raw }) =>
      handleInboundSms(twilio.withReplyTurn(resolved), twilio.inbound(form, raw)),
    log: (outcome, { form }) => ['inbound sms handled', twilio.inboundLogFields(form.MessageSid, outcome)],
    metric: twilio.inboundMetrics,
    respond: (outcome) => twimlReply(outcome.replies),
  });

/** The Lambda behind both Twilio webhooks: the route decides which. */
export const createTwilioWebhooksHandler = (deps: Deps) =>
  byPath({ [TWILIO_STATUS_PATH]: createSmsStatusHandler(deps) }, createInboundSmsHandler(deps));

export const handler = withMetrics(createTwilioWebhooksHandler(twilio.awsTwilioWebhookDeps));
