import { replyTurn } from '#shared/adapters/dynamodb/reply-turn.js';
import { DynamoDbStore } from '#shared/adapters/dynamodb-store.js';
import { ForbiddenError } from '#shared/domain/errors.js';
import {
  awsClock,
  awsPublicBaseUrl,
  awsScheduler,
  awsStore,
  awsTwilioSecret,
} from '#shared/runtime/aws-deps.js';
import type { TwilioSecret } from '#shared/runtime/config.js';
import { errorResponse, type HttpEvent } from '#shared/runtime/http.js';
import { logger } from '#shared/runtime/logger.js';
import { METRIC, type Metrics, MetricUnit, metrics, withMetrics } from '#shared/runtime/metrics.js';
import {
  parseInboundSmsForm,
  parseStatusCallbackForm,
  twimlReply,
  verifiedTwilioForm,
} from '#shared/runtime/twiml.js';
import { handleInboundSms, type InboundDeps } from '#shared/use-cases/handle-inbound-sms.js';
import { handleStatusCallback, UNDELIVERED_STATUSES } from '#shared/use-cases/handle-status-callback.js';

export const INBOUND_SMS_PATH = '/webhooks/twilio/sms';
/** Where Twilio reports what happened to each text we sent (set as the statusCallback of every send). */
export const SMS_STATUS_PATH = '/webhooks/twilio/status';

export type InboundHttpDeps = InboundDeps & {
  authToken: string;
  /** Twilio's secondary token, while a rotation is under way: requests signed with it are accepted too. */
  secondaryAuthToken?: string;
  /**
   * Reads the tokens again, past any cache, when a signature matches neither: a warm container may hold
   * tokens from before a rotation. The local stack has nothing to re-read.
   */
  rereadAuthTokens?: () => Promise<readonly string[]>;
  publicBaseUrl: string;
  /** Where replies are counted (in AWS; the local stack counts nothing). */
  metrics?: Metrics;
};

/** The form, if Twilio signed it with a token we know now, or with one the secret holds after a re-read. */
async function verifiedForm(
  deps: InboundHttpDeps,
  event: HttpEvent,
  publicUrl: string,
): Promise<Record<string, string>> {
  const tokens = [deps.authToken, ...(deps.secondaryAuthToken ? [deps.secondaryAuthToken] : [])];
  try {
    return verifiedTwilioForm(event, tokens, publicUrl);
  } catch (error) {
    if (!(error instanceof ForbiddenError) || !deps.rereadAuthTokens) throw error;
    const fresh = (await deps.rereadAuthTokens()).filter((token) => !tokens.includes(token));
    if (fresh.length === 0) throw error;
    return verifiedTwilioForm(event, fresh, publicUrl);
  }
}

/** POST /webhooks/twilio/sms: Twilio's signed webhook, answered with TwiML. */
export function createInboundSmsHandler(deps: () => Promise<InboundHttpDeps>) {
  return async (event: HttpEvent) => {
    try {
      const resolved = await deps();
      const raw = await verifiedForm(resolved, event, resolved.publicBaseUrl + INBOUND_SMS_PATH);
      const form = parseInboundSmsForm(raw);
      const { store } = resolved;
      // Over DynamoDB a reply's writes land with its completion in one transaction (reply-turn.ts).
      const turn =
        store instanceof DynamoDbStore
          ? (sid: string, attempt: number, now: Date) => replyTurn(store, sid, attempt, now)
          : undefined;
      const outcome = await handleInboundSms(turn ? { ...resolved, turn } : resolved, {
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

/** POST /webhooks/twilio/status: Twilio's signed delivery report of a text we sent; recorded once. */
export function createSmsStatusHandler(deps: () => Promise<InboundHttpDeps>) {
  return async (event: HttpEvent) => {
    try {
      const resolved = await deps();
      const form = parseStatusCallbackForm(
        await verifiedForm(resolved, event, resolved.publicBaseUrl + SMS_STATUS_PATH),
      );
      const outcome = await handleStatusCallback(resolved, {
        messageSid: form.MessageSid,
        status: form.MessageStatus,
        ...(form.ErrorCode ? { errorCode: form.ErrorCode } : {}),
      });
      const undelivered = (UNDELIVERED_STATUSES as readonly string[]).includes(form.MessageStatus);
      if (outcome === 'recorded' && undelivered)
        resolved.metrics?.addMetric(METRIC.smsUndelivered, MetricUnit.Count, 1);
      logger.info('sms status recorded', {
        messageSid: form.MessageSid,
        status: form.MessageStatus,
        outcome,
      });
      return { statusCode: 204 };
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The Lambda behind both Twilio webhooks: the route decides which. */
export function createTwilioWebhooksHandler(deps: () => Promise<InboundHttpDeps>) {
  const inbound = createInboundSmsHandler(deps);
  const status = createSmsStatusHandler(deps);
  return (event: HttpEvent) => (event.rawPath.endsWith(SMS_STATUS_PATH) ? status(event) : inbound(event));
}

const twilioTokens = (secret: TwilioSecret) => ({
  authToken: secret.authToken,
  ...(secret.secondaryAuthToken ? { secondaryAuthToken: secret.secondaryAuthToken } : {}),
});

export const handler = withMetrics(
  createTwilioWebhooksHandler(async () => ({
    store: await awsStore(),
    scheduler: await awsScheduler(),
    clock: awsClock,
    ...twilioTokens(await awsTwilioSecret()),
    rereadAuthTokens: async () => {
      awsTwilioSecret.invalidate();
      const { authToken, secondaryAuthToken } = twilioTokens(await awsTwilioSecret());
      return [authToken, ...(secondaryAuthToken ? [secondaryAuthToken] : [])];
    },
    publicBaseUrl: await awsPublicBaseUrl(),
    metrics,
  })),
);
