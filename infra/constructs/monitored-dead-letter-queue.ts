import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { encryptedQueue } from './encrypted-queue.js';
import { notifyingAlarm } from './notifying-alarm.js';

export interface MonitoredDeadLetterQueueProps {
  readonly queueName: string;
  /** What lands here, for the alarm description an operator reads at 3 a.m. */
  readonly description: string;
  /** Topic notified when the queue stops being empty (and when it recovers). */
  readonly alarmTopic: ITopic;
  /** RETAIN in prod: the messages it holds are steps and replies still owed to someone. */
  readonly removalPolicy?: RemovalPolicy | undefined;
}

/**
 * An encrypted (SQS-managed SSE), TLS-only dead-letter queue that keeps messages for the 14-day maximum,
 * with an alarm as soon as a single message is visible.
 */
export class MonitoredDeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: MonitoredDeadLetterQueueProps) {
    super(scope, id);

    this.queue = encryptedQueue(this, 'Queue', {
      queueName: props.queueName,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    // A DLQ of its own would only move the problem: messages stay here (14 days) until an operator acts.
    NagSuppressions.addResourceSuppressions(this.queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          `${props.queueName} is itself a dead-letter queue (of a queue, a Lambda on-failure destination, ` +
          'Scheduler or an SNS subscription), alarmed from its first message.',
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          `${props.queueName} is itself a dead-letter queue: nothing consumes it, so nothing redrives from ` +
          'it; an operator inspects, then redrives or deletes.',
      },
    ]);

    this.alarm = notifyingAlarm(this, 'NotEmptyAlarm', props.alarmTopic, {
      alarmName: `${props.queueName}-not-empty`,
      alarmDescription: `${props.description} Inspect the messages in ${props.queueName}, fix the cause, then redrive or delete them.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }
}
