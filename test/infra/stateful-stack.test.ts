import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_TWILIO_FROM_NUMBER } from '../../infra/config.js';
import { PLACEHOLDER_TWILIO_ACCOUNT_SID } from '../../infra/stacks/stateful-stack.js';
import { resources, synthesize } from './synth.js';

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

  it('keys the table by pk/sk with one gsi1 index on gsi1pk/gsi1sk, all strings', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayEquals([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
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

  it('generates the Twilio secret as placeholder JSON {accountSid, authToken, fromNumber}', () => {
    dev.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'soft-partner/dev/twilio',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({
          accountSid: PLACEHOLDER_TWILIO_ACCOUNT_SID,
          fromNumber: PLACEHOLDER_TWILIO_FROM_NUMBER,
        }),
        GenerateStringKey: 'authToken',
      }),
    });
  });

  it('seeds the Twilio fromNumber from the twilioFromNumber context key', () => {
    const custom = synthesize({ stage: 'dev', twilioFromNumber: '+15551234567' });
    custom.statefulTemplate.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'soft-partner/dev/twilio',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: Match.serializedJson(Match.objectLike({ fromNumber: '+15551234567' })),
      }),
    });
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
});
