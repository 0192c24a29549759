import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  AwsScheduler,
  schedulerEndpoint,
  schedulerOverFetch,
  sqsEndpoint,
  sqsSendMessage,
} from '#shared/adapters/aws-scheduler.js';
import { DynamoDbSetupStore } from '#shared/adapters/dynamodb-setup-store.js';
import {
  CONVERSATION_REPOSITORIES,
  composeStore,
  createDocumentClient,
  DynamoDbHistory,
  DynamoDbMembers,
  DynamoDbPartnerships,
  DynamoDbPeople,
  DynamoDbStore,
} from '#shared/adapters/dynamodb-store.js';
import { SignedFetch } from '#shared/adapters/signed-fetch.js';
import type { EnvShape } from '#shared/contract.js';
import { type Clock, systemClock } from '#shared/domain/clock.js';
import * as z from '#shared/domain/zod.js';
import {
  awsCredentialsEnvironment,
  awsEmailEnvironment,
  awsEnvironment,
  awsSchedulerEnvironment,
  readConfig,
  type TwilioSecret,
  twilioSecretSchema,
} from './config.js';
import { countedStore } from './metrics.js';

/**
 * Dependencies of the Lambda functions on AWS, built once per cold start and only when first
 * needed, so that importing a handler (as the local stack does) never reads AWS configuration.
 * Building nothing until called, `once(…)` and `refreshing(…)` are marked pure where they define a
 * dependency: a bundle whose function never uses one drops it and what it imports.
 */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/**
 * What we read of the answer of the AWS Parameters and Secrets Lambda Extension: Secrets Manager's
 * GetSecretValue response as JSON (ARN, Name, VersionId, VersionStages, CreatedDate, and SecretString or
 * SecretBinary). Other keys are ignored.
 */
const extensionSecretSchema = z.object({ SecretString: z.optional(z.nullable(z.string())) });

/**
 * Pauses before each new attempt while the extension is not up yet: in the first milliseconds of a cold
 * start nothing may listen on its port, then it answers 400 "not ready to serve traffic" until it is.
 */
const EXTENSION_RETRY_DELAYS_MS = [25, 50, 100, 200];

/** The extension's 400 while it starts. */
const EXTENSION_NOT_READY = /not ready/i;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The last segment of a secret ARN (`<name>-<suffix>`): what errors name, never the full ARN or the value. */
const secretLabel = (arn: string): string => arn.split(':').at(-1) || 'secret';

/**
 * A secret's string value, through the AWS Parameters and Secrets Lambda Extension that SoftPartnerFunction
 * attaches (a local HTTP endpoint that calls Secrets Manager with the function's role and caches the
 * answer), so no bundle carries the Secrets Manager client. Errors name the secret, never its value.
 */
export async function secretString(arn: string): Promise<string> {
  const label = secretLabel(arn);
  const token = process.env.AWS_SESSION_TOKEN;
  if (!token) {
    throw new Error(
      `Cannot read secret ${label}: AWS_SESSION_TOKEN is not set, so the Parameters and Secrets Lambda ` +
        'Extension cannot be asked (it only runs in Lambda)',
    );
  }
  const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`;

  for (let attempt = 0; ; attempt += 1) {
    const retryDelay = EXTENSION_RETRY_DELAYS_MS[attempt];
    let response: Response;
    try {
      response = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': token } });
    } catch (error) {
      // Nothing listens on the port (yet): the extension is starting, or its layer is missing.
      if (retryDelay !== undefined) {
        await pause(retryDelay);
        continue;
      }
      throw new Error(
        `Cannot read secret ${label}: the Parameters and Secrets Lambda Extension is not listening on port ` +
          `${port} (is its layer attached?)`,
        { cause: error },
      );
    }
    if (response.status !== 200) {
      // An error answer carries no secret value: the extension's own message or Secrets Manager's error.
      const body = await response.text();
      if (response.status === 400 && EXTENSION_NOT_READY.test(body)) {
        if (retryDelay !== undefined) {
          await pause(retryDelay);
          continue;
        }
        throw new Error(
          `Cannot read secret ${label}: the Parameters and Secrets Lambda Extension is still not ready ` +
            `after ${EXTENSION_RETRY_DELAYS_MS.length + 1} attempts`,
        );
      }
      const awsError = /\b[A-Z][A-Za-z]*(?:Exception|Error)\b/.exec(body)?.[0];
      throw new Error(
        `Cannot read secret ${label}: the Parameters and Secrets Lambda Extension answered HTTP ` +
          `${response.status}${awsError ? ` (${awsError})` : ''}`,
      );
    }
    // The body holds the value: no parse error (whose message may quote the input) may escape.
    let answer: unknown;
    try {
      answer = await response.json();
    } catch {
      throw new Error(`Cannot read secret ${label}: the extension's answer is not JSON`);
    }
    const parsed = extensionSecretSchema.safeParse(answer);
    if (!parsed.success) {
      throw new Error(`Cannot read secret ${label}: the extension's answer is not a GetSecretValue response`);
    }
    if (!parsed.data.SecretString) throw new Error(`Cannot read secret ${label}: it has no string value`);
    return parsed.data.SecretString;
  }
}

/**
 * How long a warm container trusts a secret it read: the extension's own cache time (SECRETS_MANAGER_TTL,
 * infra), so a rotated value reaches every container within two of them at most.
 */
export const SECRET_TTL_MS = 300_000;

/** A value built when first needed, built again once it is `ttlMs` old or after {@link Refreshing.invalidate}. */
export interface Refreshing<T> {
  (): Promise<T>;
  /** Forgets the value: the next call builds it again (after an authentication failure, say). */
  invalidate(): void;
}

