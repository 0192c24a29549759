import { z } from 'zod';
import { ROUTES } from '#shared/contract.js';
import { readConfig } from '#shared/runtime/config.js';
import { LOCAL_SWEEP_EVERY_MINUTES, LOCAL_TABLE_NAME, startLocalStack } from './stack.js';

/** `npm start`: the whole product on this machine, on real protocol servers. */
const config = readConfig({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_KEY: z.string().min(1).default('local-dev-key'),
  TWILIO_AUTH_TOKEN: z.string().min(1).default('local-twilio-token'),
  PUBLIC_BASE_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('.local'),
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  // An already running DynamoDB API instead of the DynamoDB Local that npm start runs (under DATA_DIR).
  DYNAMODB_ENDPOINT: z.url().optional(),
  DYNAMODB_TABLE: z.string().min(3).max(255).default(LOCAL_TABLE_NAME),
  /** `false` turns self-serve setup by text off, as a stage's `selfServe: false` does in AWS. */
  SELF_SERVE: z.enum(['true', 'false']).default('true'),
});

const stack = await startLocalStack({
  port: config.PORT,
  apiKey: config.API_KEY,
  twilioAuthToken: config.TWILIO_AUTH_TOKEN,
  ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
  dataDir: config.DATA_DIR,
  clockStart: config.CLOCK_START ? new Date(config.CLOCK_START) : new Date(),
  // As in AWS: every hour of virtual time, missing check-in schedules are restored.
  sweepEveryMinutes: LOCAL_SWEEP_EVERY_MINUTES,
  dynamoDb: {
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    tableName: config.DYNAMODB_TABLE,
  },
  selfServe: config.SELF_SERVE === 'true',
});

process.stdout.write(
  [
    `Soft Partner local stack is up on ${stack.url}`,
    `  Simulator (open in a browser)       ${stack.url}/`,
    `  HTTP API (same handlers as Lambda)  ${stack.url}   GET ${ROUTES.health}, POST ${ROUTES.partnerships}, POST ${ROUTES.twilioSms}`,
    `  Local helpers                       ${stack.url}/local/outbox, /local/clock, POST /local/clock/advance`,
    '  Fault injection                     POST /local/faults (Twilio and SES refuse sends), /local/dead-letters',
    config.DYNAMODB_ENDPOINT
      ? `  DynamoDB API (DYNAMODB_ENDPOINT)    ${stack.dynamoDb.endpoint}   table ${stack.dynamoDb.tableName}`
      : `  DynamoDB API (DynamoDB Local)       ${stack.dynamoDb.endpoint}   table ${stack.dynamoDb.tableName}, data in ${config.DATA_DIR}/dynamodb`,
    `  SES v2 API (aws-ses-v2-local)       http://127.0.0.1:${stack.ports.ses}`,
    `  Twilio-compatible SMS API           http://127.0.0.1:${stack.ports.twilio}`,
    '  Scheduler                           virtual clock, advanced by POST /local/clock/advance',
    '',
  ].join('\n'),
);

const shutdown = async () => {
  await stack.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
