import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as sesModule from 'aws-ses-v2-local';
import { createSendQueueHandler } from '#functions/dispatch.js';
import { createEmailEventsHandler } from '#functions/email-events.js';
import { createEmailLinksHandler } from '#functions/email-links.js';
import { createEnrollHandler } from '#functions/enroll.js';
import { createInboundEmailHandler } from '#functions/inbound-email.js';
import { createTwilioWebhooksHandler } from '#functions/inbound-sms.js';
import { createSetupQueueHandler } from '#functions/self-serve.js';
import { localCreateTableInput } from '#shared/adapters/dynamodb/table.js';
import { DynamoDbLocalScheduler } from '#shared/adapters/dynamodb-local-scheduler.js';
import { DynamoDbSenderStore } from '#shared/adapters/dynamodb-sender-store.js';
import { DynamoDbSetupStore } from '#shared/adapters/dynamodb-setup-store.js';
import { createDocumentClient } from '#shared/adapters/dynamodb-store.js';
import { FileRawMail } from '#shared/adapters/file-raw-mail.js';
import { SesV2Email } from '#shared/adapters/sesv2-email.js';
import { TwilioSms } from '#shared/adapters/twilio-sms.js';
import { ROUTES } from '#shared/contract.js';
import type { Clock } from '#shared/domain/clock.js';
import type { EmailPort, OutboundEmail } from '#shared/domain/ports.js';
import { isSetupStepKind } from '#shared/domain/self-serve/setup.js';
import { countriesOfNumber } from '#shared/domain/textable-number.js';
import { logger } from '#shared/runtime/logger.js';
import { LocalClockDriver } from './clock-driver.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { LocalFaults, startSesFaultProxy } from './faults.js';

export { LOCAL_SWEEP_EVERY_MINUTES } from './clock-driver.js';

import { createLocalRouter } from './router.js';
import { LocalSimulator } from './simulator/routes.js';
import { LocalTwilioApi } from './twilio-api.js';
import { twilioPackageTransport } from './twilio-package-transport.js';
import { VirtualClock } from './virtual-clock.js';

export interface LocalStackOptions {
  port: number;
  apiKey: string;
  twilioAuthToken: string;
  publicBaseUrl?: string;
  dataDir: string;
  clockStart: Date;
  /** The countries enrollment accepts numbers in (default LOCAL_SMS_COUNTRIES). */
  smsCountries?: readonly string[];
  /** Counts what the handlers do (`npm run cost -- --record`); the stack behaves the same without it. */
  meter?: LocalStackMeter;
  /**
   * Minutes of virtual time between two sweeps of missing check-in schedules (on the hour, as the AWS
   * schedule; `npm start` uses {@link LOCAL_SWEEP_EVERY_MINUTES}). Absent or 0: no sweep, so a test that
   * runs weeks of virtual time in seconds pays only for the steps it plays.
   */
  sweepEveryMinutes?: number;
  /** Self-serve setup by text (default on; `SELF_SERVE=false npm start` turns it off, as a stage's `selfServe`). */
  selfServe?: boolean;
  /** Where the table lives (default: DynamoDB Local started for this stack, see {@link LocalDynamoDbOptions}). */
  dynamoDb?: LocalDynamoDbOptions;
}

/**
 * The local DynamoDB API. Without an endpoint (and without DYNAMODB_ENDPOINT), the stack starts DynamoDB
 * Local of its own, keeping its data in `<dataDir>/dynamodb`, and uses the table {@link LOCAL_TABLE_NAME}.
 * With one (a test run's shared DynamoDB Local, or a real DynamoDB), it uses `tableName` if given, else a
 * new table of its own (`soft-partner-local-<random>`) that it deletes again on close.
 */
export interface LocalDynamoDbOptions {
  /** An already running DynamoDB API; default the DYNAMODB_ENDPOINT environment variable. */
  endpoint?: string;
  tableName?: string;
}

