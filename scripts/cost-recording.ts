/**
 * The recording behind the cost estimate: docs/cost-recording.json, one real 14-day pair trial on the local
 * stack. scripts/record-trial.ts writes it, scripts/cost.ts reads it; both import its schema from here.
 */
import { readFileSync } from 'node:fs';
import * as z from '#shared/domain/zod.js';

export const RECORDING_PATH = new URL('../docs/cost-recording.json', import.meta.url);

// ── The recording ───────────────────────────────────────────────────────────────────────────────

const count = z.number().check(z.gte(0));
const messagesAndSegments = z.strictObject({ messages: count, segments: count });
export const FUNCTION_NAMES = [
  'enroll',
  'inbound-sms',
  'dispatch',
  'inbound-email',
  'email-links',
  'email-events',
] as const;
const functionName = z.enum(FUNCTION_NAMES);

/** What one recorded 14-day pair trial made the code do. Deterministic: the same on every run. */
export const trialCountsSchema = z.strictObject({
  members: z.number().check(z.int(), z.gt(0)),
  sms: z.strictObject({
    /** Texts we sent through Twilio's API (check-ins, news, forwarded needs …). */
    outboundApi: messagesAndSegments,
    /** TwiML answers to a member's text: Twilio sends and bills them as outbound texts. */
    outboundReply: messagesAndSegments,
    /** What the members texted us: Twilio bills inbound segments too. */
    inbound: messagesAndSegments,
    ucs2Messages: count,
  }),
  email: z.strictObject({ outbound: count, inbound: count, inboundChunks: count }),
  dynamoDb: z.strictObject({
    requests: z.record(z.string(), count),
    readRequestUnits: count,
    writeRequestUnits: count,
    /** Item bytes kept after the trial (DynamoDB's 100 bytes of overhead per item included). */
    storedBytes: count,
  }),
  scheduler: z.strictObject({
    /** CreateSchedule calls: steps due more than 15 minutes after they were scheduled. */
    schedulesCreated: count,
    /** Schedules that fired (what Scheduler bills). */
    invocations: count,
    cancelled: count,
  }),
  sqs: z.strictObject({
    /** Steps through the send queue: every fired schedule, plus steps sent straight to it. */
    messages: count,
    sentByScheduler: count,
    sentDirectly: count,
  }),
  lambda: z.strictObject({ invocations: z.record(functionName, count) }),
  apiGateway: z.strictObject({ requests: z.record(z.string(), count) }),
  logs: z.strictObject({ lines: count, bytes: count }),
});

/** What the deployed stage is made of, from a synthesized `prod` stage. */
export const infrastructureSchema = z.strictObject({
  stage: z.string(),
  functions: z.record(
    z.string(),
    z.strictObject({ memoryMb: count, architecture: z.enum(['arm64', 'x86_64']) }),
  ),
  secrets: count,
  alarms: count,
  compositeAlarms: count,
  dashboards: count,
  kmsKeys: count,
  sqsEventSourceMappings: count,
  /** At most each metric name × each function's `service` dimension. */
  customMetrics: count,
});

export const recordingSchema = z.strictObject({
  recorded: z.iso.date(),
  scenario: z.strictObject({
    summary: z.string(),
    clockStart: z.iso.datetime(),
    clockEnd: z.iso.datetime(),
    members: z.array(z.record(z.string(), z.string())),
    replies: z.array(z.string()),
  }),
  trial: trialCountsSchema,
  /** Wall time of each handler in the recording process: varies from run to run. */
  measured: z.strictObject({ note: z.string(), lambdaMedianMs: z.record(functionName, count) }),
  infrastructure: infrastructureSchema,
});

export type TrialCounts = z.infer<typeof trialCountsSchema>;
export type Infrastructure = z.infer<typeof infrastructureSchema>;
export type CostRecording = z.infer<typeof recordingSchema>;

export function readRecording(path: URL = RECORDING_PATH): CostRecording {
  return recordingSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
