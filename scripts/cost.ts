/**
 * What Soft Partner costs to run, per service, from the requests the code actually makes.
 *
 *   npm run cost -- --members 1000      (the table for 1,000 members in trial all month)
 *   npm run cost -- --record            (re-records the trial first, into docs/cost-recording.json)
 *
 * The counts come from docs/cost-recording.json: one real 14-day pair trial on the local stack
 * (scripts/record-trial.ts). The prices come from docs/prices.json, dated. docs/cost.md explains both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from '#shared/domain/zod.js';
import { type CostRecording, FUNCTION_NAMES, RECORDING_PATH, readRecording } from './cost-recording.js';

// The recording's schema lives in cost-recording.ts, read by this script and written by record-trial.ts.
export {
  type CostRecording,
  FUNCTION_NAMES,
  type Infrastructure,
  infrastructureSchema,
  RECORDING_PATH,
  readRecording,
  recordingSchema,
  type TrialCounts,
  trialCountsSchema,
} from './cost-recording.js';

export const PRICES_PATH = new URL('../docs/prices.json', import.meta.url);
export const COST_DOC_PATH = new URL('../docs/cost.md', import.meta.url);
/** docs/cost.md quotes the report for this many members, between these markers. */
export const DOC_MEMBERS = 1000;
const DOC_BEGIN = '<!-- npm run cost -- --record writes the report below -->';
const DOC_END = '<!-- end of the report -->';

// ── Prices ──────────────────────────────────────────────────────────────────────────────────────

const price = z.strictObject({ usd: z.number().check(z.gte(0)), per: z.string(), source: z.string() });
const assumption = z.strictObject({ value: z.number().check(z.gte(0)), note: z.string() });

export const priceTableSchema = z.strictObject({
  retrieved: z.iso.date(),
  region: z.string(),
  currency: z.literal('USD'),
  note: z.string(),
  prices: z.strictObject({
    twilioSmsOutboundSegment: price,
    twilioSmsInboundSegment: price,
    usCarrierFeeOutboundSegment: price,
    twilioPhoneNumberMonth: price,
    sesOutboundEmail: price,
    sesInboundEmail: price,
    sesInboundChunk: price,
    s3PutRequest: price,
    s3GetRequest: price,
    lambdaRequest: price,
    lambdaGbSecondArm64: price,
    lambdaGbSecondX86: price,
    dynamoDbWriteRequestUnit: price,
    dynamoDbReadRequestUnit: price,
    dynamoDbStorageGbMonth: price,
    schedulerInvocation: price,
    sqsRequest: price,
    apiGatewayHttpRequest: price,
    cloudWatchLogsIngestedGb: price,
    cloudWatchAlarmMonth: price,
    cloudWatchCompositeAlarmMonth: price,
    cloudWatchDashboardMonth: price,
    cloudWatchCustomMetricMonth: price,
    kmsKeyMonth: price,
    secretsManagerSecretMonth: price,
    secretsManagerApiCall: price,
  }),
  assumptions: z.strictObject({
    trialDays: assumption,
    daysPerMonth: assumption,
    sqsRequestsPerMessage: assumption,
    sqsPollersPerEventSourceMapping: assumption,
    sqsLongPollSeconds: assumption,
    lambdaPlatformLogBytesPerInvocation: assumption,
    metricsLogBytesPerInvocation: assumption,
    coldStartsPerInvocation: assumption,
    initDurationMs: assumption,
    sendLatencyMs: assumption,
    secretReadsPerColdStart: assumption,
    twilioPhoneNumbers: assumption,
  }),
});

export type PriceTable = z.infer<typeof priceTableSchema>;

// ── The estimate ────────────────────────────────────────────────────────────────────────────────

export interface CostRow {
  service: string;
  unit: string;
  /** One member's share of one 14-day pair trial. */
  perMemberTrial: number;
  perMonth: number;
  unitPrice: number;
  costPerMonth: number;
  /** Paid to Twilio and the carriers, for the SMS share. */
  sms: boolean;
}

export interface FixedRow {
  item: string;
  quantity: number;
  unitPrice: number;
  costPerMonth: number;
}

export interface CostEstimate {
  members: number;
  trialsPerMemberPerMonth: number;
  rows: CostRow[];
  fixed: FixedRow[];
  variablePerMonth: number;
  fixedPerMonth: number;
  totalPerMonth: number;
  perMemberPerMonth: number;
  smsShare: number;
}

const GB = 1024 ** 3;
const sum = (values: Iterable<number>) => [...values].reduce((total, each) => total + each, 0);