export function refreshing<T>(
  build: () => Promise<T>,
  ttlMs: number,
  now: () => number = Date.now,
): Refreshing<T> {
  let cached: { value: Promise<T>; at: number } | undefined;
  const get = () => {
    if (!cached || now() - cached.at >= ttlMs) {
      const value = build().catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
      cached = { value, at: now() };
    }
    return cached.value;
  };
  return Object.assign(get, {
    invalidate: () => {
      cached = undefined;
    },
  });
}

/**
 * A function's store, built once per cold start: a composition of only the repositories its use cases
 * need (the bundle carries those alone; its use cases' store type refuses one that lacks a method they
 * call), or the whole store.
 */
export function awsStoreOf<S extends object>(
  Store: new (db: DynamoDBDocumentClient, tableName: string) => S,
) {
  return once(async () => {
    const config = readConfig({ TABLE_NAME: awsEnvironment.TABLE_NAME });
    return countedStore(new Store(createDocumentClient(), config.TABLE_NAME));
  });
}

/** The whole store (every repository): the functions whose turns work on it (twilio-webhook.ts). */
export const awsStore = /* @__PURE__ */ awsStoreOf(DynamoDbStore);

/** The email events' store (bounces and complaints: handle-email-event.ts). */
export const awsEmailEventsStore = /* @__PURE__ */ awsStoreOf(
  /* @__PURE__ */ composeStore([DynamoDbPartnerships, DynamoDbMembers, DynamoDbHistory, DynamoDbPeople]),
);

/**
 * The store of a conversation by email (replies, the buttons and links): every repository but the
 * delivery reports (ConversationStorePort).
 */
export const awsConversationStore = /* @__PURE__ */ awsStoreOf(
  /* @__PURE__ */ composeStore(CONVERSATION_REPOSITORIES),
);

/** The self-serve setups, in the same table (only the setup function builds this). */
export const awsSetupStore = /* @__PURE__ */ once(async () => {
  const config = readConfig({ TABLE_NAME: awsEnvironment.TABLE_NAME });
  return new DynamoDbSetupStore(createDocumentClient(), config.TABLE_NAME);
});

/** Re-read on a TTL and after any authentication failure, so a rotated token reaches warm containers. */
export const awsTwilioSecret = /* @__PURE__ */ refreshing(async (): Promise<TwilioSecret> => {
  const config = readConfig({ TWILIO_SECRET_ARN: awsEnvironment.TWILIO_SECRET_ARN });
  let value: unknown;
  try {
    value = JSON.parse(await secretString(config.TWILIO_SECRET_ARN));
  } catch (error) {
    // JSON.parse quotes the start of the text it failed on: here, the secret. Say only what is wrong.
    if (error instanceof SyntaxError) throw new Error('The Twilio secret is not JSON (see docs/deploy.md)');
    throw error;
  }
  return twilioSecretSchema.parse(value);
}, SECRET_TTL_MS);

export const awsApiKey = /* @__PURE__ */ refreshing(async () => {
  const config = readConfig({ API_KEY_SECRET_ARN: z.string().check(z.minLength(1)) } satisfies EnvShape);
  return secretString(config.API_KEY_SECRET_ARN);
}, SECRET_TTL_MS);

export const awsPublicBaseUrl = /* @__PURE__ */ once(
  async () => readConfig({ PUBLIC_BASE_URL: awsEnvironment.PUBLIC_BASE_URL }).PUBLIC_BASE_URL,
);

/**
 * A SigV4-signed fetch for one service (the SDK's signer), for the calls too simple to carry an SDK client.
 * Three attempts on a 5xx or 429, as the SDK's standard retry mode makes.
 */
export function awsSigner(service: string) {
  const env = readConfig(awsCredentialsEnvironment);
  const client = new SignedFetch({
    service,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
    retries: 2,
  });
  return { client, region: env.AWS_REGION };
}

export const awsScheduler = /* @__PURE__ */ once(async () => {
  const config = readConfig(awsSchedulerEnvironment);
  const sqs = awsSigner('sqs');
  const scheduler = awsSigner('scheduler');
  return new AwsScheduler(
    schedulerOverFetch(scheduler.client, schedulerEndpoint(scheduler.region)),
    {
      groupName: config.SCHEDULE_GROUP_NAME,
      roleArn: config.SCHEDULER_ROLE_ARN,
      targetArn: config.SCHEDULE_TARGET_ARN,
      deadLetterArn: config.SCHEDULE_DLQ_ARN,
      sendQueueUrl: config.SEND_QUEUE_URL,
      ...(config.SETUP_QUEUE_ARN ? { setupTargetArn: config.SETUP_QUEUE_ARN } : {}),
      ...(config.SETUP_QUEUE_URL ? { setupQueueUrl: config.SETUP_QUEUE_URL } : {}),
    },
    systemClock,
    sqsSendMessage(sqs.client, sqsEndpoint(sqs.region)),
  );
});

export const awsClock: Clock = systemClock;

/** The key that signs reply addresses and email links. */
export const awsLinkSecret = /* @__PURE__ */ once(async () =>
  secretString(readConfig({ LINK_SECRET_ARN: awsEmailEnvironment.LINK_SECRET_ARN }).LINK_SECRET_ARN),
);

/** The email links' function (unsubscribe, resubscribe, the buttons, the charter). */
export const awsEmailLinkDeps = async () => ({
  store: await awsConversationStore(),
  scheduler: await awsScheduler(),
  clock: awsClock,
  linkSecret: await awsLinkSecret(),
});
