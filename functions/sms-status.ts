import { TWILIO_STATUS_PATH } from '#shared/contract.js';
import { httpHandler } from '#shared/runtime/http-handler.js';
import { METRIC } from '#shared/runtime/metrics.js';
import { type InboundHttpDeps, signedTwilioForm } from '#shared/runtime/twilio-webhook.js';
import { statusCallbackFormSchema } from '#shared/schemas/twilio.js';
import { handleStatusCallback, isUndelivered } from '#shared/use-cases/handle-status-callback.js';

/**
 * POST /webhooks/twilio/status: Twilio's signed delivery report of a text we sent; recorded once. Served
 * by the Twilio webhooks' Lambda (functions/inbound-sms.ts), which routes by path.
 */
export const createSmsStatusHandler = (deps: () => Promise<InboundHttpDeps>) =>
  httpHandler(deps, {
    parse: signedTwilioForm(TWILIO_STATUS_PATH, statusCallbackFormSchema),
    run: (resolved, { form }) =>
      handleStatusCallback(resolved, {
        messageSid: form.MessageSid,
        status: form.MessageStatus,
        ...(form.ErrorCode ? { errorCode: form.ErrorCode } : {}),
      }),
    metric: (outcome, { form }) =>
      outcome === 'recorded' && isUndelivered(form.MessageStatus) ? METRIC.smsUndelivered : undefined,
    log: (outcome, { form }) => [
      'sms status recorded',
      { messageSid: form.MessageSid, status: form.MessageStatus, outcome },
    ],
    respond: () => ({ statusCode: 204 }),
  });
