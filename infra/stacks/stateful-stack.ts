import { Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Placeholder Twilio account SID written into the generated secret. Operators replace the whole secret value
 * with real credentials after the first deploy (see the secret's description).
 */
export const PLACEHOLDER_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';

/**
 * Everything that holds data and must survive redeploys of the application code: the single table and the
 * secrets operators fill in by hand. Kept apart from the stateless stack so that stack can be destroyed and
 * recreated freely.
 */
export class StatefulStack extends Stack {
  readonly table: Table;
  /** JSON `{ accountSid, authToken, fromNumber }`. */
  readonly twilioSecret: Secret;
  /** A plain string: the API key enroll expects on its routes. */
  readonly apiKeySecret: Secret;

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
  }
}
