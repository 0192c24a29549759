import { describe, expect, it } from 'vitest';
import { smsSegments } from '#templates/sms-segments.js';
import {
  type CostRecording,
  estimateCost,
  type PriceTable,
  priceTableSchema,
  readPrices,
  readRecording,
  recordingSchema,
} from '../../scripts/cost.js';

const GB = 1024 ** 3;
const price = (usd: number) => ({ usd, per: 'unit', source: 'https://example.com/pricing' });
const assumption = (value: number) => ({ value, note: 'test' });

/** Round prices and a 28-day month: two trials per member, so a month is per member-trial × 2 × members. */
const PRICES: PriceTable = priceTableSchema.parse({
  retrieved: '2026-11-24',
  region: 'us-east-1',
  currency: 'USD',
  note: 'hand-made for the test',
  prices: {
    twilioSmsOutboundSegment: price(0.01),
    twilioSmsInboundSegment: price(0.01),
    usCarrierFeeOutboundSegment: price(0.002),
    twilioPhoneNumberMonth: price(1),
    sesOutboundEmail: price(0.0001),
    sesInboundEmail: price(0.0001),
    sesInboundChunk: price(0.00009),
    s3PutRequest: price(0.000005),
    s3GetRequest: price(0.0000004),
    lambdaRequest: price(0.0000002),
    lambdaGbSecondArm64: price(0.00001),
    lambdaGbSecondX86: price(0.00002),
    dynamoDbWriteRequestUnit: price(0.000001),
    dynamoDbReadRequestUnit: price(0.0000001),
    dynamoDbStorageGbMonth: price(0.25),
    schedulerInvocation: price(0.000001),
    sqsRequest: price(0.0000004),
    apiGatewayHttpRequest: price(0.000001),
    cloudWatchLogsIngestedGb: price(0.5),
    cloudWatchAlarmMonth: price(0.1),
    cloudWatchCompositeAlarmMonth: price(0.5),
    cloudWatchDashboardMonth: price(3),
    cloudWatchCustomMetricMonth: price(0.3),
    kmsKeyMonth: price(1),
    secretsManagerSecretMonth: price(0.4),
    secretsManagerApiCall: price(0.000005),
  },
  assumptions: {
    trialDays: assumption(14),
    daysPerMonth: assumption(28),
    sqsRequestsPerMessage: assumption(3),
    sqsPollersPerEventSourceMapping: assumption(5),
    sqsLongPollSeconds: assumption(20),
    // 20 invocations × (GB/40 + GB/40) = 1 GB, on top of the 1 GB the recording logged.
    lambdaPlatformLogBytesPerInvocation: assumption(GB / 40),
    metricsLogBytesPerInvocation: assumption(GB / 40),
    coldStartsPerInvocation: assumption(0.1),
    initDurationMs: assumption(500),
    sendLatencyMs: assumption(100),
    secretReadsPerColdStart: assumption(2),
    twilioPhoneNumbers: assumption(1),
  },
});

const arm64 = { memoryMb: 1024, architecture: 'arm64' as const };

