import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsScheduler, SqsError, sqsEndpoint, sqsSendMessage } from '../../shared/adapters/aws-scheduler.js';
import { SignedFetch } from '../../shared/adapters/signed-fetch.js';
import type { ScheduledStep } from '../../shared/domain/ports.js';
import { recordingServer } from '../support/recording-server.js';

const config = {
  groupName: 'soft-partner-dev',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:soft-partner-dev-dispatch',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:soft-partner-dev-schedule-dlq',
};
const step: ScheduledStep = {
  version: 1,
  kind: 'check_in',
  partnershipId: 'p0000000000a',
  memberId: 'm1',
  localDate: '2026-10-06',
  scheduleName: 'ci-p0000000000a-m1-20261006',
  scheduledTime: '2026-10-06T12:30:00.000Z',
};

describe('the EventBridge Scheduler adapter', () => {
  const scheduler = mockClient(SchedulerClient);
  beforeEach(() => scheduler.reset());

  it('creates a one-time schedule in the member’s zone that deletes itself and dead-letters failures', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const adapter = new AwsScheduler(new SchedulerClient({ region: 'eu-west-1' }), config, {
      now: () => new Date('2026-10-05T12:00:00Z'),
    });
    await adapter.schedule(step, { localDateTime: '2026-10-06T08:30:00', timezone: 'America/New_York' });
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'ci-p0000000000a-m1-20261006',
      GroupName: 'soft-partner-dev',
      ScheduleExpression: 'at(2026-10-06T08:30:00)',
      ScheduleExpressionTimezone: 'America/New_York',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        Input: JSON.stringify(step),
        DeadLetterConfig: { Arn: config.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  it('sets a step that is already due for the next whole minute, keeping its scheduled time in the payload', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const adapter = new AwsScheduler(new SchedulerClient({ region: 'eu-west-1' }), config, {
      now: () => new Date('2026-10-06T12:30:20Z'),
    });
    await adapter.schedule(step, { localDateTime: '2026-10-06T08:30:00', timezone: 'America/New_York' });
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input?.ScheduleExpression).toBe('at(2026-10-06T12:31:00)');
    expect(input?.ScheduleExpressionTimezone).toBe('UTC');
    expect(JSON.parse(input?.Target?.Input ?? '{}').scheduledTime).toBe(step.scheduledTime);
  });

  it('treats an existing schedule of the same name as this very step', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const adapter = new AwsScheduler(new SchedulerClient({ region: 'eu-west-1' }), config, {
      now: () => new Date('2026-10-05T12:00:00Z'),
    });
    await expect(
      adapter.schedule(step, { localDateTime: '2026-10-06T08:30:00', timezone: 'America/New_York' }),
    ).resolves.toBeUndefined();
  });

  describe('with the send queue (SQS JSON protocol, signed by the SDK’s SigV4 signer, against a local server)', () => {
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/soft-partner-dev-send';
    // Plays SQS: every request it gets, and the next answer (200 with a message id once they run out).
    const sqs = recordingServer({
      otherwise: () => ({ status: 200, body: JSON.stringify({ MessageId: 'm', MD5OfMessageBody: 'md5' }) }),
      contentType: () => 'application/x-amz-json-1.0',
    });
    const { seen, answers } = sqs;
    const endpoint = () => `${sqs.url}/`;

    const aws = (retries = 0) =>
      new SignedFetch({
        service: 'sqs',
        region: 'eu-west-1',
        credentials: {
          accessKeyId: 'ASIAEXAMPLEKEY',
          secretAccessKey: 'example-secret',
          sessionToken: 'example-session-token',
        },
        retries,
      });
    const queued = (now: string, retries = 0) =>
      new AwsScheduler(
        new SchedulerClient({ region: 'eu-west-1' }),
        { ...config, sendQueueUrl: queueUrl },
        { now: () => new Date(now) },
        sqsSendMessage(aws(retries), endpoint()),
      );
    const sent = () => seen.map((request) => JSON.parse(request.body));

    it('puts a step due within 15 minutes straight on the queue, delayed until it is due', async () => {
      await queued('2026-10-06T12:20:00Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(sent()).toEqual([
        {
          QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/soft-partner-dev-send',
          MessageBody: JSON.stringify(step),
          DelaySeconds: 600,
        },
      ]);
      expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    });

    it('sends one signed SendMessage POST to the endpoint’s root, as SQS’s JSON protocol has it', async () => {
      await queued('2026-10-06T12:20:00Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(seen).toHaveLength(1);
      const [request] = seen;
      expect(request?.method).toBe('POST');
      expect(request?.path).toBe('/');
      expect(request?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
      expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
      expect(request?.headers['x-amz-security-token']).toBe('example-session-token');
      expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
      expect(request?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY\/\d{8}\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
      );
    });

    it('sends a step already due with no delay', async () => {
      await queued('2026-10-06T13:00:00Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(sent()[0]?.DelaySeconds).toBe(0);
    });

    it('creates a schedule for a step due later than the queue can delay', async () => {
      scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
      await queued('2026-10-06T12:14:59Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(seen).toHaveLength(0);
      expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);
    });

    it('throws SQS’s error type when the queue refuses the message, so that the step is retried', async () => {
      answers.push({
        status: 400,
        body: JSON.stringify({
          __type: 'com.amazonaws.sqs#QueueDoesNotExist',
          message: 'The specified queue does not exist.',
        }),
      });
      const scheduling = queued('2026-10-06T12:20:00Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      await expect(scheduling).rejects.toBeInstanceOf(SqsError);
      await expect(scheduling).rejects.toMatchObject({
        name: 'QueueDoesNotExist',
        type: 'com.amazonaws.sqs#QueueDoesNotExist',
        status: 400,
        message: expect.stringContaining('com.amazonaws.sqs#QueueDoesNotExist'),
      });
      expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    });

    it('throws on a 5xx once the signed fetch’s retries are spent, and succeeds when a retry gets through', async () => {
      const unavailable = {
        status: 503,
        body: JSON.stringify({ __type: 'com.amazon.coral.availability#ServiceUnavailableException' }),
      };
      answers.push(unavailable, unavailable);
      await expect(
        queued('2026-10-06T12:20:00Z', 1).schedule(step, {
          localDateTime: '2026-10-06T08:30:00',
          timezone: 'America/New_York',
        }),
      ).rejects.toMatchObject({ name: 'ServiceUnavailableException', status: 503 });
      expect(seen).toHaveLength(2);

      seen.length = 0;
      answers.push(unavailable);
      await queued('2026-10-06T12:20:00Z', 1).schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(sent()).toHaveLength(2);
      expect(sent()[1]?.DelaySeconds).toBe(600);
    });

    it('reports the status when the answer is not SQS’s JSON', async () => {
      answers.push({ status: 502, body: '<html>Bad Gateway</html>' });
      await expect(
        sqsSendMessage(aws(), endpoint())({ QueueUrl: queueUrl, MessageBody: '{}', DelaySeconds: 0 }),
      ).rejects.toThrow('SQS SendMessage failed with 502 Unknown');
    });

    it('posts to the region’s endpoint', () => {
      expect(sqsEndpoint('eu-west-1')).toBe('https://sqs.eu-west-1.amazonaws.com/');
    });
  });
});

describe('cancelling a pending schedule', () => {
  const scheduler = mockClient(SchedulerClient);
  beforeEach(() => scheduler.reset());
  const adapter = () =>
    new AwsScheduler(new SchedulerClient({ region: 'eu-west-1' }), config, {
      now: () => new Date('2026-10-05T12:00:00Z'),
    });

  it('deletes it by name in the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    await adapter().cancel('ci-p0000000000a-m1-20261006-0830');
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'ci-p0000000000a-m1-20261006-0830',
      GroupName: 'soft-partner-dev',
    });
  });

  it('is content when the schedule already fired or never existed', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(adapter().cancel('ci-gone')).resolves.toBeUndefined();
  });
});
