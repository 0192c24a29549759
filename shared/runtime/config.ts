import { z } from 'zod';

/** Reads the environment once and names every missing or malformed variable. */
export function readConfig<T extends z.ZodRawShape>(
  shape: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<T>> {
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
  TABLE_NAME: z.string().min(1),
  TWILIO_SECRET_ARN: z.string().min(1),
  PUBLIC_BASE_URL: z.url(),
};

export const awsSchedulerEnvironment = {
  SCHEDULE_GROUP_NAME: z.string().min(1),
  SCHEDULER_ROLE_ARN: z.string().min(1),
  SCHEDULE_TARGET_ARN: z.string().min(1),
  SCHEDULE_DLQ_ARN: z.string().min(1),
  SEND_QUEUE_URL: z.url(),
};

/** The secret the operator puts in place; see docs/deploy.md. */
export const twilioSecretSchema = z.object({
  accountSid: z.string().min(1),
  authToken: z.string().min(1),
  fromNumber: z.string().min(1),
});
export type TwilioSecret = z.infer<typeof twilioSecretSchema>;

/** What every function that sends email, signs links or reads reply addresses needs. */
export const awsEmailEnvironment = {
  /** A verified SES identity, e.g. "Soft Partner <hello@example.org>". */
  EMAIL_FROM: z.string().min(3),
  /** The configuration set whose event destination reports bounces and complaints. */
  EMAIL_CONFIGURATION_SET: z.string().min(1),
  /** The domain SES receives replies on (reply+<token>@INBOUND_DOMAIN). */
  INBOUND_DOMAIN: z.string().min(3),
  /** The secret (a plain string) that signs reply addresses and email links. */
  LINK_SECRET_ARN: z.string().min(1),
};

/** The inbound mail handler also reads the raw message SES stored in S3. */
export const awsInboundEmailEnvironment = {
  INBOUND_BUCKET_NAME: z.string().min(1),
};