/**
 * The monthly bill for `members` people, each in trial all month (trials back to back), priced from
 * one recorded pair trial: per member-trial = the pair's counts / the recording's members.
 */
export function estimateCost(recording: CostRecording, prices: PriceTable, members: number): CostEstimate {
  const { trial, measured, infrastructure } = recording;
  const p = prices.prices;
  const a = prices.assumptions;
  const trialsPerMemberPerMonth = a.daysPerMonth.value / a.trialDays.value;
  const share = (pairCount: number) => pairCount / trial.members;

  const invocations = sum(Object.values(trial.lambda.invocations));
  const coldStarts = invocations * a.coldStartsPerInvocation.value;
  // Lambda bills each invocation in whole milliseconds, at the function's memory; since August 2025 the
  // INIT phase of a cold start is billed too. Locally Twilio and SES answer in a millisecond; in AWS each
  // send waits for them, which is added to the sender (dispatch), where most sends happen.
  const sends = trial.sms.outboundApi.messages + trial.email.outbound;
  const gbSeconds = (architecture: 'arm64' | 'x86_64') =>
    sum(
      FUNCTION_NAMES.map((name) => {
        const fn = infrastructure.functions[name];
        if (!fn || fn.architecture !== architecture) return 0;
        const count = trial.lambda.invocations[name] ?? 0;
        const milliseconds =
          count * Math.ceil(measured.lambdaMedianMs[name] ?? 0) +
          count * a.coldStartsPerInvocation.value * a.initDurationMs.value +
          (name === 'dispatch' ? sends * a.sendLatencyMs.value : 0);
        return (milliseconds / 1000) * (fn.memoryMb / 1024);
      }),
    );
  const logBytes =
    trial.logs.bytes +
    invocations * (a.lambdaPlatformLogBytesPerInvocation.value + a.metricsLogBytesPerInvocation.value);
  const sms = trial.sms;

  const variable: Array<Omit<CostRow, 'perMonth' | 'costPerMonth'>> = [
    {
      service: 'Twilio SMS, sent by API',
      unit: 'segment',
      perMemberTrial: share(sms.outboundApi.segments),
      unitPrice: p.twilioSmsOutboundSegment.usd,
      sms: true,
    },
    {
      service: 'Twilio SMS, TwiML replies',
      unit: 'segment',
      perMemberTrial: share(sms.outboundReply.segments),
      unitPrice: p.twilioSmsOutboundSegment.usd,
      sms: true,
    },
    {
      service: 'Twilio SMS, received',
      unit: 'segment',
      perMemberTrial: share(sms.inbound.segments),
      unitPrice: p.twilioSmsInboundSegment.usd,
      sms: true,
    },
    {
      service: 'US carrier fees (sent SMS)',
      unit: 'segment',
      perMemberTrial: share(sms.outboundApi.segments + sms.outboundReply.segments),
      unitPrice: p.usCarrierFeeOutboundSegment.usd,
      sms: true,
    },
    {
      service: 'SES, emails sent',
      unit: 'email',
      perMemberTrial: share(trial.email.outbound),
      unitPrice: p.sesOutboundEmail.usd,
      sms: false,
    },
    {
      service: 'SES, emails received',
      unit: 'email',
      perMemberTrial: share(trial.email.inbound),
      unitPrice: p.sesInboundEmail.usd,
      sms: false,
    },
    {
      service: 'SES, received mail chunks',
      unit: '256 KB chunk',
      perMemberTrial: share(trial.email.inboundChunks),
      unitPrice: p.sesInboundChunk.usd,
      sms: false,
    },
    {
      // SES's S3 action puts the raw message; inbound-email gets it once.
      service: 'S3, raw inbound mail',
      unit: 'PUT + GET',
      perMemberTrial: share(trial.email.inbound),
      unitPrice: p.s3PutRequest.usd + p.s3GetRequest.usd,
      sms: false,
    },
    {
      service: 'Lambda, requests',
      unit: 'invocation',
      perMemberTrial: share(invocations),
      unitPrice: p.lambdaRequest.usd,
      sms: false,
    },
    {
      service: 'Lambda, compute (arm64)',
      unit: 'GB-second',
      perMemberTrial: share(gbSeconds('arm64')),
      unitPrice: p.lambdaGbSecondArm64.usd,
      sms: false,
    },
    ...(gbSeconds('x86_64') > 0
      ? [
          {
            service: 'Lambda, compute (x86_64)',
            unit: 'GB-second',
            perMemberTrial: share(gbSeconds('x86_64')),
            unitPrice: p.lambdaGbSecondX86.usd,
            sms: false,
          },
        ]
      : []),
    {
      service: 'DynamoDB, writes',
      unit: 'write request unit',
      perMemberTrial: share(trial.dynamoDb.writeRequestUnits),
      unitPrice: p.dynamoDbWriteRequestUnit.usd,
      sms: false,
    },
    {
      service: 'DynamoDB, reads',
      unit: 'read request unit',
      perMemberTrial: share(trial.dynamoDb.readRequestUnits),
      unitPrice: p.dynamoDbReadRequestUnit.usd,
      sms: false,
    },
    {
      service: 'DynamoDB, storage added',
      unit: 'GB-month',
      perMemberTrial: share(trial.dynamoDb.storedBytes / GB),
      unitPrice: p.dynamoDbStorageGbMonth.usd,
      sms: false,
    },
    {
      service: 'EventBridge Scheduler',
      unit: 'invocation',
      perMemberTrial: share(trial.scheduler.invocations),
      unitPrice: p.schedulerInvocation.usd,
      sms: false,
    },
    {
      service: 'SQS, send queue',
      unit: 'request',
      perMemberTrial: share(trial.sqs.messages * a.sqsRequestsPerMessage.value),
      unitPrice: p.sqsRequest.usd,
      sms: false,
    },
    {
      service: 'API Gateway HTTP API',
      unit: 'request',
      perMemberTrial: share(sum(Object.values(trial.apiGateway.requests))),
      unitPrice: p.apiGatewayHttpRequest.usd,
      sms: false,
    },
    {
      service: 'CloudWatch Logs, ingested',
      unit: 'GB',
      perMemberTrial: share(logBytes / GB),
      unitPrice: p.cloudWatchLogsIngestedGb.usd,
      sms: false,
    },
    {
      service: 'Secrets Manager, API calls',
      unit: 'call',
      perMemberTrial: share(coldStarts * a.secretReadsPerColdStart.value),
      unitPrice: p.secretsManagerApiCall.usd,
      sms: false,
    },
  ];
  const rows = variable.map((row) => {
    const perMonth = row.perMemberTrial * trialsPerMemberPerMonth * members;
    return { ...row, perMonth, costPerMonth: perMonth * row.unitPrice };
  });

  const secondsPerMonth = a.daysPerMonth.value * 86_400;
  const fixedItems: Array<Omit<FixedRow, 'costPerMonth'>> = [
    {
      item: 'Secrets Manager secrets',
      quantity: infrastructure.secrets,
      unitPrice: p.secretsManagerSecretMonth.usd,
    },
    { item: 'CloudWatch alarms', quantity: infrastructure.alarms, unitPrice: p.cloudWatchAlarmMonth.usd },
    {
      item: 'CloudWatch composite alarms',
      quantity: infrastructure.compositeAlarms,
      unitPrice: p.cloudWatchCompositeAlarmMonth.usd,
    },
    {
      item: 'CloudWatch dashboards',
      quantity: infrastructure.dashboards,
      unitPrice: p.cloudWatchDashboardMonth.usd,
    },
    {
      item: 'CloudWatch custom metrics (at most)',
      quantity: infrastructure.customMetrics,
      unitPrice: p.cloudWatchCustomMetricMonth.usd,
    },
    { item: 'KMS keys', quantity: infrastructure.kmsKeys, unitPrice: p.kmsKeyMonth.usd },
    {
      // Lambda long-polls the send queue even when it is empty; those receives are billed requests.
      item: 'SQS empty receives (Lambda pollers)',
      quantity:
        (infrastructure.sqsEventSourceMappings * a.sqsPollersPerEventSourceMapping.value * secondsPerMonth) /
        a.sqsLongPollSeconds.value,
      unitPrice: p.sqsRequest.usd,
    },
    {
      item: 'Twilio phone number',
      quantity: a.twilioPhoneNumbers.value,
      unitPrice: p.twilioPhoneNumberMonth.usd,
    },
  ];
  const fixed = fixedItems
    .filter((item) => item.quantity > 0)
    .map((item) => ({ ...item, costPerMonth: item.quantity * item.unitPrice }));

  const variablePerMonth = sum(rows.map((row) => row.costPerMonth));
  const fixedPerMonth = sum(fixed.map((item) => item.costPerMonth));
  const totalPerMonth = variablePerMonth + fixedPerMonth;
  const smsCost = sum(rows.filter((row) => row.sms).map((row) => row.costPerMonth));
  return {
    members,
    trialsPerMemberPerMonth,
    rows,
    fixed,
    variablePerMonth,
    fixedPerMonth,
    totalPerMonth,
    perMemberPerMonth: members > 0 ? totalPerMonth / members : 0,
    smsShare: totalPerMonth > 0 ? smsCost / totalPerMonth : 0,
  };
}

