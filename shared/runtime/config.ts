import { type EnvShape, readEnv } from '#shared/contract.js';
import * as z from '#shared/domain/zod.js';

/**
 * Reads the environment once and names every missing or malformed variable.
 * The shape's schemas may be zod/mini's or full zod's (the local stack's): both are zod core schemas.
 */
export function readConfig<T extends z.core.$ZodShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodMiniObject<T>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Configuration error: ${problems}`);
  }
  return parsed.data;
}

export const awsEnvironment = {
  TABLE_NAME: z.string().check(z.minLength(1)),
  TWILIO_SECRET_ARN: z.string().check(z.minLength(1)),
  PUBLIC_BASE_URL: z.url(),
} satisfies EnvShape;

export const awsSchedulerEnvironment = {
  SCHEDULE_GROUP_NAME: z.string().check(z.minLength(1)),
  SCHEDULER_ROLE_ARN: z.string().check(z.minLength(1)),
  SCHEDULE_TARGET_ARN: z.string().check(z.minLength(1)),
  SCHEDULE_DLQ_ARN: z.string().check(z.minLength(1)),
  SEND_QUEUE_URL: z.url(),
  /** The setup queue, where self-serve setup steps go (functions that never schedule one have none). */
  SETUP_QUEUE_ARN: z.optional(z.string().check(z.minLength(1))),
  SETUP_QUEUE_URL: z.optional(z.url()),
} satisfies EnvShape;

/** The execution role's credentials and the region, as the Lambda runtime sets them. */
export const awsCredentialsEnvironment = {
  AWS_REGION: z.string().check(z.minLength(1)),
  AWS_ACCESS_KEY_ID: z.string().check(z.minLength(1)),
  AWS_SECRET_ACCESS_KEY: z.string().check(z.minLength(1)),
  AWS_SESSION_TOKEN: z.optional(z.string().check(z.minLength(1))),
};

/**
 * The secret the operator puts in place; see docs/deploy.md. During a rotation it also holds Twilio's
 * secondary token, which webhooks and sends accept too. `fromNumber` is only read from secrets written
 * before the sender became plain configuration (TWILIO_FROM_NUMBER).
 */
export const twilioSecretSchema = z.object({
  accountSid: z.string().check(z.minLength(1)),
  authToken: z.string().check(z.minLength(1)),
  secondaryAuthToken: z.optional(z.string().check(z.minLength(1))),
  fromNumber: z.optional(z.string().check(z.minLength(1))),
});
export type TwilioSecret = z.infer<typeof twilioSecretSchema>;

/** What every function that sends email, signs links or reads reply addresses needs. */
export const awsEmailEnvironment = {
  /** A verified SES identity, e.g. "Soft Partner <hello@example.org>". */
  EMAIL_FROM: z.string().check(z.minLength(3)),
  /** The configuration set whose event destination reports bounces and complaints. */
  EMAIL_CONFIGURATION_SET: z.string().check(z.minLength(1)),
  /** The domain SES receives replies on (reply+<token>@INBOUND_DOMAIN). */
  INBOUND_DOMAIN: z.string().check(z.minLength(3)),
  /** The secret (a plain string) that signs reply addresses and email links. */
  LINK_SECRET_ARN: z.string().check(z.minLength(1)),
} satisfies EnvShape;

/**
 * The sender's pace (seconds between two texts of one instance; infra/config.ts senderSizing): optional,
 * the functions that text only now and then (enroll) do not set it. The rest of the sender's sizing is in
 * sender-environment.ts, which only the functions that send bundle.
 */
export const awsSenderEnvironment = {
  /** The E.164 number or Messaging Service SID texts go out from (infra: the stage's twilioFromNumber). */
  TWILIO_FROM_NUMBER: z.optional(z.string().check(z.minLength(1))),
  SMS_SECONDS_BETWEEN_SENDS: z.optional(z.coerce.number().check(z.minimum(0), z.maximum(60))),
} satisfies EnvShape;

/** The inbound mail handler also reads the raw message SES stored in S3. */
export const awsInboundEmailEnvironment = {
  INBOUND_BUCKET_NAME: z.string().check(z.minLength(1)),
} satisfies EnvShape;

/** SMS_COUNTRIES: the ISO codes we text, comma-separated (docs/deploy.md); unset, every country. */
export function smsCountriesFromEnvironment(env: NodeJS.ProcessEnv = process.env): {
  smsCountries?: string[];
} {
  const listed = readEnv('SMS_COUNTRIES', env)
    ?.split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  return listed?.length ? { smsCountries: listed } : {};
}

/** SELF_SERVE: "false" turns self-serve setup off (a stranger gets one polite line); on otherwise. */
export const selfServeFromEnvironment = (value = readEnv('SELF_SERVE')) =>
  value?.trim().toLowerCase() !== 'false';