/** Where a stack's table is: for tests and tools that read or count its requests with a client of their own. */
export interface LocalDynamoDbTable {
  endpoint: string;
  tableName: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The Lambda functions the local stack runs, named as in infra/. */
export type LocalFunctionName =
  | 'enroll'
  | 'inbound-sms'
  | 'dispatch'
  | 'inbound-email'
  | 'email-links'
  | 'email-events'
  | 'self-serve';

/** One request to DynamoDB, as the adapters made it (document-client shapes, before marshalling). */
export interface MeteredDynamoDbRequest {
  /** The SDK command, e.g. `PutItemCommand`. */
  command: string;
  input: Record<string, unknown>;
  /** Includes `ConsumedCapacity`, which DynamoDB Local computes from item sizes as DynamoDB does. */
  output?: Record<string, unknown>;
  /** The error name when DynamoDB refused it (a failed condition still consumes write units). */
  error?: string;
  /** Virtual time of the request. */
  at: Date;
}

/** Optional counters, for the cost estimate: every DynamoDB request and every handler invocation. */
export interface LocalStackMeter {
  dynamoDbRequest?(request: MeteredDynamoDbRequest): void;
  /** One invocation of a function's handler, with its event and its wall time in this process. */
  invocation?(invocation: { name: LocalFunctionName; event: unknown; milliseconds: number }): void;
}

export interface LocalStack {
  url: string;
  ports: { http: number; dynamodb: number; ses: number; twilio: number };
  dynamoDb: LocalDynamoDbTable;
  close(): Promise<void>;
}

/** Everything that would hold a secret or a number in AWS, fixed for local runs only. */
export const LOCAL_TWILIO_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const LOCAL_TWILIO_NUMBER = '+15005550006';
/** The local sending number's rate, as the dev stage's (infra/config.ts): one text a second. */
export const LOCAL_SMS_MESSAGES_PER_SECOND = 1;
/**
 * The countries the local stack texts: those of its sending number (+1) and of the examples and tests
 * (the UK and its islands, France, Australia, New Zealand, India). A deployment sets its own (SMS_COUNTRIES).
 */
export const LOCAL_SMS_COUNTRIES: readonly string[] = [
  ...countriesOfNumber(LOCAL_TWILIO_NUMBER),
  ...['GB', 'GG', 'JE', 'IM', 'FR', 'DE', 'AU', 'NZ', 'IN'],
];
/** Signs reply addresses and email links locally; in AWS it is a generated secret. */
export const LOCAL_LINK_SECRET = 'local-link-signing-secret-not-for-production';
export const LOCAL_INBOUND_DOMAIN = 'in.soft-partner.local';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_TABLE_NAME = 'soft-partner-local';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections?.();
  });
}

/** The client settings of a stack's DynamoDB API, for a client of one's own (`createDocumentClient(...)`). */
export function dynamoDbClientConfig(table: LocalDynamoDbTable) {
  return {
    endpoint: table.endpoint,
    region: table.region,
    ...(table.credentials ? { credentials: table.credentials } : {}),
  };
}

/** Creates the table unless it exists; true if it was created here. */
async function ensureTable(
  client: ReturnType<typeof createDocumentClient>,
  tableName: string,
): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(localCreateTableInput(tableName)));
  // DynamoDB Local answers with an ACTIVE table at once; a real DynamoDB takes a few seconds.
  await waitUntilTableExists(
    { client, minDelay: 0.05, maxDelay: 2, maxWaitTime: 120 },
    { TableName: tableName },
  );
  return true;
}

