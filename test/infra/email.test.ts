import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INBOUND_MAIL_PREFIX as RAW_MAIL_PREFIX } from '#shared/adapters/s3-raw-mail.js';
import { ACTION_PATH, CHARTER_PATH, UNSUBSCRIBE_PATH } from '#shared/use-cases/member-email.js';
import type { SoftPartnerFunction } from '../../infra/constructs/soft-partner-function.js';
import { INBOUND_MAIL_PREFIX } from '../../infra/stacks/stateful-stack.js';
import {
  EMAIL_ACTION_PATH,
  EMAIL_UNSUBSCRIBE_PATH,
  CHARTER_PATH as INFRA_CHARTER_PATH,
} from '../../infra/stacks/stateless-stack.js';
import {
  allIdentityStatements,
  asArray,
  environmentOf,
  type PolicyStatementJson,
  resources,
  statementsOf,
  synthesize,
} from './synth.js';

const dev = synthesize({ stage: 'dev' });
const { stateless, statelessTemplate: template } = dev;
const { mailDomain, emailEventsTopic } = dev.stateful;
const { statefulTemplate } = dev;
/** A token as the stateful template renders it: the topic, its policy and the event destination live there. */
const renderedInStateful = (token: string): unknown => dev.stateful.resolve(token);

/** A token (reference, ARN, ...) rendered the way it appears in the stateless template. */
const rendered = (token: string): unknown => stateless.resolve(token);

/** The functions that send email (and so sign links and reply addresses). */
/** Every email leaves through the sender (dispatch): invitations and answers to replies are steps it sends. */
const senders: Record<string, SoftPartnerFunction> = {
  dispatch: stateless.dispatch,
};

const sesStatements = (fn: SoftPartnerFunction): PolicyStatementJson[] =>
  statementsOf(template, fn).filter((s) => asArray(s.Action).some((action) => action.startsWith('ses:')));

const s3Statements = (fn: SoftPartnerFunction): PolicyStatementJson[] =>
  statementsOf(template, fn).filter((s) => asArray(s.Action).some((action) => action.startsWith('s3:')));

const receiptRule = () => {
  const rules = Object.values(resources(template, 'AWS::SES::ReceiptRule'));
  expect(rules).toHaveLength(1);
  return rules[0]?.Properties as {
    RuleSetName: unknown;
    Rule: {
      Name: string;
      Enabled: boolean;
      Recipients: string[];
      ScanEnabled: boolean;
      TlsPolicy: string;
      Actions: Record<string, Record<string, unknown>>[];
    };
  };
};