// ── Printing ────────────────────────────────────────────────────────────────────────────────────

/** A quantity with about four significant digits, grouped, without exponent noise. */
export function formatQuantity(value: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, Math.min(9, 3 - Math.floor(Math.log10(Math.abs(value)))));
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** Money: cents, or four decimals below a cent. */
export function formatUsd(value: number): string {
  const digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** A unit price, however small: cents from a cent up, else three significant digits. */
export function formatUnitPrice(value: number): string {
  if (value >= 0.01)
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
  return `$${value.toLocaleString('en-US', { maximumSignificantDigits: 3 })}`;
}

function markdownTable(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (rightAligned.has(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The report `npm run cost` prints (and docs/cost.md quotes). */
export function formatEstimate(estimate: CostEstimate, recording: CostRecording, prices: PriceTable): string {
  const members = estimate.members.toLocaleString('en-US');
  const variable = markdownTable(
    ['service', 'unit', 'unit price', 'per member-trial', `per month, ${members} members`, 'cost per month'],
    [
      ...estimate.rows.map((row) => [
        row.service,
        row.unit,
        formatUnitPrice(row.unitPrice),
        formatQuantity(row.perMemberTrial),
        formatQuantity(row.perMonth),
        formatUsd(row.costPerMonth),
      ]),
      ['**usage total**', '', '', '', '', formatUsd(estimate.variablePerMonth)],
    ],
    new Set([2, 3, 4, 5]),
  );
  const fixed = markdownTable(
    ['fixed each month', 'quantity', 'unit price', 'cost per month'],
    [
      ...estimate.fixed.map((item) => [
        item.item,
        formatQuantity(item.quantity),
        formatUnitPrice(item.unitPrice),
        formatUsd(item.costPerMonth),
      ]),
      ['**fixed total**', '', '', formatUsd(estimate.fixedPerMonth)],
    ],
    new Set([1, 2, 3]),
  );
  return [
    `Soft Partner, estimated monthly cost for ${members} members, each in trial all month`,
    `Prices: docs/prices.json, retrieved ${prices.retrieved}, ${prices.region} list prices, free tiers ignored.`,
    `Counts: docs/cost-recording.json, recorded ${recording.recorded}: ${recording.scenario.summary}`,
    `A member-trial is one member's share of one ${prices.assumptions.trialDays.value}-day pair trial (the pair's counts / ${recording.trial.members}); a month is ${formatQuantity(estimate.trialsPerMemberPerMonth)} trials per member.`,
    '',
    variable,
    '',
    fixed,
    '',
    `Total: ${formatUsd(estimate.totalPerMonth)} per month, ${formatUsd(estimate.perMemberPerMonth)} per member. SMS (Twilio and carrier fees) is ${(estimate.smsShare * 100).toFixed(1)}% of the bill.`,
    'What is measured and what is assumed: docs/cost.md.',
  ].join('\n');
}

export function readPrices(path: URL = PRICES_PATH): PriceTable {
  return priceTableSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** docs/cost.md with the report between its markers replaced. */
export function withReport(doc: string, report: string): string {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin < 0 || end < begin)
    throw new Error(`docs/cost.md has lost its markers: ${DOC_BEGIN} … ${DOC_END}`);
  return `${doc.slice(0, begin + DOC_BEGIN.length)}\n\n\`\`\`text\n${report}\n\`\`\`\n\n${doc.slice(end)}`;
}

async function main() {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '1000' },
      record: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('npm run cost -- [--members N] [--record]\n');
    return;
  }
  const members = Number(values.members);
  if (!Number.isInteger(members) || members < 0) throw new Error('--members must be a whole number ≥ 0');
  if (values.record) {
    const { recordCostTrial } = await import('./record-trial.js');
    process.stderr.write('Recording a 14-day pair trial on the local stack …\n');
    const recording = await recordCostTrial();
    writeFileSync(RECORDING_PATH, `${JSON.stringify(recording, null, 2)}\n`);
    const prices = readPrices();
    const report = formatEstimate(estimateCost(recording, prices, DOC_MEMBERS), recording, prices);
    writeFileSync(COST_DOC_PATH, withReport(readFileSync(COST_DOC_PATH, 'utf8'), report));
    process.stderr.write('Wrote docs/cost-recording.json and the report in docs/cost.md\n\n');
  }
  const recording = readRecording();
  const prices = readPrices();
  process.stdout.write(`${formatEstimate(estimateCost(recording, prices, members), recording, prices)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
