import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret, type SecretStringGenerator } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSetEventDestination, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { tableKeySchema } from '#shared/adapters/dynamodb/table.js';
import type { StageConfig } from '../config.js';
import { CheckInScheduling } from '../constructs/check-in-scheduling.js';
import { MailDomain } from '../constructs/mail-domain.js';
import { MonitoredDeadLetterQueue } from '../constructs/monitored-dead-letter-queue.js';
import { SendQueue } from '../constructs/send-queue.js';
import { TopicKey } from '../constructs/topic-key.js';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Placeholder Twilio account SID written into the generated secret. Operators replace the whole secret value
 * with real credentials after the first deploy (see the secret's description).
 */
export const PLACEHOLDER_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';

/**
 * Timeout of the dispatch (sender) function, derived from the stage's SMS and SES rates (config.sender);
 * the send queue's visibility timeout is six times it.
 */
export const dispatchTimeout = (config: Pick<StageConfig, 'sender'>): Duration =>
  Duration.seconds(config.sender.timeoutSeconds);
/** Timeout of the setup function (self-serve by text); the setup queue's visibility timeout follows it. */
export const SETUP_TIMEOUT = Duration.seconds(30);

/** What the email-events function hears about from the configuration set. */
export const REPORTED_EMAIL_EVENTS = [
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.DELIVERY_DELAY,
];

/** Key prefix SES stores raw inbound messages under (the receipt rule's S3 action writes `inbound/<messageId>`). */
export const INBOUND_MAIL_PREFIX = 'inbound/';

/**
 * Everything that holds data and must survive redeploys of the application code: the single table, the
 * secrets operators fill in by hand, the inbound mail bucket, the SES setup mirrored in DNS (identity,
 * configuration set, receipt rule set, event destination), and everything that holds work still owed to a
 * member: the schedule group (deleting it deletes every pending check-in), the send queue, every dead-letter
 * queue, and the Scheduler role the pending schedules run as. The topics live here too, so a confirmed
 * alarm subscription survives. Kept apart from the stateless stack so that stack can be destroyed and
 * recreated freely.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  /** JSON `{ accountSid, authToken, fromNumber }`. */
  readonly twilioSecret: Secret;
  /** A plain string: the API key enroll expects on its routes. */
  readonly apiKeySecret: Secret;
  /** A plain string: the HMAC key of reply addresses and email links. Generated, never set by hand. */
  readonly linkSigningSecret: Secret;
  /** Raw inbound email as SES stored it, under {@link INBOUND_MAIL_PREFIX}. */
  readonly inboundMailBucket: Bucket;
  readonly mailDomain: MailDomain;
  /** Encrypts both topics; CloudWatch and SES may use it for their own topic only. */
  readonly topicKey: TopicKey;
  /** Every alarm notifies it. */
  readonly alarmTopic: Topic;
  /** The configuration set's event destination; email-events subscribes to it. */
  readonly emailEventsTopic: Topic;
  /** Group, role, schedule DLQ and the sweep. */
  readonly scheduling: CheckInScheduling;
  /** `<prefix>-send`: Scheduler's target, drained by the dispatch function. */
  readonly sendQueue: SendQueue;
  /** Self-serve setup steps (texts handed over by inbound-sms, nudges, drops), for the setup function. */
  readonly setupQueue: SendQueue;
  /** Failed asynchronous invocations of inbound-email and email-events. */
  readonly inboundEmailDeadLetterQueue: MonitoredDeadLetterQueue;
  readonly emailEventsDeadLetterQueue: MonitoredDeadLetterQueue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, { terminationProtection: config.statefulTerminationProtection, ...stackProps });

    // Single-table design: every entity keyed by pk/sk (shared/adapters/dynamodb/table.ts, which the local
    // stack's table is built from too). No index: every access path is a key or a key prefix; the local
    // scheduler's index exists only locally, where schedules live in the table instead of in Scheduler.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableKeySchema.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeySchema.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableKeySchema.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: config.tableDeletionProtection,
      removalPolicy: config.removalPolicy,
    });

    // Generated placeholders only; real credentials never appear in code or templates. CloudFormation only
    // generates the value on creation, so later hand edits survive deploys as long as this template is unchanged.
    this.twilioSecret = unrotatedSecret(this, 'TwilioSecret', config, {
      name: 'twilio',
      description:
        'Twilio credentials as JSON {"accountSid","authToken"} (and "secondaryAuthToken" during a rotation). ' +
        'Generated with placeholders: replace the value with the real account SID and auth token.',
      whyNotRotated:
        'Twilio issues these credentials: an operator rotates the auth token in the Twilio console and ' +
        'pastes it into the secret (docs/deploy.md); no rotation Lambda can mint a Twilio token.',
      // Constant: nothing from context, so no later deploy can change the template and make
      // CloudFormation generate the secret again over the real credentials.
      generate: {
        secretStringTemplate: JSON.stringify({ accountSid: PLACEHOLDER_TWILIO_ACCOUNT_SID }),
        generateStringKey: 'authToken',
        passwordLength: 32,
      },
    });
    this.apiKeySecret = unrotatedSecret(this, 'ApiKeySecret', config, {
      name: 'api-key',
      description: 'API key (plain string) callers of the partnership routes must present.',
      whyNotRotated:
        'The operator hands this key to the enrollment client out of band; rotating it is a coordinated ' +
        'manual change on both sides, which a rotation schedule would break.',
    });
    // Rotating it invalidates every reply address and link already sent, so it lives as long as the table.
    this.linkSigningSecret = unrotatedSecret(this, 'LinkSigningSecret', config, {
      name: 'link-signing',
      description: 'HMAC key (plain string) for reply addresses and email links. Generated; do not edit.',
      whyNotRotated:
        'Rotation would invalidate every reply address and email link already sent (they are HMACs under ' +
        'this key and live as long as a partnership), so it is rotated only deliberately, never on a schedule.',
    });

    // SES writes here through the receipt rule's S3 action, which also adds the bucket policy statement that
    // lets ses.amazonaws.com (this account only) put objects under inbound/. No autoDeleteObjects: it needs a
    // custom resource; a dev teardown empties the bucket first (docs/deploy.md).
    this.inboundMailBucket = new Bucket(this, 'InboundMailBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [
        {
          id: 'ExpireInboundMail',
          prefix: INBOUND_MAIL_PREFIX,
          expiration: Duration.days(config.inboundMailRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: config.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.inboundMailBucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Only SES writes (receipt rule, this account) and only inbound-email reads (s3:GetObject under ' +
          'inbound/); objects expire after inboundMailRetentionDays. Access logs would need a second bucket ' +
          'keeping the message keys longer than the mail itself.',
      },
    ]);

    this.mailDomain = new MailDomain(this, 'MailDomain', {
      mailDomain: config.mailDomain,
      mailFromDomain: config.mailFromDomain,
      configurationSetName: config.resourcePrefix,
      receiptRuleSetName: `${config.resourcePrefix}-inbound`,
    });

    const prefix = config.resourcePrefix;
    this.topicKey = new TopicKey(this, 'TopicKey', { aliasName: `alias/${prefix}-topics` });
    // CloudWatch publishes alarm notifications, so it must be able to use the topic's key.
    this.alarmTopic = this.topicKey.publishedTopic(this, 'AlarmTopic', {
      topicName: `${prefix}-alarms`,
      displayName: `Soft Partner ${config.stage} alarms`,
      publisher: { sid: 'CloudWatchPublishesAlarms', service: 'cloudwatch.amazonaws.com' },
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one: without this
    // statement CloudWatch is "not authorized to perform SNS:Publish" and no alarm reaches anyone.
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    // SES publishes the events, so it must be able to use the topic's key (the AWS-managed key cannot allow it).
    this.emailEventsTopic = this.topicKey.publishedTopic(this, 'EmailEventsTopic', {
      topicName: `${prefix}-email-events`,
      displayName: `Soft Partner ${config.stage} email events`,
      publisher: { sid: 'SesPublishesEmailEvents', service: 'ses.amazonaws.com' },
    });
    // The destination also adds the topic policy: ses.amazonaws.com may publish for this configuration set only.
    new ConfigurationSetEventDestination(this, 'EmailEventDestination', {
      configurationSet: this.mailDomain.configurationSet,
      configurationSetEventDestinationName: `${prefix}-email-events`,
      destination: EventDestination.snsTopic(this.emailEventsTopic),
      events: REPORTED_EMAIL_EVENTS,
    });

    // Every due step goes through the send queue: schedules deliver to it, the functions send steps due
    // within 15 minutes to it directly, and the dispatch function drains it at no more than the SMS
    // provider's throughput, so a 09:00 burst waits in the queue instead of being rejected.
    this.sendQueue = new SendQueue(this, 'SendQueue', {
      queueName: `${prefix}-send`,
      consumerTimeout: dispatchTimeout(config),
      alarmTopic: this.alarmTopic,
      removalPolicy: config.removalPolicy,
    });
    this.setupQueue = new SendQueue(this, 'SetupQueue', {
      queueName: `${prefix}-setup`,
      consumerTimeout: SETUP_TIMEOUT,
      alarmTopic: this.alarmTopic,
      removalPolicy: config.removalPolicy,
    });
    this.scheduling = new CheckInScheduling(this, 'CheckInScheduling', {
      groupName: prefix,
      targetQueue: this.sendQueue.queue,
      setupQueue: this.setupQueue.queue,
      resourcePrefix: prefix,
      alarmTopic: this.alarmTopic,
      removalPolicy: config.removalPolicy,
    });
    // inbound-email is invoked asynchronously by SES, so a failure that outlasts Lambda's retries lands here
    // (the raw message stays in S3 for the retention period, so it can be replayed).
    this.inboundEmailDeadLetterQueue = new MonitoredDeadLetterQueue(this, 'InboundEmailDeadLetterQueue', {
      queueName: `${prefix}-inbound-email-dlq`,
      description: 'inbound-email failed an email reply (SES receipt event) after its retries.',
      alarmTopic: this.alarmTopic,
      removalPolicy: config.removalPolicy,
    });
    this.emailEventsDeadLetterQueue = new MonitoredDeadLetterQueue(this, 'EmailEventsDeadLetterQueue', {
      queueName: `${prefix}-email-events-dlq`,
      description:
        'email-events failed an SES bounce/complaint notification after its retries, or SNS could not deliver one to it.',
      alarmTopic: this.alarmTopic,
      removalPolicy: config.removalPolicy,
    });

    this.mailDomain.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `DKIM record ${index + 1} of 3 for ${config.mailDomain}: a CNAME, "<name> CNAME <value>"`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      description: 'Activate it once: aws ses set-active-receipt-rule-set --rule-set-name <this value>',
      value: this.mailDomain.receiptRuleSet.receiptRuleSetName,
    });
    new CfnOutput(this, 'InboundMailBucketName', { value: this.inboundMailBucket.bucketName });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.scheduling.groupName });
    new CfnOutput(this, 'SendQueueUrl', { value: this.sendQueue.queue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}

/**
 * A secret of the stage (`soft-partner/<stage>/<name>`), generated once (letters and digits, no spaces; 48 of
 * them unless `generate` says otherwise) and never rotated on a schedule, for the reason cdk-nag is given.
 */
function unrotatedSecret(
  scope: Construct,
  id: string,
  config: StageConfig,
  props: {
    name: string;
    description: string;
    generate?: Pick<SecretStringGenerator, 'secretStringTemplate' | 'generateStringKey' | 'passwordLength'>;
    whyNotRotated: string;
  },
): Secret {
  const secret = new Secret(scope, id, {
    secretName: `soft-partner/${config.stage}/${props.name}`,
    description: props.description,
    generateSecretString: {
      passwordLength: 48,
      ...props.generate,
      excludePunctuation: true,
      includeSpace: false,
    },
    removalPolicy: config.removalPolicy,
  });
  NagSuppressions.addResourceSuppressions(secret, [{ id: 'AwsSolutions-SMG4', reason: props.whyNotRotated }]);
  return secret;
}
