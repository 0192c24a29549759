import { Match } from 'aws-cdk-lib/assertions';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { importedFromStateful, type PolicyStatementJson, resources, synthesize } from './synth.js';

const dev = synthesize({ stage: 'dev' });
// Queues, topics and their key hold or carry pending work: they are all in the stateful stack.
const { stateful, statefulTemplate: template, statelessTemplate } = dev;
const rendered = (token: string): unknown => stateful.resolve(token);
const fromStateful = (token: string): unknown => importedFromStateful(dev, token);

const keyLogicalId = (() => {
  const cfnKey = stateful.topicKey.key.node.defaultChild;
  if (!(cfnKey instanceof CfnKey)) throw new Error('topic key has no CfnKey');
  return stateful.getLogicalId(cfnKey);
})();

const topicArnFromName = (name: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':sns:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${name}`,
    ],
  ],
});

const denyWithoutTls = Match.objectLike({
  Effect: 'Deny',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('encryption at rest and in transit', () => {
  it('encrypts every queue with SQS-managed keys and denies every request without TLS', () => {
    const queues = Object.keys(resources(template, 'AWS::SQS::Queue'));
    // The send and setup queues and five dead-letter queues.
    expect(queues).toHaveLength(7);
    template.allResourcesProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      KmsMasterKeyId: Match.absent(),
    });
    for (const logicalId of queues) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId }],
        PolicyDocument: { Statement: Match.arrayWith([denyWithoutTls]) },
      });
    }
  });

  it('encrypts both topics with the stack key and denies publishing without TLS', () => {
    const topics = Object.keys(resources(template, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(2);
    template.allResourcesProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] },
    });
    for (const logicalId of topics) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalId }],
        PolicyDocument: { Statement: Match.arrayWith([denyWithoutTls]) },
      });
    }
  });

  it('uses a rotating customer-managed key that goes with the stack after 7 days', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, PendingWindowInDays: 7 }),
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/soft-partner-dev-topics' });
  });

  it('lets CloudWatch use the key for the alarm topic only, and SES for the email events topic only', () => {
    const [key] = Object.values(resources(template, 'AWS::KMS::Key'));
    const statements =
      (key?.Properties?.KeyPolicy as { Statement: PolicyStatementJson[] } | undefined)?.Statement ?? [];
    const forService = (service: string) =>
      statements.filter((s) =>
        JSON.stringify((s as { Principal?: unknown }).Principal ?? {}).includes(service),
      );
    expect(forService('cloudwatch.amazonaws.com')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:aws:sns:topicArn': topicArnFromName('soft-partner-dev-alarms'),
          },
        },
      }),
    ]);
    expect(forService('ses.amazonaws.com')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:aws:sns:topicArn': topicArnFromName('soft-partner-dev-email-events'),
          },
        },
      }),
    ]);
    // The topic names the key policy is written for are the topics' own.
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'soft-partner-dev-alarms' });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'soft-partner-dev-email-events' });
  });

  it('dead-letters email events SNS cannot deliver to email-events, and lets only that topic send them', () => {
    // The subscription is the subscriber's (stateless); the queue and its policy are stateful.
    statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: fromStateful(stateful.emailEventsTopic.topicArn),
      RedrivePolicy: {
        deadLetterTargetArn: fromStateful(stateful.emailEventsDeadLetterQueue.queue.queueArn),
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [rendered(stateful.emailEventsDeadLetterQueue.queue.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': rendered(stateful.emailEventsTopic.topicArn) } },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of this account publish to the alarm topic (enforceSSL replaced the default policy)', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [rendered(stateful.alarmTopic.topicArn)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          denyWithoutTls,
          {
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Resource: rendered(stateful.alarmTopic.topicArn),
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudwatch:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':alarm:*',
                    ],
                  ],
                },
              },
            },
          },
        ]),
      },
    });
    // Nothing else may publish to it: the TLS denial and CloudWatch's grant are the whole policy.
    const [policy] = Object.values(resources(template, 'AWS::SNS::TopicPolicy')).filter(
      (resource) =>
        JSON.stringify(resource.Properties?.Topics) ===
        JSON.stringify([rendered(stateful.alarmTopic.topicArn)]),
    );
    const document = policy?.Properties?.PolicyDocument as { Statement: unknown[] } | undefined;
    expect(document?.Statement).toHaveLength(2);
  });

  it('lets SES publish to the email events topic for this configuration set only', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [rendered(stateful.emailEventsTopic.topicArn)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          denyWithoutTls,
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                'AWS:SourceArn': rendered(stateful.mailDomain.configurationSetArn),
              },
            },
          }),
        ]),
      },
    });
  });

  it('keeps the secrets under the AWS-managed Secrets Manager key', () => {
    dev.statefulTemplate.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.absent() });
  });
});
