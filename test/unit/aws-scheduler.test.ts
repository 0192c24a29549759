import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsScheduler } from '../../shared/adapters/aws-scheduler.js';
import type { ScheduledStep } from '../../shared/domain/ports.js';

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

  describe('with the send queue', () => {
    const sqs = mockClient(SQSClient);
    beforeEach(() => sqs.reset());
    const queued = (now: string) =>
      new AwsScheduler(
        new SchedulerClient({ region: 'eu-west-1' }),
        { ...config, sendQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/soft-partner-dev-send' },
        { now: () => new Date(now) },
        new SQSClient({ region: 'eu-west-1' }),
      );

    it('puts a step due within 15 minutes straight on the queue, delayed until it is due', async () => {
      sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
      await queued('2026-10-06T12:20:00Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/soft-partner-dev-send',
        MessageBody: JSON.stringify(step),
        DelaySeconds: 600,
      });
      expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    });

    it('sends a step already due with no delay', async () => {
      sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
      await queued('2026-10-06T13:00:00Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(sqs.commandCalls(SendMessageCommand)[0]?.args[0].input.DelaySeconds).toBe(0);
    });

    it('creates a schedule for a step due later than the queue can delay', async () => {
      scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
      await queued('2026-10-06T12:14:59Z').schedule(step, {
        localDateTime: '2026-10-06T08:30:00',
        timezone: 'America/New_York',
      });
      expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
      expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);
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
