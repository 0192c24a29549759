import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AwsScheduler,
  type CreateScheduleInput,
  type SchedulerApi,
  SchedulerError,
  SqsError,
  schedulerEndpoint,
  schedulerOverFetch,
  sqsEndpoint,
  sqsSendMessage,
} from '#shared/adapters/aws-scheduler.js';
import { SignedFetch } from '#shared/adapters/signed-fetch.js';
import type { ScheduledStep } from '#shared/domain/ports.js';
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
/** The schedule of `step`: 08:30 in New York, deleting itself and dead-lettering failures. */
const checkInSchedule: CreateScheduleInput = {
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
};
const credentials = {
  accessKeyId: 'ASIAEXAMPLEKEY',
  secretAccessKey: 'example-secret',
  sessionToken: 'example-session-token',
};

// What the adapter asked Scheduler for (the calls themselves are tested over HTTP below).
const created: CreateScheduleInput[] = [];
const deleted: Array<{ name: string; groupName: string }> = [];
const api: SchedulerApi = {
  createSchedule: async (input) => {
    created.push(input);
    return 'created';
  },
  deleteSchedule: async (name, groupName) => {
    deleted.push({ name, groupName });
    return 'deleted';
  },
};
beforeEach(() => {
  created.length = 0;
  deleted.length = 0;
});

