import { replyTurn } from '#shared/adapters/dynamodb/reply-turn.js';
import { DynamoDbStore } from '#shared/adapters/dynamodb-store.js';
import { ForbiddenError } from '#shared/domain/errors.js';
import type * as z from '#shared/domain/zod.js';
import { type InboundSmsForm, parseForm } from '#shared/schemas/twilio.js';
import type { InboundDeps, InboundOutcome } from '#shared/use-cases/handle-inbound-sms.js';
import { awsClock, awsPublicBaseUrl, awsScheduler, awsStore, awsTwilioSecret } from './aws-deps.js';
import type { TwilioSecret } from './config.js';
import type { HttpEvent } from './http.js';
import { METRIC, type Metrics, metrics } from './metrics.js';
import { verifiedTwilioForm } from './twiml.js';

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

/**
 * Reads a Twilio webhook: checks its signature for our public URL of `path`, then parses the fields we
 * rely on (`form`), keeping the whole signed form (`raw`).
 */
export const signedTwilioForm =
  <S extends z.ZodMiniType<Record<string, unknown>>>(path: string, schema: S) =>
  async (event: HttpEvent, deps: InboundHttpDeps) => {
    const raw = await verifiedForm(deps, event, deps.publicBaseUrl + path);
    return { form: parseForm(schema, raw), raw };
  };

/** Over DynamoDB a reply's writes land with its completion in one transaction (reply-turn.ts). */
export function withReplyTurn<D extends InboundDeps>(deps: D): D {
  const { store } = deps;
  if (!(store instanceof DynamoDbStore)) return deps;
  return { ...deps, turn: (sid: string, attempt: number, now: Date) => replyTurn(store, sid, attempt, now) };
}

const twilioTokens = (secret: TwilioSecret) => ({
  authToken: secret.authToken,
  ...(secret.secondaryAuthToken ? { secondaryAuthToken: secret.secondaryAuthToken } : {}),
});

/** The Twilio webhooks' dependencies in AWS. */
export const awsTwilioWebhookDeps = async (): Promise<InboundHttpDeps> => ({
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
});

/** The inbound message, from Twilio's form. */
export const inbound = (form: InboundSmsForm, raw: Record<string, string>) => ({
  messageSid: form.MessageSid,
  from: form.From,
  to: form.To,
  body: form.Body,
  raw,
});

/** What an applied reply counts: the reply, and an opt-out or a grace token it applied; a redelivery, nothing. */
export const inboundMetrics = (outcome: InboundOutcome): string[] =>
  outcome.result === 'duplicate'
    ? []
    : [METRIC.repliesHandled, ...(outcome.effects ?? []).map((effect) => EFFECT_METRIC[effect])];

const EFFECT_METRIC = { opted_out: METRIC.optOuts, grace_spent: METRIC.graceSpent } as const;

/** The inbound SMS log line's fields: ids and intents only (a redelivery's intents read `duplicate`). */
export const inboundLogFields = (messageSid: string, outcome: InboundOutcome) => ({
  messageSid,
  intents: outcome.result === 'duplicate' ? ['duplicate'] : outcome.intents,
  memberId: outcome.result === 'duplicate' ? undefined : outcome.memberId,
});
