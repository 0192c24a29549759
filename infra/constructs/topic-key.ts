import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface TopicKeyProps {
  /** `alias/<aliasName>`. */
  readonly aliasName: string;
}

/**
 * The customer-managed KMS key the stack's SNS topics are encrypted with. AWS services that publish to an
 * encrypted topic (CloudWatch alarms, SES event destinations) need kms:GenerateDataKey* and kms:Decrypt on its
 * key, and the AWS-managed `alias/aws/sns` key's policy cannot grant them that: with it, their messages would
 * be dropped silently. Yearly rotation.
 *
 * It protects only messages in flight (SNS keeps none), so it goes with the stack: deletion is scheduled
 * after the shortest pending window rather than leaving one orphaned key per redeploy from scratch.
 */
export class TopicKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: TopicKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      alias: props.aliasName,
      description: 'Encrypts the SNS topics of the Soft Partner stateless stack',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
  }

  /**
   * Adds key policy statement `sid`: lets `service` (e.g. `cloudwatch.amazonaws.com`) use the key for what it
   * publishes to the topic named `topicName`, and for no other topic: SNS passes the topic ARN as the
   * encryption context (`aws:sns:topicArn`). Which sources may publish at all is the topic policy's business.
   * Returns the topic's ARN, built from its name so the key policy does not depend on the topic (which
   * depends on the key).
   */
  allowPublishingService(sid: string, service: string, topicName: string): string {
    const topicArn = Stack.of(this).formatArn({
      service: 'sns',
      resource: topicName,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [new ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      }),
    );
    return topicArn;
  }

  /**
   * A TLS-only topic (in `scope`) encrypted with this key, which `publisher.service` may use to publish to it
   * ({@link allowPublishingService}, statement `publisher.sid`).
   */
  publishedTopic(
    scope: Construct,
    id: string,
    props: { topicName: string; displayName: string; publisher: { sid: string; service: string } },
  ): Topic {
    this.allowPublishingService(props.publisher.sid, props.publisher.service, props.topicName);
    return new Topic(scope, id, {
      topicName: props.topicName,
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}