/** The table of a stack: on a DynamoDB API already running, or on DynamoDB Local started for it. */
async function openTable(dataDir: string, options: LocalDynamoDbOptions = {}) {
  const sharedEndpoint = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  const own = sharedEndpoint ? undefined : await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  const endpoint = sharedEndpoint ?? own?.endpoint ?? '';
  const tableName =
    options.tableName ??
    (sharedEndpoint ? `${LOCAL_TABLE_NAME}-${randomUUID().slice(0, 8)}` : LOCAL_TABLE_NAME);
  // Against a real DynamoDB (DYNAMODB_ENDPOINT with AWS credentials in the environment), the SDK's own
  // credential chain and region; DynamoDB Local (-sharedDb) accepts any.
  const real = sharedEndpoint !== undefined && process.env.AWS_ACCESS_KEY_ID !== undefined;
  const table: LocalDynamoDbTable = {
    endpoint,
    tableName,
    region: real ? (process.env.AWS_REGION ?? 'us-east-1') : 'local',
    ...(real ? {} : { credentials: LOCAL_CREDENTIALS }),
  };
  const db = createDocumentClient(dynamoDbClientConfig(table));
  let created: boolean;
  try {
    created = await ensureTable(db, tableName);
  } catch (error) {
    await own?.close();
    throw error;
  }
  return {
    db,
    table,
    port: Number(new URL(endpoint).port) || (new URL(endpoint).protocol === 'https:' ? 443 : 80),
    async close() {
      // A table made for this stack alone goes with it (a test run's DynamoDB Local holds one per stack).
      if (sharedEndpoint && created && !options.tableName) {
        await db.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      }
      db.destroy();
      await own?.close();
    },
  };
}

const METERED_DYNAMODB_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

/** Reports each data request, asking for its consumed capacity (which changes nothing else). */
function meterDynamoDb(
  db: ReturnType<typeof createDocumentClient>,
  clock: VirtualClock,
  report: NonNullable<LocalStackMeter['dynamoDbRequest']>,
) {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      if (!METERED_DYNAMODB_COMMANDS.has(command)) return next(args);
      const at = clock.now();
      const input = { ...(args.input as Record<string, unknown>), ReturnConsumedCapacity: 'TOTAL' };
      try {
        const result = await next({ ...args, input } as typeof args);
        report({ command, input, output: result.output as Record<string, unknown>, at });
        return result;
      } catch (error) {
        report({ command, input, error: error instanceof Error ? error.name : String(error), at });
        throw error;
      }
    },
    { step: 'initialize', name: 'localCostMeter' },
  );
}

/** Times each invocation of a handler for the meter; without one, the handler itself. */
function invocationTimer(meter: LocalStackMeter | undefined) {
  return <E, R>(name: LocalFunctionName, handler: (event: E) => Promise<R>): ((event: E) => Promise<R>) => {
    const report = meter?.invocation?.bind(meter);
    if (!report) return handler;
    return async (event: E) => {
      const started = performance.now();
      try {
        return await handler(event);
      } finally {
        report({ name, event, milliseconds: performance.now() - started });
      }
    };
  };
}

/** The local email port: SES v2 on aws-ses-v2-local, remembering each message's virtual send time. */
export class LocalEmail implements EmailPort {
  readonly sentAt = new Map<string, string>();

  constructor(
    private readonly inner: EmailPort,
    private readonly clock: VirtualClock,
  ) {}

  async send(message: OutboundEmail): Promise<{ messageId: string }> {
    const sent = await this.inner.send(message);
    this.sentAt.set(sent.messageId, this.clock.now().toISOString());
    return sent;
  }
}

/**
 * The embedded protocol servers and the real adapters that talk HTTP to them: DynamoDB Local (or the
 * DynamoDB API at DYNAMODB_ENDPOINT) behind the store and the local scheduler, aws-ses-v2-local, and the
 * Twilio-compatible SMS API behind the `twilio` package. Tests that need adapters without the HTTP
 * surface start only this; in a test run each call gets a table of its own in the run's one DynamoDB Local.
 */