/** A pair trial with small round counts. */
const RECORDING: CostRecording = recordingSchema.parse({
  recorded: '2026-11-24',
  scenario: {
    summary: 'hand-made',
    clockStart: '2026-11-24T14:00:00.000Z',
    clockEnd: '2026-12-09T12:00:00.000Z',
    members: [],
    replies: [],
  },
  trial: {
    members: 2,
    sms: {
      outboundApi: { messages: 10, segments: 12 },
      outboundReply: { messages: 4, segments: 4 },
      inbound: { messages: 4, segments: 4 },
      ucs2Messages: 0,
    },
    email: { outbound: 6, inbound: 2, inboundChunks: 2 },
    dynamoDb: {
      requests: { PutItem: 10 },
      readRequestUnits: 40,
      writeRequestUnits: 100,
      storedBytes: 2 * GB,
    },
    scheduler: { schedulesCreated: 8, invocations: 8, cancelled: 0 },
    sqs: { messages: 10, sentByScheduler: 8, sentDirectly: 2 },
    lambda: {
      invocations: {
        enroll: 2,
        'inbound-sms': 4,
        dispatch: 10,
        'inbound-email': 2,
        'email-links': 2,
        'email-events': 0,
      },
    },
    apiGateway: {
      requests: { 'POST /partnerships': 2, 'POST /webhooks/twilio/sms': 4, 'GET /email/action': 2 },
    },
    logs: { lines: 10, bytes: GB },
  },
  measured: {
    note: 'hand-made',
    // Lambda bills whole milliseconds: 99.2 ms is 100.
    lambdaMedianMs: {
      enroll: 100,
      'inbound-sms': 100,
      dispatch: 99.2,
      'inbound-email': 100,
      'email-links': 100,
      'email-events': 0,
    },
  },
  infrastructure: {
    stage: 'prod',
    functions: {
      enroll: arm64,
      'inbound-sms': arm64,
      dispatch: arm64,
      'inbound-email': arm64,
      'email-links': arm64,
      'email-events': arm64,
    },
    secrets: 3,
    alarms: 5,
    compositeAlarms: 0,
    dashboards: 1,
    kmsKeys: 0,
    sqsEventSourceMappings: 1,
    customMetrics: 10,
  },
});

describe('smsSegments', () => {
  it.each<[string, string, { encoding: 'GSM-7' | 'UCS-2'; segments: number }]>([
    ['160 GSM-7 characters fit one segment', 'a'.repeat(160), { encoding: 'GSM-7', segments: 1 }],
    ['161 GSM-7 characters take two', 'a'.repeat(161), { encoding: 'GSM-7', segments: 2 }],
    ['306 GSM-7 characters take two of 153', 'a'.repeat(306), { encoding: 'GSM-7', segments: 2 }],
    ['307 GSM-7 characters take three', 'a'.repeat(307), { encoding: 'GSM-7', segments: 3 }],
    ['an extension character (€) counts twice', `${'a'.repeat(159)}€`, { encoding: 'GSM-7', segments: 2 }],
    ['70 UCS-2 characters fit one segment', 'ś'.repeat(70), { encoding: 'UCS-2', segments: 1 }],
    ['71 UCS-2 characters take two', 'ś'.repeat(71), { encoding: 'UCS-2', segments: 2 }],
    ['134 UCS-2 characters take two of 67', 'ś'.repeat(134), { encoding: 'UCS-2', segments: 2 }],
    ['one emoji makes the whole text UCS-2', `Yes ${'a'.repeat(70)} 👍`, { encoding: 'UCS-2', segments: 2 }],
    ['an emoji is two UTF-16 units', `${'a'.repeat(68)}👍`, { encoding: 'UCS-2', segments: 1 }],
    [
      '…and never split across segments',
      `${'a'.repeat(66)}👍${'a'.repeat(66)}`,
      { encoding: 'UCS-2', segments: 3 },
    ],
    [
      'nor is an escaped GSM-7 character',
      `${'a'.repeat(152)}€${'a'.repeat(152)}`,
      { encoding: 'GSM-7', segments: 3 },
    ],
  ])('%s', (_case, text, expected) => {
    expect(smsSegments(text)).toEqual(expected);
  });
});

