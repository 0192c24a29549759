import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  estimateCost,
  FUNCTION_NAMES,
  formatEstimate,
  readPrices,
  readRecording,
  type TrialCounts,
} from '../../scripts/cost.js';
import { countInfrastructure, recordTrialCounts } from '../../scripts/record-trial.js';

const RE_RECORD = 'run `npm run cost -- --record` and commit docs/cost-recording.json and docs/cost.md';

describe('the cost recording: a real 14-day pair trial on the local stack', () => {
  let fresh: Awaited<ReturnType<typeof recordTrialCounts>>;
  let trial: TrialCounts;
  const committed = readRecording();

  beforeAll(async () => {
    // Act: the whole scenario, as `npm run cost -- --record` runs it.
    fresh = await recordTrialCounts();
    trial = fresh.trial;
  }, 60_000);

  it('sends each member a check-in on each of the 14 days, by text or by email', () => {
    expect(trial.sms.outboundApi.messages + trial.email.outbound).toBeGreaterThanOrEqual(28);
    expect(trial.sms.outboundApi.messages).toBeGreaterThanOrEqual(14);
    expect(trial.email.outbound).toBeGreaterThanOrEqual(14);
  });

  it('bills at least one segment per text, and answers every text with TwiML', () => {
    for (const each of [trial.sms.outboundApi, trial.sms.outboundReply, trial.sms.inbound]) {
      expect(each.segments).toBeGreaterThanOrEqual(each.messages);
    }
    expect(trial.sms.inbound.messages).toBeGreaterThanOrEqual(15);
    expect(trial.sms.outboundReply.messages).toBe(trial.sms.inbound.messages);
  });

  it('counts DynamoDB requests and units without the local scheduler’s own items', () => {
    expect(trial.dynamoDb.writeRequestUnits).toBeGreaterThan(0);
    expect(trial.dynamoDb.readRequestUnits).toBeGreaterThan(0);
    expect(trial.dynamoDb.requests.PutItem).toBeGreaterThan(0);
    expect(trial.dynamoDb.storedBytes).toBeGreaterThan(0);
  });

  it('sends every fired step through the send queue, scheduled or straight', () => {
    expect(trial.scheduler.schedulesCreated).toBeGreaterThanOrEqual(28);
    expect(trial.scheduler.invocations).toBeLessThanOrEqual(trial.scheduler.schedulesCreated);
    expect(trial.sqs.sentDirectly).toBeGreaterThan(0);
    expect(trial.sqs.messages).toBe(trial.sqs.sentByScheduler + trial.sqs.sentDirectly);
    expect(trial.lambda.invocations.dispatch).toBe(trial.sqs.messages);
  });

  it('counts one API Gateway request per HTTP function invocation', () => {
    const requests = Object.values(trial.apiGateway.requests).reduce((sum, each) => sum + each, 0);
    const { enroll, 'inbound-sms': inboundSms, 'email-links': emailLinks } = trial.lambda.invocations;
    expect(requests).toBe(enroll + inboundSms + emailLinks);
    expect(trial.lambda.invocations['inbound-email']).toBe(trial.email.inbound);
  });

  it('measures the log lines and a wall time for every function that ran', () => {
    expect(trial.logs.lines).toBeGreaterThan(0);
    expect(trial.logs.bytes).toBeGreaterThan(trial.logs.lines * 50);
    for (const name of FUNCTION_NAMES) {
      if (trial.lambda.invocations[name] > 0) expect(fresh.lambdaMedianMs[name], name).toBeGreaterThan(0);
    }
  });

  it(`is deterministic: docs/cost-recording.json holds exactly these counts (else ${RE_RECORD})`, () => {
    expect(committed.trial).toEqual(trial);
    expect(committed.scenario.clockEnd).toBe(fresh.clockEnd);
    expect(Object.keys(committed.measured.lambdaMedianMs).sort()).toEqual(
      Object.keys(fresh.lambdaMedianMs).sort(),
    );
  });

  it(`holds what the prod stage synthesizes to (else ${RE_RECORD})`, async () => {
    expect(committed.infrastructure).toEqual(await countInfrastructure());
  }, 30_000);

  it(`is what docs/cost.md shows for 1,000 members (else ${RE_RECORD})`, () => {
    const prices = readPrices();
    const printed = formatEstimate(estimateCost(committed, prices, 1000), committed, prices);
    expect(readFileSync(new URL('../../docs/cost.md', import.meta.url), 'utf8')).toContain(printed);
  });
});
