import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { MailDomain } from '../constructs/mail-domain.js';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Placeholder Twilio account SID written into the generated secret. Operators replace the whole secret value
 * with real credentials after the first deploy (see the secret's description).
 */
export const PLACEHOLDER_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';

/** Key prefix SES stores raw inbound messages under (the receipt rule's S3 action writes `inbound/<messageId>`). */
export const INBOUND_MAIL_PREFIX = 'inbound/';

/**
 * Everything that holds data and must survive redeploys of the application code: the single table, the
 * secrets operators fill in by hand, the inbound mail bucket, and the SES setup mirrored in DNS (identity,
 * configuration set, receipt rule set). Kept apart from the stateless stack so that stack can be destroyed and
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

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, { terminationProtection: config.statefulTerminationProtection, ...stackProps });

    // Single-table design: every entity keyed by pk/sk, one overloaded GSI for the secondary access paths.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: config.tableDeletionProtection,
      removalPolicy: config.removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
    });

    // Generated placeholders only; real credentials never appear in code or templates. CloudFormation only
    // generates the value on creation, so later hand edits survive deploys as long as this template is unchanged.
    this.twilioSecret = new Secret(this, 'TwilioSecret', {
      secretName: `soft-partner/${config.stage}/twilio`,
      description:
        'Twilio credentials as JSON {"accountSid","authToken","fromNumber"}. Generated with placeholders: ' +
        'replace the value with the real account SID, auth token and E.164 sender number.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({
          accountSid: PLACEHOLDER_TWILIO_ACCOUNT_SID,
          fromNumber: config.twilioFromNumber,
        }),
        generateStringKey: 'authToken',
        passwordLength: 32,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: config.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.twilioSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Twilio issues these credentials: an operator rotates the auth token in the Twilio console and ' +
          'pastes it into the secret (docs/deploy.md); no rotation Lambda can mint a Twilio token.',
      },
    ]);

    this.apiKeySecret = new Secret(this, 'ApiKeySecret', {
      secretName: `soft-partner/${config.stage}/api-key`,
      description: 'API key (plain string) callers of the partnership routes must present.',
      generateSecretString: {
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: config.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.apiKeySecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'The operator hands this key to the enrollment client out of band; rotating it is a coordinated ' +
          'manual change on both sides, which a rotation schedule would break.',
      },
    ]);

    // Rotating it invalidates every reply address and link already sent, so it lives as long as the table.
    this.linkSigningSecret = new Secret(this, 'LinkSigningSecret', {
      secretName: `soft-partner/${config.stage}/link-signing`,
      description: 'HMAC key (plain string) for reply addresses and email links. Generated; do not edit.',
      generateSecretString: {
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: config.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.linkSigningSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotation would invalidate every reply address and email link already sent (they are HMACs under ' +
          'this key and live as long as a partnership), so it is rotated only deliberately, never on a schedule.',
      },
    ]);

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
  }
}