export async function startEmbeddedServers(options: {
  dataDir: string;
  clock: VirtualClock;
  twilioAuthToken: string;
  /** Base URL of the links in emails (the local HTTP server); only the stack knows it. */
  publicBaseUrl?: string;
  meter?: LocalStackMeter;
  dynamoDb?: LocalDynamoDbOptions;
  /** What the local Twilio account's sender sends a second (default LOCAL_SMS_MESSAGES_PER_SECOND). */
  smsMessagesPerSecond?: number;
  /** The clock Twilio's queue runs on, if not the virtual clock (a bench hands it one that runs). */
  smsClock?: Clock;
}) {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const dynamo = await openTable(dataDir, options.dynamoDb);
  const { db, table } = dynamo;
  const tableName = table.tableName;
  // aws-ses-v2-local is CommonJS: its `default` export arrives one level down under Node's ESM loader.
  const exported: unknown = sesModule.default;
  const startSes = (
    typeof exported === 'function' ? exported : (exported as { default: unknown }).default
  ) as (config: { host: string; port: number }) => Promise<Server>;
  const ses = await startSes({ host: '127.0.0.1', port: 0 });
  const sesPort = (ses.address() as AddressInfo).port;
  const twilioApi = new LocalTwilioApi({
    accountSid: LOCAL_TWILIO_ACCOUNT_SID,
    authToken: options.twilioAuthToken,
    clock: options.smsClock ?? options.clock,
    // The dev stage's sending number: texts above its rate wait in Twilio's queue, as they would.
    messagesPerSecond: options.smsMessagesPerSecond ?? LOCAL_SMS_MESSAGES_PER_SECOND,
  });
  const twilioPort = await twilioApi.listen(0);
  // POST /local/faults: the Twilio API consults the faults for every send (a test that sets a rule of its
  // own with failWhen replaces this one); SES is reached through a proxy that answers a covered send with
  // SES's error.
  const faults = new LocalFaults(options.clock);
  twilioApi.failWhen(faults.smsRule);
  const sesProxy = await startSesFaultProxy(faults, `http://127.0.0.1:${sesPort}`);

  if (options.meter?.dynamoDbRequest) meterDynamoDb(db, options.clock, options.meter.dynamoDbRequest);
  return {
    // One store for every handler: the sender's, which also records whether our channels reach a member.
    store: new DynamoDbSenderStore(db, tableName),
    scheduler: new DynamoDbLocalScheduler(db, tableName),
    setups: new DynamoDbSetupStore(db, tableName),
    sms: new TwilioSms({
      accountSid: LOCAL_TWILIO_ACCOUNT_SID,
      authToken: options.twilioAuthToken,
      from: LOCAL_TWILIO_NUMBER,
      apiBaseUrl: `http://127.0.0.1:${twilioPort}`,
      // The real `twilio` package's HTTP client talks to the loopback API (Lambdas use fetchTransport).
      transport: twilioPackageTransport(),
    }),
    email: new LocalEmail(
      new SesV2Email(
        new SESv2Client({
          endpoint: `http://127.0.0.1:${sesProxy.port}`,
          region: 'local',
          credentials: LOCAL_CREDENTIALS,
        }),
        { from: 'Soft Partner <hello@soft-partner.local>', configurationSetName: 'soft-partner-local' },
      ),
      options.clock,
    ),
    emailSettings: {
      linkSecret: process.env.LINK_SECRET ?? LOCAL_LINK_SECRET,
      publicBaseUrl: (options.publicBaseUrl ?? 'http://127.0.0.1').replace(/\/$/, ''),
      inboundDomain: LOCAL_INBOUND_DOMAIN,
    },
    // The inbound mail "bucket": SES's S3 action writes inbound/<message id>; locally, a folder.
    rawMail: new FileRawMail(join(dataDir, 'inbound-mail')),
    twilioApi,
    faults,
    ports: { dynamodb: dynamo.port, ses: sesPort, twilio: twilioPort },
    dynamoDb: table,
    async close() {
      await sesProxy.close();
      await twilioApi.close();
      await closeServer(ses);
      await dynamo.close();
    },
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const clock = new VirtualClock(options.clockStart);
  // The HTTP server listens first (the links in emails need its address) and answers 503 until the
  // embedded servers are up, so /health turns 200 only when everything is ready.
  let route: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | undefined;
  const http = createServer((request, response) => {
    if (!route) {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify({ status: 'starting' }));
      return;
    }
    route(request, response).catch((error: unknown) => {
      logger.error('local router failed', { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Internal error' }));
    });
  });
  const httpPort = await listen(http, options.port);
  const url = `http://127.0.0.1:${httpPort}`;
  const publicBaseUrl = (options.publicBaseUrl ?? url).replace(/\/$/, '');
  const servers = await startEmbeddedServers({
    dataDir: options.dataDir,
    clock,
    twilioAuthToken: options.twilioAuthToken,
    publicBaseUrl,
    ...(options.meter ? { meter: options.meter } : {}),
    ...(options.dynamoDb ? { dynamoDb: options.dynamoDb } : {}),
  }).catch(async (error: unknown) => {
    // E.g. no Java for DynamoDB Local: the error says what to do; leave nothing listening.
    await closeServer(http);
    throw error;
  });
  const { store, scheduler, sms, email, emailSettings, rawMail, twilioApi } = servers;

  const timed = invocationTimer(options.meter);
  const dispatch = timed(
    'dispatch',
    createSendQueueHandler(async () => ({ store, sms, scheduler, clock, email, emailSettings })),
  );
  const setup = timed(
    'self-serve',
    createSetupQueueHandler(async () => ({
      store,
      setups: servers.setups,
      scheduler,
      sms,
      clock,
      selfServe: options.selfServe ?? true,
      smsCountries: options.smsCountries ?? LOCAL_SMS_COUNTRIES,
    })),
  );
  // In AWS the Scheduler puts setup steps on the setup queue and every other step on the send queue.
  const sender = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const isSetup = (record: SQSRecord) => {
      try {
        return isSetupStepKind((JSON.parse(record.body) as { kind?: unknown }).kind);
      } catch {
        return false;
      }
    };
    const setupRecords = event.Records.filter(isSetup);
    const otherRecords = event.Records.filter((record) => !isSetup(record));
    const failures = [
      ...(setupRecords.length ? (await setup({ Records: setupRecords })).batchItemFailures : []),
      ...(otherRecords.length ? (await dispatch({ Records: otherRecords })).batchItemFailures : []),
    ];
    return { batchItemFailures: failures };
  };
  const clockDriver = new LocalClockDriver(clock, scheduler, sender, {
    ...(options.sweepEveryMinutes ? { sweepEveryMinutes: options.sweepEveryMinutes } : {}),
    timeMoved: () => twilioApi.release(),
  });
  const router = createLocalRouter({
    enroll: timed(
      'enroll',
      createEnrollHandler(async () => ({
        store,
        scheduler,
        clock,
        apiKey: options.apiKey,
        smsCountries: options.smsCountries ?? LOCAL_SMS_COUNTRIES,
      })),
    ),
    inboundSms: timed(
      'inbound-sms',
      createTwilioWebhooksHandler(async () => ({
        store,
        scheduler,
        clock,
        authToken: options.twilioAuthToken,
        publicBaseUrl,
      })),
    ),
    inboundSmsPath: ROUTES.twilioSms,
    inboundEmail: timed(
      'inbound-email',
      createInboundEmailHandler(async () => ({ store, scheduler, clock, rawMail, emailSettings })),
    ),
    rawMail,
    emailEvents: timed(
      'email-events',
      createEmailEventsHandler(async () => ({ store, clock })),
    ),
    emailLinks: timed(
      'email-links',
      createEmailLinksHandler(async () => ({
        store,
        scheduler,
        clock,
        linkSecret: emailSettings.linkSecret,
      })),
    ),
    twilioApi,
    twilioNumber: LOCAL_TWILIO_NUMBER,
    sesUrl: `http://127.0.0.1:${servers.ports.ses}`,
    emailSentAt: servers.email.sentAt,
    clock,
    clockDriver,
    faults: servers.faults,
    schedules: scheduler,
    simulator: new LocalSimulator({
      scheduler,
      twilioApi,
      clock,
      sesUrl: `http://127.0.0.1:${servers.ports.ses}`,
      emailSentAt: servers.email.sentAt,
      config: {
        apiKey: options.apiKey,
        twilioAuthToken: options.twilioAuthToken,
        twilioAccountSid: LOCAL_TWILIO_ACCOUNT_SID,
        twilioNumber: LOCAL_TWILIO_NUMBER,
        webhookUrl: publicBaseUrl + ROUTES.twilioSms,
      },
    }),
  });
  route = router;

  return {
    url,
    ports: { http: httpPort, ...servers.ports },
    dynamoDb: servers.dynamoDb,
    async close() {
      await closeServer(http);
      await servers.close();
    },
  };
}
