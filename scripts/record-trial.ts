/**
 * Records what one 14-day pair trial makes the code do, for `npm run cost -- --record`: a real trial on
 * the embedded local stack, driven over its HTTP surface as in test/integration, with counters on the
 * outbox, on every DynamoDB request, on every handler invocation and on the log lines written.
 *
 * What the local stack does differently from AWS is translated here, in one place:
 * - the local scheduler keeps schedules as `SCHEDULE#` items in the table and queries them by due time
 *   on gsi1: in AWS those are Scheduler API calls, so they are not DynamoDB requests;
 * - in AWS a step due within 15 minutes goes straight to the send queue instead of becoming a schedule
 *   (shared/adapters/aws-scheduler.ts): the same rule is applied to each scheduled step, with the
 *   virtual time at which it was scheduled.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import {
  dynamoDbClientConfig,
  type LocalDynamoDbTable,
  type LocalFunctionName,
  type LocalStackMeter,
  type MeteredDynamoDbRequest,
  startLocalStack,
} from '#local/stack.js';
import { MAX_QUEUE_DELAY_SECONDS } from '#shared/adapters/aws-scheduler.js';
import { logger } from '#shared/runtime/logger.js';
import { smsSegments } from '#templates/sms-segments.js';
import {
  type CostRecording,
  FUNCTION_NAMES,
  type Infrastructure,
  type TrialCounts,
} from './cost-recording.js';

const API_KEY = 'cost-recording-api-key';
const TWILIO_AUTH_TOKEN = 'cost-recording-twilio-token';
const TWILIO_NUMBER = '+15005550006';
/** Links in texts and emails as long as the HTTP API's own endpoint makes them in AWS. */
const PUBLIC_BASE_URL = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com';
const CLOCK_START = '2026-11-24T14:00:00.000Z';
const DAY_MS = 86_400_000;
/** SES bills received mail per message and per 256 KB chunk of it. */
const INBOUND_CHUNK_BYTES = 256 * 1024;
/** DynamoDB stores 100 bytes of overhead with every item. */
const ITEM_OVERHEAD_BYTES = 100;

/** Ada checks in by text; Ben checks in by email (and still gets news and reminders by text). */
const ADA = {
  name: 'Ada',
  phone: '+12125550181',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
};
const BEN = {
  name: 'Ben',
  phone: '+13125550182',
  timezone: 'America/Chicago',
  checkInTime: '07:30',
  goal: 'run 3 km',
  email: 'ben.cost-recording@example.com',
  checkInBy: 'email',
};

type Reply =
  | { who: 'Ada' | 'Ben'; by: 'sms'; text: string }
  | { who: 'Ben'; by: 'email'; text: string }
  /** Opens a button of Ben's latest email (GET, the confirmation page) and presses it (POST). */
  | { who: 'Ben'; by: 'button'; label: string };

const adaTexts = (text: string): Reply => ({ who: 'Ada', by: 'sms', text });
const benEmails = (text: string): Reply => ({ who: 'Ben', by: 'email', text });

/**
 * What the pair answers on each day of the trial, at 14:00 UTC, after both check-ins (13:30 UTC):
 * YES most days, and once each a grace day, a need taken on, a mood, the Day-3 words and the Day-7
 * number; on Day 14 both continue.
 */
const REPLIES: Record<number, Reply[]> = {
  0: [adaTexts('yes'), { who: 'Ben', by: 'sms', text: 'YES' }],
  2: [adaTexts('yes'), { who: 'Ben', by: 'button', label: 'Yes, on track' }],
  3: [
    adaTexts('mornings are easy, evenings are hard'),
    benEmails('Easy: the first kilometre. Hard: getting out of the door when it rains.'),
  ],
  4: [adaTexts('grace'), benEmails('yes')],
  5: [
    adaTexts('need 20 min of feedback on the draft'),
    benEmails('yes'),
    { who: 'Ben', by: 'sms', text: 'ON IT' },
  ],
  6: [adaTexts('yes, mood 4'), { who: 'Ben', by: 'button', label: '4' }],
  7: [adaTexts('4'), benEmails('5')],
  14: [adaTexts('CONTINUE'), benEmails('continue')],
};
const repliesOn = (day: number): Reply[] => REPLIES[day] ?? [adaTexts('yes'), benEmails('yes')];