describe('email (stateless stack)', () => {
  it('routes the paths the emails link to, and stores mail under the prefix inbound-email reads', () => {
    expect([EMAIL_UNSUBSCRIBE_PATH, EMAIL_ACTION_PATH, INFRA_CHARTER_PATH]).toEqual([
      UNSUBSCRIBE_PATH,
      ACTION_PATH,
      CHARTER_PATH,
    ]);
    expect(INBOUND_MAIL_PREFIX).toBe(RAW_MAIL_PREFIX);
  });

  describe('sending', () => {
    it('gives the sender (dispatch) the email environment, and inbound-email only what reads reply addresses', () => {
      expect(environmentOf(template, stateless.inboundEmail)).toMatchObject({
        INBOUND_DOMAIN: 'in.example.org',
        LINK_SECRET_ARN: rendered(dev.stateful.linkSigningSecret.secretArn),
      });
      expect(environmentOf(template, stateless.inboundEmail).EMAIL_FROM).toBeUndefined();
      for (const fn of Object.values(senders)) {
        expect(environmentOf(template, fn)).toMatchObject({
          EMAIL_FROM: 'Soft Partner <hello@example.org>',
          EMAIL_CONFIGURATION_SET: rendered(mailDomain.configurationSet.configurationSetName),
          INBOUND_DOMAIN: 'in.example.org',
          LINK_SECRET_ARN: rendered(dev.stateful.linkSigningSecret.secretArn),
        });
      }
    });

    it('takes the sender, mail domain and inbound domain from context', () => {
      const custom = synthesize({
        stage: 'prod',
        mailDomain: 'partner.example.com',
        emailFrom: 'Your Partner <partner@partner.example.com>',
        inboundDomain: 'replies.partner.example.com',
      });
      expect(environmentOf(custom.statelessTemplate, custom.stateless.dispatch)).toMatchObject({
        EMAIL_FROM: 'Your Partner <partner@partner.example.com>',
        INBOUND_DOMAIN: 'replies.partner.example.com',
      });
      custom.statelessTemplate.hasResourceProperties('AWS::SES::ReceiptRule', {
        Rule: Match.objectLike({ Recipients: ['replies.partner.example.com'] }),
      });
    });

    it('allows exactly ses:SendEmail on the identity and the configuration set, never on *', () => {
      const expected = [
        rendered(mailDomain.identity.emailIdentityArn),
        rendered(mailDomain.configurationSetArn),
      ];
      for (const fn of Object.values(senders)) {
        const statements = sesStatements(fn);
        expect(statements).toHaveLength(1);
        const [statement] = statements;
        expect(statement?.Effect).toBe('Allow');
        expect(statement?.Action).toBe('ses:SendEmail');
        expect(asArray(statement?.Resource)).toHaveLength(2);
        expect(asArray(statement?.Resource)).toEqual(expect.arrayContaining(expected));
        expect(asArray(statement?.Resource)).not.toContain('*');
      }
    });

    it('scopes the send permission to the identity and configuration set ARNs of this account and region', () => {
      expect(rendered(mailDomain.configurationSetArn)).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':configuration-set/',
            rendered(mailDomain.configurationSet.configurationSetName),
          ],
        ],
      });
    });

    it('lets no other principal in the stack use SES, and nobody send raw email', () => {
      const sesUsers = allIdentityStatements(template).filter((s) =>
        asArray(s.Action).some((action) => action.startsWith('ses:') || action === '*'),
      );
      expect(sesUsers).toHaveLength(Object.keys(senders).length);
      for (const statement of sesUsers) expect(asArray(statement.Action)).toEqual(['ses:SendEmail']);
      expect(sesStatements(stateless.inboundSms)).toEqual([]);
      expect(sesStatements(stateless.enroll)).toEqual([]);
      expect(sesStatements(stateless.inboundEmail)).toEqual([]);
      expect(sesStatements(stateless.emailEvents)).toEqual([]);
      expect(sesStatements(stateless.emailLinks)).toEqual([]);
    });
  });

  describe('receiving', () => {
    it('receives mail for the inbound domain, spam- and virus-scanned, over TLS only', () => {
      const { Rule, RuleSetName } = receiptRule();
      expect(Rule).toMatchObject({
        Name: 'soft-partner-dev-inbound-email',
        Enabled: true,
        Recipients: ['in.example.org'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
      });
      expect(RuleSetName).toEqual(rendered(mailDomain.receiptRuleSet.receiptRuleSetName));
    });

    it('stores the raw message under inbound/ before it invokes inbound-email asynchronously', () => {
      const { Actions } = receiptRule().Rule;
      expect(Actions).toEqual([
        {
          S3Action: {
            BucketName: rendered(dev.stateful.inboundMailBucket.bucketName),
            ObjectKeyPrefix: 'inbound/',
          },
        },
        {
          LambdaAction: {
            FunctionArn: rendered(stateless.inboundEmail.functionArn),
            InvocationType: 'Event',
          },
        },
      ]);
    });

    it('lets ses.amazonaws.com of this account invoke inbound-email, before the rule exists', () => {
      const permissions = Object.entries(resources(template, 'AWS::Lambda::Permission')).filter(
        ([, permission]) => permission.Properties?.Principal === 'ses.amazonaws.com',
      );
      expect(permissions).toHaveLength(1);
      const [logicalId, permission] = permissions[0] ?? [];
      expect(permission?.Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: rendered(stateless.inboundEmail.functionArn),
        Principal: 'ses.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
      template.hasResource('AWS::SES::ReceiptRule', { DependsOn: Match.arrayWith([logicalId]) });
    });

    it('lets inbound-email read objects under inbound/ of the bucket, and nothing more of S3', () => {
      const bucketArn = rendered(dev.stateful.inboundMailBucket.bucketArn);
      expect(s3Statements(stateless.inboundEmail)).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [bucketArn, '/inbound/*']] },
        }),
      ]);
      expect(environmentOf(template, stateless.inboundEmail).INBOUND_BUCKET_NAME).toEqual(
        rendered(dev.stateful.inboundMailBucket.bucketName),
      );
      for (const fn of [stateless.enroll, stateless.inboundSms, stateless.dispatch, stateless.emailLinks]) {
        expect(s3Statements(fn)).toEqual([]);
      }
      expect(s3Statements(stateless.emailEvents)).toEqual([]);
    });

    it('gives inbound-email 30 seconds', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'soft-partner-dev-inbound-email',
        Timeout: 30,
      });
    });
  });

  describe('events', () => {
    it('reports bounces, complaints, rejects and delivery delays of the configuration set to an SNS topic', () => {
      statefulTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: renderedInStateful(mailDomain.configurationSet.configurationSetName),
        EventDestination: {
          Name: 'soft-partner-dev-email-events',
          Enabled: true,
          MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
          SnsDestination: { TopicARN: renderedInStateful(emailEventsTopic.topicArn) },
        },
      });
      const [destination] = Object.values(
        resources(statefulTemplate, 'AWS::SES::ConfigurationSetEventDestination'),
      );
      const eventDestination = destination?.Properties?.EventDestination as
        | { MatchingEventTypes: string[] }
        | undefined;
      expect([...(eventDestination?.MatchingEventTypes ?? [])].sort()).toEqual([
        'bounce',
        'complaint',
        'deliveryDelay',
        'reject',
      ]);
    });

    it('lets only SES, for this configuration set, publish to the topic, over TLS', () => {
      statefulTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [renderedInStateful(emailEventsTopic.topicArn)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'ses.amazonaws.com' },
              Condition: {
                StringEquals: {
                  'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                  'AWS:SourceArn': renderedInStateful(mailDomain.configurationSetArn),
                },
              },
            }),
          ]),
        },
      });
    });

    it('subscribes email-events to the topic', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: rendered(emailEventsTopic.topicArn),
        Endpoint: rendered(stateless.emailEvents.functionArn),
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        FunctionName: rendered(stateless.emailEvents.functionArn),
        SourceArn: rendered(emailEventsTopic.topicArn),
      });
    });

    it('gives email-events the table and nothing else to reach', () => {
      const services = new Set(
        statementsOf(template, stateless.emailEvents).flatMap((s) =>
          asArray(s.Action).map((action) => action.split(':')[0]),
        ),
      );
      // dynamodb for the table, logs for its own log group, sqs for its own on-failure destination.
      expect([...services].sort()).toEqual(['dynamodb', 'logs', 'sqs']);
    });
  });

  describe('sending reputation alarms', () => {
    it.each([
      // Half the rates at which SES puts an account under review (5% and 0.1%).
      ['Reputation.BounceRate', 0.025, 'soft-partner-dev-ses-bounce-rate'],
      ['Reputation.ComplaintRate', 0.0005, 'soft-partner-dev-ses-complaint-rate'],
    ])('alarms when %s reaches %s, below SES review levels', (metricName, threshold, alarmName) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarmName,
        Namespace: 'AWS/SES',
        MetricName: metricName,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [rendered(stateless.alarmTopic.topicArn)],
        OKActions: [rendered(stateless.alarmTopic.topicArn)],
      });
    });
  });
});
