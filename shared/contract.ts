/**
 * The names the deployed app and its code must agree on, written once: the HTTP routes (the CDK app's
 * API routes, the handlers, the local router and the links we send) and the Lambda environment
 * variables (set by infra, read by shared/runtime). Constants only: every bundle may import it.
 */
export const HEALTH_PATH = '/health';
/** POST: enroll (operator, API key); GET `/partnerships/{id}`: view one. */
export const PARTNERSHIPS_PATH = '/partnerships';
/** Twilio's signed inbound message webhook, answered with TwiML. */
export const TWILIO_SMS_PATH = '/webhooks/twilio/sms';
/** Where Twilio reports what happened to each text we sent (the statusCallback of every send). */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
export const EMAIL_UNSUBSCRIBE_PATH = '/email/unsubscribe';
export const EMAIL_RESUBSCRIBE_PATH = '/email/resubscribe';
export const EMAIL_ACTION_PATH = '/email/action';
/** GET `/charter/{token}`: a member's charter (the link Day 1 texts to those without email). */
export const CHARTER_PATH = '/charter';

/** Every route, for infra and the local router (a bundle imports the one constant it needs instead). */
export const ROUTES = {
  health: HEALTH_PATH,
  partnerships: PARTNERSHIPS_PATH,
  twilioSms: TWILIO_SMS_PATH,
  twilioStatus: TWILIO_STATUS_PATH,
  emailUnsubscribe: EMAIL_UNSUBSCRIBE_PATH,
  emailResubscribe: EMAIL_RESUBSCRIBE_PATH,
  emailAction: EMAIL_ACTION_PATH,
  charter: CHARTER_PATH,
} as const;

/**
 * Every environment variable a Lambda function of the app is given (infra) or reads (shared/runtime). The
 * runtime names them as typed literals ({@link EnvName}, {@link EnvShape}, {@link readEnv}), so no bundle
 * carries this object.
 */
export const ENV = {
  STAGE: 'STAGE',
  NODE_OPTIONS: 'NODE_OPTIONS',
  POWERTOOLS_SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  POWERTOOLS_METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  POWERTOOLS_LOG_LEVEL: 'POWERTOOLS_LOG_LEVEL',
  TABLE_NAME: 'TABLE_NAME',
  PUBLIC_BASE_URL: 'PUBLIC_BASE_URL',
  API_KEY_SECRET_ARN: 'API_KEY_SECRET_ARN',
  TWILIO_SECRET_ARN: 'TWILIO_SECRET_ARN',
  TWILIO_FROM_NUMBER: 'TWILIO_FROM_NUMBER',
  SMS_COUNTRIES: 'SMS_COUNTRIES',
  SELF_SERVE: 'SELF_SERVE',
  SCHEDULE_GROUP_NAME: 'SCHEDULE_GROUP_NAME',
  SCHEDULER_ROLE_ARN: 'SCHEDULER_ROLE_ARN',
  SCHEDULE_TARGET_ARN: 'SCHEDULE_TARGET_ARN',
  SCHEDULE_DLQ_ARN: 'SCHEDULE_DLQ_ARN',
  SEND_QUEUE_URL: 'SEND_QUEUE_URL',
  SETUP_QUEUE_ARN: 'SETUP_QUEUE_ARN',
  SETUP_QUEUE_URL: 'SETUP_QUEUE_URL',
  EMAIL_FROM: 'EMAIL_FROM',
  EMAIL_CONFIGURATION_SET: 'EMAIL_CONFIGURATION_SET',
  INBOUND_DOMAIN: 'INBOUND_DOMAIN',
  LINK_SECRET_ARN: 'LINK_SECRET_ARN',
  INBOUND_BUCKET_NAME: 'INBOUND_BUCKET_NAME',
  SMS_SECONDS_BETWEEN_SENDS: 'SMS_SECONDS_BETWEEN_SENDS',
  SMS_BURST: 'SMS_BURST',
  EMAIL_SECONDS_BETWEEN_SENDS: 'EMAIL_SECONDS_BETWEEN_SENDS',
  SENDER_RESERVE_SECONDS: 'SENDER_RESERVE_SECONDS',
} as const;

export type EnvName = keyof typeof ENV;

/** A runtime configuration shape: its keys can only be names of {@link ENV}. */
export type EnvShape = { readonly [K in EnvName]?: unknown };

/** One variable of the Lambda environment, by a name of {@link ENV}. */
export const readEnv = (name: EnvName, env: NodeJS.ProcessEnv = process.env): string | undefined => env[name];