describe('the EventBridge Scheduler adapter', () => {
  it('creates a one-time schedule in the member’s zone that deletes itself and dead-letters failures', async () => {
    const adapter = new AwsScheduler(api, config, { now: () => new Date('2026-10-05T12:00:00Z') });
    await adapter.schedule(step, { localDateTime: '2026-10-06T08:30:00', timezone: 'America/New_York' });
    expect(created).toEqual([checkInSchedule]);
  });

  it('sets a step that is already due for the next whole minute, keeping its scheduled time in the payload', async () => {
    const adapter = new AwsScheduler(api, config, { now: () => new Date('2026-10-06T12:30:20Z') });
    await adapter.schedule(step, { localDateTime: '2026-10-06T08:30:00', timezone: 'America/New_York' });
    const [input] = created;
    expect(input?.ScheduleExpression).toBe('at(2026-10-06T12:31:00)');
    expect(input?.ScheduleExpressionTimezone).toBe('UTC');
    expect(JSON.parse(input?.Target.Input ?? '{}').scheduledTime).toBe(step.scheduledTime);
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
        api,
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
      expect(created).toHaveLength(0);
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
      await queued('2026-10-06T12:14:59Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(seen).toHaveLength(0);
      expect(created).toHaveLength(1);
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
      expect(created).toHaveLength(0);
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

describe('self-serve setup steps', () => {
  const setupConfig = {
    ...config,
    sendQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/soft-partner-dev-send',
    setupTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:soft-partner-dev-setup',
    setupQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/soft-partner-dev-setup',
  };
  const now = new Date('2026-10-05T12:00:00Z');

  it('puts a setup text due now on the setup queue, and a check-in due now on the send queue', async () => {
    // Prepare
    const sent: Array<{ QueueUrl: string; DelaySeconds: number }> = [];
    const adapter = new AwsScheduler(api, setupConfig, { now: () => now }, async (input) => {
      sent.push({ QueueUrl: input.QueueUrl, DelaySeconds: input.DelaySeconds });
    });
    const at = { localDateTime: '2026-10-05T12:00:00', timezone: 'UTC' };

    // Act
    await adapter.schedule(
      {
        version: 1,
        kind: 'setup_text',
        phone: '+12125550101',
        messageSid: 'SM0123456789abcdef0123456789abcdef',
        body: 'Hi',
        scheduleName: 'st-SM0123456789abcdef0123456789abcdef',
        scheduledTime: now.toISOString(),
      },
      at,
    );
    await adapter.schedule({ ...step, scheduledTime: now.toISOString() }, at);

    // Assess
    expect(sent).toEqual([
      { QueueUrl: setupConfig.setupQueueUrl, DelaySeconds: 0 },
      { QueueUrl: setupConfig.sendQueueUrl, DelaySeconds: 0 },
    ]);
  });

  it('targets the setup queue with a setup step due later (the nudge, the drop)', async () => {
    // Prepare
    const adapter = new AwsScheduler(api, setupConfig, { now: () => now }, async () => {});

    // Act
    await adapter.schedule(
      {
        version: 1,
        kind: 'setup_nudge',
        phone: '+12125550101',
        revision: 3,
        scheduleName: 'sn-0123456789abcdef0123-3',
        scheduledTime: '2026-10-06T12:00:00.000Z',
      },
      { localDateTime: '2026-10-06T12:00:00', timezone: 'UTC' },
    );

    // Assess
    expect(created.map((input) => input.Target.Arn)).toEqual([setupConfig.setupTargetArn]);
  });
});

describe('cancelling a pending schedule', () => {
  it('deletes it by name in the group', async () => {
    const adapter = new AwsScheduler(api, config, { now: () => new Date('2026-10-05T12:00:00Z') });
    await adapter.cancel('ci-p0000000000a-m1-20261006-0830');
    expect(deleted).toEqual([{ name: 'ci-p0000000000a-m1-20261006-0830', groupName: 'soft-partner-dev' }]);
  });
});

describe('Scheduler over a signed fetch (REST-JSON, against a local server)', () => {
  // Plays Scheduler: every request it gets, and the next answer (200 with an ARN once they run out).
  const server = recordingServer({
    otherwise: () => ({ status: 200, body: JSON.stringify({ ScheduleArn: 'arn' }) }),
    contentType: () => 'application/json',
  });
  const { seen, answers } = server;
  const ours = () =>
    schedulerOverFetch(
      new SignedFetch({ service: 'scheduler', region: 'eu-west-1', credentials, retries: 0 }),
      server.url,
    );
  const input = checkInSchedule;
  /** A request as Scheduler reads it, without the per-call ClientToken and the signature's parts. */
  const asRead = (request: (typeof seen)[number]) => {
    const url = new URL(request.path, 'http://localhost');
    const query = Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'clientToken'));
    const { ClientToken: token, ...body } = request.body
      ? JSON.parse(request.body)
      : { ClientToken: undefined };
    return {
      method: request.method,
      path: url.pathname,
      query,
      body,
      hasToken: Boolean(token ?? url.searchParams.get('clientToken')),
    };
  };

  it('sends CreateSchedule and DeleteSchedule as the AWS SDK’s own client does', async () => {
    // Prepare: the SDK's client, pointed at the same server
    const sdk = new SchedulerClient({
      region: 'eu-west-1',
      endpoint: server.url,
      credentials,
      maxAttempts: 1,
    });

    // Act
    await sdk.send(new CreateScheduleCommand(input));
    await sdk.send(new DeleteScheduleCommand({ Name: input.Name, GroupName: input.GroupName }));
    await ours().createSchedule(input);
    await ours().deleteSchedule(input.Name, input.GroupName);

    // Assess
    const [sdkCreate, sdkDelete, ourCreate, ourDelete] = seen.map(asRead);
    expect(ourCreate).toEqual(sdkCreate);
    expect(ourDelete).toEqual(sdkDelete);
    expect(ourCreate).toMatchObject({
      method: 'POST',
      path: '/schedules/ci-p0000000000a-m1-20261006',
      hasToken: true,
    });
    expect(ourDelete).toMatchObject({
      method: 'DELETE',
      query: { groupName: 'soft-partner-dev' },
      hasToken: true,
    });
    expect(seen[2]?.headers['content-type']).toBe('application/json');
    expect(seen[2]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY\/\d{8}\/eu-west-1\/scheduler\/aws4_request, /,
    );
  });

  it('takes an existing schedule of the same name as this very step, and a missing one as already gone', async () => {
    // Prepare: Scheduler names the error in x-amzn-errortype and, in the body, __type; this server gives the body's.
    answers.push(
      { status: 409, body: JSON.stringify({ __type: 'ConflictException', Message: 'exists' }) },
      { status: 404, body: JSON.stringify({ __type: 'ResourceNotFoundException', Message: 'gone' }) },
    );
    await expect(ours().createSchedule(input)).resolves.toBe('exists');
    await expect(ours().deleteSchedule('ci-gone', 'soft-partner-dev')).resolves.toBe('missing');
  });

  it('throws Scheduler’s error type on any other refusal, so that the step is retried', async () => {
    answers.push({
      status: 400,
      body: JSON.stringify({ __type: 'ValidationException', message: 'bad expression' }),
    });
    const creating = ours().createSchedule(input);
    await expect(creating).rejects.toBeInstanceOf(SchedulerError);
    await expect(creating).rejects.toMatchObject({ name: 'ValidationException', status: 400 });
    answers.push({ status: 502, body: '<html>Bad Gateway</html>' });
    await expect(ours().deleteSchedule('x', 'g')).rejects.toThrow(
      'Scheduler DeleteSchedule failed with 502 Unknown',
    );
  });

  it('calls the region’s endpoint', () => {
    expect(schedulerEndpoint('eu-west-1')).toBe('https://scheduler.eu-west-1.amazonaws.com');
  });
});