interface OutboxSms {
  to: string;
  body: string;
  direction: string;
}
interface OutboxEmail {
  to: string;
  text: string;
  replyTo: string | null;
}

/** A reply as a mail client writes it: our Reply-To as recipient, the member's words, our email quoted. */
function replyEmail(from: string, to: string, text: string, messageNumber: number): string {
  return [
    `From: Ben <${from}>`,
    `To: ${to}`,
    'Subject: Re: Still on track today?',
    `Message-ID: <cost-recording-${messageNumber}@mail.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
    `On Tue, Nov 24, 2026 at 7:30 AM Soft Partner <${to}> wrote:`,
    '> Still on track today?',
    '',
  ].join('\r\n');
}

/** Approximate stored size of a DynamoDB item: attribute names plus values, as DynamoDB sizes them. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  const valueBytes = (value: AttributeValue): number => {
    if (value.S !== undefined) return Buffer.byteLength(value.S);
    if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
    if (value.B !== undefined) return value.B.length;
    if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
    if (value.L !== undefined) return 3 + value.L.reduce((total, each) => total + 1 + valueBytes(each), 0);
    if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
    if (value.SS !== undefined) return value.SS.reduce((total, each) => total + Buffer.byteLength(each), 0);
    if (value.NS !== undefined) return value.NS.reduce((total, each) => total + each.length, 0);
    return 0;
  };
  return Object.entries(item).reduce(
    (total, [name, value]) => total + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const READ_COMMANDS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** Counts DynamoDB requests, read and write units, and what the local scheduler stands in for. */
class Counters {
  readonly dynamoRequests: Record<string, number> = {};
  readRequestUnits = 0;
  writeRequestUnits = 0;
  schedulesCreated = 0;
  scheduleDeletes = 0;
  /** How each schedule name would have reached the send queue in AWS. */
  readonly routes = new Map<string, 'schedule' | 'queue'>();
  readonly sqs = { sentByScheduler: 0, sentDirectly: 0 };
  readonly invocations: Record<LocalFunctionName, number> = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, 0]),
  ) as Record<LocalFunctionName, number>;
  readonly milliseconds = new Map<LocalFunctionName, number[]>();
  readonly apiRequests: Record<string, number> = {};

  readonly meter: LocalStackMeter = {
    dynamoDbRequest: (request) => this.dynamoDbRequest(request),
    invocation: ({ name, event, milliseconds }) => {
      this.invocations[name] += 1;
      this.milliseconds.set(name, [...(this.milliseconds.get(name) ?? []), milliseconds]);
      const routeKey = (event as { routeKey?: unknown }).routeKey;
      if (typeof routeKey === 'string') this.apiRequests[routeKey] = (this.apiRequests[routeKey] ?? 0) + 1;
      if (name === 'dispatch') {
        for (const record of (event as SQSEvent).Records) {
          const step = JSON.parse(record.body) as { scheduleName: string };
          if (this.routes.get(step.scheduleName) === 'queue') this.sqs.sentDirectly += 1;
          else this.sqs.sentByScheduler += 1;
        }
      }
    },
  };

  private dynamoDbRequest({ command, input, output, error, at }: MeteredDynamoDbRequest) {
    const name = command.replace(/Command$/, '');
    const key = (input.Key ?? input.Item) as { pk?: unknown } | undefined;
    const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
    if (typeof key?.pk === 'string' && key.pk.startsWith('SCHEDULE#')) {
      // The local scheduler's own items: CreateSchedule, or the delete after firing / a cancel.
      if (name === 'PutItem') this.scheduled(input.Item as { pk: string; payload: string }, at);
      if (name === 'DeleteItem') this.scheduleDeletes += 1;
      return;
    }
    if (values?.[':pk'] === 'SCHEDULES') return;
    this.dynamoRequests[name] = (this.dynamoRequests[name] ?? 0) + 1;
    const consumed = output?.ConsumedCapacity as
      | { CapacityUnits?: number }
      | Array<{ CapacityUnits?: number }>
      | undefined;
    const units = [consumed ?? []].flat().reduce((total, each) => total + (each.CapacityUnits ?? 0), 0);
    const isRead = READ_COMMANDS.has(name);
    // A write refused by its condition still consumes (at least) one write unit.
    const charged = error && !isRead ? Math.max(units, 1) : units;
    if (isRead) this.readRequestUnits += charged;
    else this.writeRequestUnits += charged;
  }

  private scheduled(item: { pk: string; payload: string }, at: Date) {
    const name = item.pk.slice('SCHEDULE#'.length);
    const { scheduledTime } = JSON.parse(item.payload) as { scheduledTime: string };
    const delaySeconds = Math.ceil((Date.parse(scheduledTime) - at.getTime()) / 1000);
    const route = delaySeconds <= MAX_QUEUE_DELAY_SECONDS ? 'queue' : 'schedule';
    this.routes.set(name, route);
    if (route === 'schedule') this.schedulesCreated += 1;
  }

  medianMilliseconds(): Record<LocalFunctionName, number> {
    return Object.fromEntries(
      FUNCTION_NAMES.map((name) => [name, Math.round(median(this.milliseconds.get(name) ?? []) * 10) / 10]),
    ) as Record<LocalFunctionName, number>;
  }
}

/** Swallows the handlers' JSON log lines while `run` runs, and measures them (CloudWatch Logs ingestion). */
async function capturingLogs<T>(run: () => Promise<T>): Promise<{ result: T; lines: number; bytes: number }> {
  const captured = { lines: 0, bytes: 0 };
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const lines = text.split('\n').filter((line) => line.length > 0);
      if (lines.length === 0 || !lines.every((line) => /^\{.*"level":/.test(line))) {
        return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      }
      captured.lines += lines.length;
      captured.bytes += lines.reduce((total, line) => total + Buffer.byteLength(line), 0);
      const callback = rest.find((each) => typeof each === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  });
  // Production logs at INFO (infra/config.ts); record at that level whatever this process was told.
  const level = logger.getLevelName();
  logger.setLogLevel('INFO');
  try {
    return { result: await run(), ...captured };
  } finally {
    logger.setLogLevel(level);
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
}

/** Runs the scenario on a fresh local stack and counts what it made the code do. */
export async function recordTrialCounts(): Promise<{
  trial: TrialCounts;
  lambdaMedianMs: Record<LocalFunctionName, number>;
  clockEnd: string;
}> {
  const counters = new Counters();
  const dataDir = await mkdtemp(join(tmpdir(), 'soft-partner-cost-'));
  const stack = await startLocalStack({
    port: 0,
    apiKey: API_KEY,
    twilioAuthToken: TWILIO_AUTH_TOKEN,
    publicBaseUrl: PUBLIC_BASE_URL,
    dataDir,
    clockStart: new Date(CLOCK_START),
    meter: counters.meter,
  });
  const inbound = { sms: [] as string[], emailBytes: [] as number[] };

  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) throw new Error(`recording: POST ${path} answered ${response.status}: ${text}`);
    return text;
  };
  const outbox = async () =>
    (await (await fetch(`${stack.url}/local/outbox`)).json()) as { sms: OutboxSms[]; email: OutboxEmail[] };
  const latestEmailToBen = async () => {
    const latest = (await outbox()).email.filter((email) => email.to === BEN.email).at(-1);
    if (!latest?.replyTo) throw new Error('recording: Ben has no email to answer');
    return latest;
  };

  const say = async (reply: Reply) => {
    if (reply.by === 'sms') {
      const params = {
        MessageSid: `SMcost${String(inbound.sms.length + 1).padStart(28, '0')}`,
        AccountSid: `AC${'0'.repeat(31)}1`,
        From: reply.who === 'Ada' ? ADA.phone : BEN.phone,
        To: TWILIO_NUMBER,
        Body: reply.text,
        NumMedia: '0',
      };
      const signature = getExpectedTwilioSignature(
        TWILIO_AUTH_TOKEN,
        `${PUBLIC_BASE_URL}/webhooks/twilio/sms`,
        params,
      );
      inbound.sms.push(reply.text);
      await post('/webhooks/twilio/sms', new URLSearchParams(params).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      });
    } else if (reply.by === 'email') {
      const raw = replyEmail(
        BEN.email,
        (await latestEmailToBen()).replyTo ?? '',
        reply.text,
        inbound.emailBytes.length + 1,
      );
      inbound.emailBytes.push(Buffer.byteLength(raw));
      const answer = JSON.parse(
        await post('/local/inbound-email', raw, { 'content-type': 'message/rfc822' }),
      ) as { outcome?: { result?: string } };
      if (answer.outcome?.result !== 'applied')
        throw new Error(`recording: Ben's email "${reply.text}" was ${answer.outcome?.result}`);
    } else {
      const match = new RegExp(`^${reply.label}:\\s+(\\S+)`, 'm').exec((await latestEmailToBen()).text);
      if (!match?.[1]) throw new Error(`recording: no "${reply.label}" button in Ben's latest email`);
      const link = match[1].replace(PUBLIC_BASE_URL, stack.url);
      for (const method of ['GET', 'POST']) {
        const response = await fetch(link, { method });
        if (response.status !== 200)
          throw new Error(`recording: ${method} ${reply.label} → ${response.status}`);
      }
    }
  };

  const clockEnd = new Date(Date.parse(CLOCK_START) + 14 * DAY_MS + 22 * 3_600_000).toISOString();
  try {
    const { result: sent, ...logs } = await capturingLogs(async () => {
      const enrolled = await fetch(`${stack.url}/partnerships`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ members: [ADA, BEN] }),
      });
      if (enrolled.status !== 201) throw new Error(`recording: enrollment answered ${enrolled.status}`);
      for (let day = 0; day <= 14; day++) {
        if (day > 0) await advanceTo(stack.url, new Date(Date.parse(CLOCK_START) + day * DAY_MS));
        for (const reply of repliesOn(day)) await say(reply);
      }
      // To Day 15, 12:00 UTC: after the Day-14 answers, before the next trial's first check-in.
      await advanceTo(stack.url, new Date(clockEnd));
      return outbox();
    });
    assertScenarioRan(sent);

    const segments = (texts: string[]) => ({
      messages: texts.length,
      segments: texts.reduce((total, text) => total + smsSegments(text).segments, 0),
    });
    const bodies = (direction: string) =>
      sent.sms.filter((sms) => sms.direction === direction).map((sms) => sms.body);
    const allTexts = [...sent.sms.map((sms) => sms.body), ...inbound.sms];
    const deliveries = counters.sqs.sentByScheduler + counters.sqs.sentDirectly;
    const trial: TrialCounts = {
      members: 2,
      sms: {
        outboundApi: segments(bodies('outbound-api')),
        outboundReply: segments(bodies('outbound-reply')),
        inbound: segments(inbound.sms),
        ucs2Messages: allTexts.filter((text) => smsSegments(text).encoding === 'UCS-2').length,
      },
      email: {
        outbound: sent.email.filter((email) => email.to === BEN.email).length,
        inbound: inbound.emailBytes.length,
        inboundChunks: inbound.emailBytes.reduce(
          (total, bytes) => total + Math.ceil(bytes / INBOUND_CHUNK_BYTES),
          0,
        ),
      },
      dynamoDb: {
        requests: sortedKeys(counters.dynamoRequests),
        readRequestUnits: counters.readRequestUnits,
        writeRequestUnits: counters.writeRequestUnits,
        storedBytes: await storedBytes(stack.dynamoDb),
      },
      scheduler: {
        schedulesCreated: counters.schedulesCreated,
        invocations: counters.sqs.sentByScheduler,
        cancelled: Math.max(0, counters.scheduleDeletes - deliveries),
      },
      sqs: { messages: deliveries, ...counters.sqs },
      lambda: { invocations: { ...counters.invocations } },
      apiGateway: { requests: sortedKeys(counters.apiRequests) },
      logs,
    };
    return { trial, lambdaMedianMs: counters.medianMilliseconds(), clockEnd };
  } finally {
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function advanceTo(url: string, to: Date) {
  const response = await fetch(`${url}/local/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: to.toISOString() }),
  });
  if (!response.ok) throw new Error(`recording: advancing the clock answered ${response.status}`);
}

/** The counts only mean something if the trial went as scripted. */
function assertScenarioRan(sent: { sms: OutboxSms[]; email: OutboxEmail[] }) {
  const to = (phone: string) => sent.sms.filter((sms) => sms.to === phone).map((sms) => sms.body);
  const expectations: Array<[string, boolean]> = [
    ['Ada gets a Day-14 review', to(ADA.phone).some((body) => body.startsWith('Day 14,'))],
    ['Ben hears about Ada’s need', to(BEN.phone).some((body) => body.includes('20 min of feedback'))],
    ['Ben gets check-ins by email', sent.email.filter((email) => email.to === BEN.email).length >= 14],
  ];
  const failed = expectations.filter(([, ok]) => !ok).map(([what]) => what);
  if (failed.length > 0) throw new Error(`recording: the scenario did not run: ${failed.join('; ')}`);
}

/** Bytes the trial leaves in the table, its schedules aside (in AWS they live in Scheduler). */
async function storedBytes(table: LocalDynamoDbTable): Promise<number> {
  const client = new DynamoDBClient(dynamoDbClientConfig(table));
  let total = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      if (item.pk?.S?.startsWith('SCHEDULE#')) continue;
      total += itemBytes(item) + ITEM_OVERHEAD_BYTES;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  client.destroy();
  return total;
}

const sortedKeys = (record: Record<string, number>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** What the `prod` stage is made of, from the CDK app synthesized without bundling. */
export async function countInfrastructure(stage = 'prod'): Promise<Infrastructure> {
  const { App } = await import('aws-cdk-lib');
  const { Template } = await import('aws-cdk-lib/assertions');
  const { APP_PREFIX, resolveStageConfig } = await import('../infra/config.js');
  const { addSoftPartnerStacks } = await import('../infra/soft-partner.js');
  const { METRIC } = await import('#shared/runtime/metrics.js');
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], stage } });
  const stacks = addSoftPartnerStacks(app, resolveStageConfig(app.node));
  const resources = [stacks.stateful, stacks.stateless].flatMap(
    (stack) =>
      Object.values(Template.fromStack(stack).toJSON().Resources ?? {}) as Array<{
        Type: string;
        Properties?: Record<string, unknown>;
      }>,
  );
  const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
  const prefix = `${APP_PREFIX}-${stage}-`;
  const functions = Object.fromEntries(
    ofType('AWS::Lambda::Function').flatMap(({ Properties = {} }) => {
      const name = Properties.FunctionName;
      if (typeof name !== 'string' || !name.startsWith(prefix)) return [];
      const architectures = (Properties.Architectures as string[] | undefined) ?? ['x86_64'];
      return [
        [
          name.slice(prefix.length),
          {
            memoryMb: Number(Properties.MemorySize ?? 128),
            architecture: architectures[0] === 'arm64' ? ('arm64' as const) : ('x86_64' as const),
          },
        ],
      ];
    }),
  );
  return {
    stage,
    functions: Object.fromEntries(Object.entries(functions).sort(([a], [b]) => a.localeCompare(b))),
    secrets: ofType('AWS::SecretsManager::Secret').length,
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    compositeAlarms: ofType('AWS::CloudWatch::CompositeAlarm').length,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    kmsKeys: ofType('AWS::KMS::Key').length,
    sqsEventSourceMappings: ofType('AWS::Lambda::EventSourceMapping').length,
    customMetrics: Object.keys(METRIC).length * Object.keys(functions).length,
  };
}

/** The whole recording that docs/cost-recording.json holds. */
export async function recordCostTrial(today = new Date()): Promise<CostRecording> {
  const { trial, lambdaMedianMs, clockEnd } = await recordTrialCounts();
  return {
    recorded: today.toISOString().slice(0, 10),
    scenario: {
      summary:
        'one pair, 14 days on the local stack: Ada checks in by text, Ben by email; YES most days, one grace, one need taken on (ON IT), moods, the Day-3 words, the Day-7 number, CONTINUE on Day 14.',
      clockStart: CLOCK_START,
      clockEnd,
      members: [
        { name: ADA.name, checkIns: 'sms', timezone: ADA.timezone, checkInTime: ADA.checkInTime },
        { name: BEN.name, checkIns: 'email', timezone: BEN.timezone, checkInTime: BEN.checkInTime },
      ],
      replies: Array.from({ length: 15 }, (_, day) =>
        repliesOn(day)
          .map((reply) =>
            reply.by === 'button'
              ? `${reply.who} presses "${reply.label}" in the email`
              : `${reply.who} ${reply.by === 'sms' ? 'texts' : 'emails'} "${reply.text}"`,
          )
          .join('; ')
          .replace(/^/, day === 0 ? 'Enrollment day: ' : `Day ${day}: `),
      ),
    },
    trial,
    measured: {
      note: 'median wall time of each handler in the recording process, on the local servers; varies from run to run',
      lambdaMedianMs,
    },
    infrastructure: await countInfrastructure(),
  };
}
