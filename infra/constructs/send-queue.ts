import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { encryptedQueue } from './encrypted-queue.js';
import { MonitoredDeadLetterQueue } from './monitored-dead-letter-queue.js';

/** Receives after which a message the sender keeps failing goes to the dead-letter queue. */
export const SEND_QUEUE_MAX_RECEIVE_COUNT = 5;

/** AWS's recommendation for a queue drained by Lambda: visibility timeout ≥ 6 × the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface SendQueueProps {
  /** Physical name of the queue; the dead-letter queue is `<queueName>-dlq`. */
  readonly queueName: string;
  /** Timeout of the function that drains the queue; sets the visibility timeout. */
  readonly consumerTimeout: Duration;
  readonly alarmTopic: ITopic;
  /** RETAIN in prod: the queue holds due steps, which must outlive any deploy of the code. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The queue every due check-in step passes through: EventBridge Scheduler (and the functions, for steps due
 * within SQS's 15-minute delay) send the step here, and the sender function drains it at the pace the SMS
 * provider allows. Standard queue, SQS-managed encryption, TLS only; a message that fails
 * {@link SEND_QUEUE_MAX_RECEIVE_COUNT} times moves to a monitored dead-letter queue.
 */
export class SendQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: MonitoredDeadLetterQueue;

  constructor(scope: Construct, id: string, props: SendQueueProps) {
    super(scope, id);

    this.deadLetterQueue = new MonitoredDeadLetterQueue(this, 'DeadLetterQueue', {
      queueName: `${props.queueName}-dlq`,
      description: `The sender failed a due check-in step ${SEND_QUEUE_MAX_RECEIVE_COUNT} times.`,
      alarmTopic: props.alarmTopic,
      removalPolicy: props.removalPolicy,
    });

    this.queue = encryptedQueue(this, 'Queue', {
      queueName: props.queueName,
      // A message stays invisible while a (retried) invocation may still be working on it.
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: this.deadLetterQueue.queue, maxReceiveCount: SEND_QUEUE_MAX_RECEIVE_COUNT },
      removalPolicy: props.removalPolicy,
    });
  }
}
