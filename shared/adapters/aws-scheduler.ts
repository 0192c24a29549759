import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ScheduledStep, SchedulerPort } from '../domain/ports.js';

export interface AwsSchedulerConfig {
  groupName: string;
  roleArn: string;
  targetArn: string;
  deadLetterArn: string;
}

/** One-time EventBridge Scheduler schedules in the member's own zone, deleted after they fire. */
export class AwsScheduler implements SchedulerPort {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: AwsSchedulerConfig,
  ) {}

  async schedule(step: ScheduledStep, wallClock: { localDateTime: string; timezone: string }): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: step.scheduleName,
          GroupName: this.config.groupName,
          ScheduleExpression: `at(${wallClock.localDateTime})`,
          ScheduleExpressionTimezone: wallClock.timezone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.config.targetArn,
            RoleArn: this.config.roleArn,
            Input: JSON.stringify(step),
            DeadLetterConfig: { Arn: this.config.deadLetterArn },
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          },
        }),
      );
    } catch (error) {
      // The name is deterministic: an existing schedule is this very step, created by a retry.
      if (error instanceof ConflictException) return;
      throw error;
    }
  }
}
