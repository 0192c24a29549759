import { Match } from 'aws-cdk-lib/assertions';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import {
  localCreateTableInput,
  localSchedulesIndex,
  tableKeySchema,
} from '#shared/adapters/dynamodb/table.js';
import { PLACEHOLDER_TWILIO_FROM_NUMBER } from '../../infra/config.js';
import { PLACEHOLDER_TWILIO_ACCOUNT_SID } from '../../infra/stacks/stateful-stack.js';
import { environmentOf, type PolicyStatementJson, resources, synthesize } from './synth.js';

const dev = synthesize({ stage: 'dev' });
const prod = synthesize({ stage: 'prod' });

describe('stateful stack', () => {
  it('is named SoftPartnerStateful-<stage>', () => {
    expect(dev.stateful.stackName).toBe('SoftPartnerStateful-dev');
    expect(prod.stateful.stackName).toBe('SoftPartnerStateful-prod');
  });

  it('holds exactly one DynamoDB table', () => {
    dev.statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('keys the table by pk/sk, all strings, as table.ts says, and has no index (gsi1 is local only)', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableKeySchema.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableKeySchema.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayEquals([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: Match.absent(),
    });
    // The local table has the same keys, plus the local scheduler's index.
    const local = localCreateTableInput('soft-partner-local');
    expect(local.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(local.GlobalSecondaryIndexes.map((index) => index.IndexName)).toEqual([localSchedulesIndex.name]);
  });

  it('bills on demand (PAY_PER_REQUEST)', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('enables point-in-time recovery and TTL on expiresAt', () => {
    for (const { statefulTemplate } of [dev, prod]) {
      statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    }
  });

  it('encrypts the table with the AWS-managed KMS key (aws/dynamodb)', () => {
    // SSEEnabled without a key id is exactly "AWS managed key"; AWS-owned encryption would omit SSESpecification.
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
    });
  });

  it('turns on deletion protection, retention and termination protection in prod only', () => {
    prod.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(prod.stateful.terminationProtection).toBe(true);

    dev.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
    expect(dev.stateful.terminationProtection).toBe(false);
  });

  it('generates the Twilio secret as placeholder JSON {accountSid, authToken}, nothing from context', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'soft-partner/dev/twilio',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({ accountSid: PLACEHOLDER_TWILIO_ACCOUNT_SID }),
        GenerateStringKey: 'authToken',
      }),
    });
  });

  it('renders the Twilio secret identically for two twilioFromNumber values, so no deploy regenerates it', () => {
    const twilioSecret = (app: typeof dev) => {
      const secrets = resources(app.statefulTemplate, 'AWS::SecretsManager::Secret');
      const [entry] = Object.entries(secrets).filter(
        ([, secret]) =>
          secret.Properties?.Name === `soft-partner/${app.stateful.stackName.split('-')[1]}/twilio`,
      );
      return entry;
    };
    // dev runs with Twilio's test number; the other synthesis with a real-looking one.
    const other = synthesize({ stage: 'dev', twilioFromNumber: '+447700900123' });
    expect(twilioSecret(dev)).toBeDefined();
    expect(twilioSecret(dev)).toEqual(twilioSecret(other));
    expect(JSON.stringify(other.statefulTemplate.toJSON())).not.toContain('+447700900123');
    // The number is plain configuration of the function that texts.
    expect(environmentOf(dev.statelessTemplate, dev.stateless.dispatch).TWILIO_FROM_NUMBER).toBe(
      PLACEHOLDER_TWILIO_FROM_NUMBER,
    );
    expect(environmentOf(other.statelessTemplate, other.stateless.dispatch).TWILIO_FROM_NUMBER).toBe(
      '+447700900123',
    );
  });

  it('holds everything pending work lives in: schedule group, send queue, every DLQ, topics, Scheduler role', () => {
    dev.statefulTemplate.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    dev.statefulTemplate.resourceCountIs('AWS::SQS::Queue', 7);
    dev.statefulTemplate.resourceCountIs('AWS::SNS::Topic', 2);
    dev.statefulTemplate.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      }),
    });
    for (const type of ['AWS::Scheduler::ScheduleGroup', 'AWS::SQS::Queue', 'AWS::SNS::Topic']) {
      prod.statelessTemplate.resourceCountIs(type, 0);
    }
  });

  it('generates the API key secret as a plain string', () => {
    prod.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'soft-partner/prod/api-key',
      GenerateSecretString: Match.objectLike({
        ExcludePunctuation: true,
        SecretStringTemplate: Match.absent(),
        GenerateStringKey: Match.absent(),
      }),
    });
  });

  it('never embeds a literal secret value', () => {
    for (const secret of Object.values(resources(prod.statefulTemplate, 'AWS::SecretsManager::Secret'))) {
      expect(secret.Properties?.SecretString).toBeUndefined();
      expect(secret.Properties?.GenerateSecretString).toBeDefined();
    }
  });

  it('generates the link-signing secret as a plain 48-character string without punctuation', () => {
    for (const [app, stage] of [
      [dev, 'dev'],
      [prod, 'prod'],
    ] as const) {
      app.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `soft-partner/${stage}/link-signing`,
        GenerateSecretString: {
          PasswordLength: 48,
          ExcludePunctuation: true,
          IncludeSpace: false,
          SecretStringTemplate: Match.absent(),
          GenerateStringKey: Match.absent(),
        },
      });
    }
    prod.statefulTemplate.hasResource('AWS::SecretsManager::Secret', {
      Properties: Match.objectLike({ Name: 'soft-partner/prod/link-signing' }),
      DeletionPolicy: 'Retain',
    });
  });

  describe('inbound mail bucket', () => {
    const bucketLogicalId = (app: typeof dev): string => {
      const cfnBucket = app.stateful.inboundMailBucket.node.defaultChild;
      if (!(cfnBucket instanceof CfnBucket)) throw new Error('inbound mail bucket has no CfnBucket');
      return app.stateful.getLogicalId(cfnBucket);
    };
    const bucketPolicyStatements = (app: typeof dev): PolicyStatementJson[] => {
      const policies = Object.values(resources(app.statefulTemplate, 'AWS::S3::BucketPolicy')).filter(
        (policy) => (policy.Properties?.Bucket as { Ref?: string } | undefined)?.Ref === bucketLogicalId(app),
      );
      expect(policies).toHaveLength(1);
      const document = policies[0]?.Properties?.PolicyDocument as
        | { Statement: PolicyStatementJson[] }
        | undefined;
      return document?.Statement ?? [];
    };
    const objectsUnder = (app: typeof dev, prefix: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketLogicalId(app), 'Arn'] }, prefix]],
    });

    it('is the only bucket, encrypted with S3-managed keys, unversioned, with ACLs disabled', () => {
      dev.statefulTemplate.resourceCountIs('AWS::S3::Bucket', 1);
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: Match.absent(),
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });

    it('blocks every kind of public access', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    });

    it('denies every request made without TLS', () => {
      expect(bucketPolicyStatements(dev)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    it('expires raw messages under inbound/ after 30 days, or inboundMailRetentionDays', () => {
      dev.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 30, Status: 'Enabled' })],
        },
      });
      const shortLived = synthesize({ stage: 'prod', inboundMailRetentionDays: '7' });
      shortLived.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.objectLike({ Prefix: 'inbound/', ExpirationInDays: 7 })] },
      });
    });

    it('lets SES of this account, and no one else, put objects under inbound/ only', () => {
      const allows = bucketPolicyStatements(dev).filter((statement) => statement.Effect === 'Allow');
      expect(allows).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: objectsUnder(dev, '/inbound/*'),
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
    });

    it('is retained in prod and deleted with the dev stack, without a custom resource to empty it', () => {
      prod.statefulTemplate.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      dev.statefulTemplate.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      for (const { statefulTemplate } of [dev, prod]) {
        expect(Object.keys(resources(statefulTemplate, 'Custom::S3AutoDeleteObjects'))).toEqual([]);
        expect(Object.keys(resources(statefulTemplate, 'AWS::Lambda::Function'))).toEqual([]);
      }
    });
  });

  describe('SES', () => {
    it('verifies the mail domain with Easy DKIM and a custom MAIL FROM domain mail.<mailDomain>', () => {
      const custom = synthesize({ stage: 'prod', mailDomain: 'Partner.Example.com' });
      custom.statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'partner.example.com',
        MailFromAttributes: { MailFromDomain: 'mail.partner.example.com' },
        // Easy DKIM is SES's default: no BYODKIM key, no signing switched off.
        DkimSigningAttributes: Match.absent(),
        DkimAttributes: Match.absent(),
      });
      custom.statefulTemplate.resourceCountIs('AWS::SES::EmailIdentity', 1);
    });

    it('makes the soft-partner-<stage> configuration set the identity default, with reputation metrics and suppression', () => {
      const configurationSetLogicalId = Object.keys(
        resources(prod.statefulTemplate, 'AWS::SES::ConfigurationSet'),
      )[0];
      prod.statefulTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: 'soft-partner-prod',
        ReputationOptions: { ReputationMetricsEnabled: true },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
      prod.statefulTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSetLogicalId } },
      });
    });

    it('creates the soft-partner-<stage>-inbound receipt rule set, which the operator activates', () => {
      prod.statefulTemplate.hasResourceProperties('AWS::SES::ReceiptRuleSet', {
        RuleSetName: 'soft-partner-prod-inbound',
      });
      prod.statefulTemplate.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
      prod.statefulTemplate.hasOutput('ReceiptRuleSetName', {
        Value: { Ref: Object.keys(resources(prod.statefulTemplate, 'AWS::SES::ReceiptRuleSet'))[0] },
      });
    });

    it('outputs the three DKIM CNAME records', () => {
      const identityLogicalId = Object.keys(resources(dev.statefulTemplate, 'AWS::SES::EmailIdentity'))[0];
      for (const n of [1, 2, 3]) {
        dev.statefulTemplate.hasOutput(`DkimRecord${n}`, {
          Value: {
            'Fn::Join': [
              '',
              [
                { 'Fn::GetAtt': [identityLogicalId, `DkimDNSTokenName${n}`] },
                ' CNAME ',
                { 'Fn::GetAtt': [identityLogicalId, `DkimDNSTokenValue${n}`] },
              ],
            ],
          },
        });
      }
    });
  });
});
