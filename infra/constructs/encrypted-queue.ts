import type { RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export type EncryptedQueueProps = Omit<QueueProps, 'encryption' | 'enforceSSL' | 'removalPolicy'> & {
  /** RETAIN in prod; left out, the queue keeps CDK's default. */
  readonly removalPolicy?: RemovalPolicy | undefined;
};

/** Every queue of ours: SQS-managed encryption (SSE), TLS only, and the stage's removal policy when given. */
export function encryptedQueue(scope: Construct, id: string, props: EncryptedQueueProps): Queue {
  const { removalPolicy, ...queueProps } = props;
  return new Queue(scope, id, {
    ...queueProps,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    ...(removalPolicy === undefined ? {} : { removalPolicy }),
  });
}