describe('estimateCost', () => {
  const estimate = estimateCost(RECORDING, PRICES, 100);
  const row = (service: string) => {
    const found = estimate.rows.find((each) => each.service === service);
    if (!found) throw new Error(`no row ${service}`);
    return found;
  };

  it('counts two trials a month per member when a month is 28 days', () => {
    expect(estimate.trialsPerMemberPerMonth).toBe(2);
  });

  it.each<[string, number, number, number]>([
    // service, per member-trial (pair count / 2), per month for 100 members (× 2 × 100), cost
    ['Twilio SMS, sent by API', 6, 1_200, 12],
    ['Twilio SMS, TwiML replies', 2, 400, 4],
    ['Twilio SMS, received', 2, 400, 4],
    ['US carrier fees (sent SMS)', 8, 1_600, 3.2],
    ['SES, emails sent', 3, 600, 0.06],
    ['SES, emails received', 1, 200, 0.02],
    ['SES, received mail chunks', 1, 200, 0.018],
    ['S3, raw inbound mail', 1, 200, 0.00108],
    ['Lambda, requests', 10, 2_000, 0.0004],
    // 20 × 100 ms + 20 × 0.1 cold starts × 500 ms + 16 sends × 100 ms = 4.6 s at 1 GB, per pair.
    ['Lambda, compute (arm64)', 2.3, 460, 0.0046],
    ['DynamoDB, writes', 50, 10_000, 0.01],
    ['DynamoDB, reads', 20, 4_000, 0.0004],
    ['DynamoDB, storage added', 1, 200, 50],
    ['EventBridge Scheduler', 4, 800, 0.0008],
    ['SQS, send queue', 15, 3_000, 0.0012],
    ['API Gateway HTTP API', 4, 800, 0.0008],
    ['CloudWatch Logs, ingested', 1, 200, 100],
    // 20 invocations × 0.1 cold starts × 2 secrets = 4 calls per pair.
    ['Secrets Manager, API calls', 2, 400, 0.002],
  ])('prices %s: %d per member-trial, %d a month, $%d', (service, perMemberTrial, perMonth, cost) => {
    expect(row(service).perMemberTrial).toBeCloseTo(perMemberTrial, 9);
    expect(row(service).perMonth).toBeCloseTo(perMonth, 6);
    expect(row(service).costPerMonth).toBeCloseTo(cost, 9);
  });

  it('lists the fixed monthly costs apart, leaving out what the stage does not have', () => {
    expect(estimate.fixed.map(({ item, costPerMonth }) => [item, costPerMonth])).toEqual([
      ['Secrets Manager secrets', expect.closeTo(1.2, 9)],
      ['CloudWatch alarms', expect.closeTo(0.5, 9)],
      ['CloudWatch dashboards', 3],
      ['CloudWatch custom metrics (at most)', expect.closeTo(3, 9)],
      // One event source mapping × 5 pollers × (28 days / 20 s) = 604,800 empty receives.
      ['SQS empty receives (Lambda pollers)', expect.closeTo(0.24192, 9)],
      ['Twilio phone number', 1],
    ]);
  });

  it('adds up the totals, the cost per member and the SMS share', () => {
    expect(estimate.variablePerMonth).toBeCloseTo(173.31928, 9);
    expect(estimate.fixedPerMonth).toBeCloseTo(8.94192, 9);
    expect(estimate.totalPerMonth).toBeCloseTo(182.2612, 9);
    expect(estimate.perMemberPerMonth).toBeCloseTo(1.822612, 9);
    expect(estimate.smsShare).toBeCloseTo(23.2 / 182.2612, 9);
  });

  it('prices x86_64 functions at the x86_64 rate, in a row of their own', () => {
    const x86 = {
      ...RECORDING,
      infrastructure: {
        ...RECORDING.infrastructure,
        functions: {
          ...RECORDING.infrastructure.functions,
          dispatch: { memoryMb: 1024, architecture: 'x86_64' },
        },
      },
    } satisfies CostRecording;
    const rows = estimateCost(x86, PRICES, 100).rows;
    // dispatch: 10 × 100 ms + 10 × 0.1 × 500 ms + 16 sends × 100 ms = 3.1 s per pair; the others 1.5 s.
    expect(rows.find((each) => each.service === 'Lambda, compute (x86_64)')?.costPerMonth).toBeCloseTo(
      1.55 * 200 * 0.00002,
      12,
    );
    expect(rows.find((each) => each.service === 'Lambda, compute (arm64)')?.costPerMonth).toBeCloseTo(
      0.75 * 200 * 0.00001,
      12,
    );
  });
});

describe('the committed price table and recording', () => {
  it('are dated, and read back through their schemas', () => {
    expect(readPrices().retrieved).toBe('2026-11-24');
    expect(readRecording().trial.members).toBe(2);
  });

  it('name the page each price comes from', () => {
    for (const [name, each] of Object.entries(readPrices().prices)) {
      expect(each.source, name).toMatch(/^https:\/\/(aws\.amazon\.com|www\.twilio\.com)\//);
    }
  });
});
