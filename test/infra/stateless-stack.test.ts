import { isDeepStrictEqual } from 'node:util';
import { Match } from 'aws-cdk-lib/assertions';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnQueue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, senderConcurrency } from '../../infra/config.js';
import type { SoftPartnerFunction } from '../../infra/constructs/soft-partner-function.js';
import {
  allIdentityStatements,
  asArray,
  environmentOf,
  importedFromStateful,
  type PolicyStatementJson,
  resources,
  statementsOf,
  statementsOfRole,
  synthesize,
} from './synth.js';

// One synthesis per stage for the whole file: each takes seconds on a busy machine.
const dev = synthesize({ stage: 'dev' });
const prod = synthesize({ stage: 'prod' });
const { stateless, statelessTemplate: template, stateful, statefulTemplate } = dev;
const functions: Record<string, SoftPartnerFunction> = {
  enroll: stateless.enroll,
  'inbound-sms': stateless.inboundSms,
  dispatch: stateless.dispatch,
  'inbound-email': stateless.inboundEmail,
  'email-links': stateless.emailLinks,
  'email-events': stateless.emailEvents,
  'self-serve': stateless.selfServe,
};
/** The functions that converse, so may schedule the next step. */
const schedulers = [
  stateless.enroll,
  stateless.inboundSms,
  stateless.dispatch,
  stateless.inboundEmail,
  stateless.emailLinks,
  stateless.selfServe,
];

/** A stateless-stack token (reference, ARN, ...) rendered the way it appears in the stateless template. */
const rendered = (token: string): unknown => stateless.resolve(token);

/** A stateful-stack token as the stateful template renders it. */
const renderedInStateful = (token: string): unknown => stateful.resolve(token);
/** A stateful-stack token as the stateless template reads it (a weak cross-stack reference). */
const fromStateful = (token: string): unknown => importedFromStateful(dev, token);

/** Queues, the schedule group and the Scheduler role live in the stateful stack: they hold pending work. */
const logicalIdOf = (queue: IQueue): string => {
  const cfnQueue = queue.node.defaultChild;
  if (!(cfnQueue instanceof CfnQueue)) throw new Error(`${queue.node.path} has no CfnQueue`);
  return stateful.getLogicalId(cfnQueue);
};

const sendQueue = stateful.sendQueue.queue;
const sendDeadLetterQueue = stateful.sendQueue.deadLetterQueue.queue;
const scheduleDeadLetterQueue = stateful.scheduling.deadLetterQueue;
/** The send queue's ARN in the stateful template, and as the functions read it. */
const sendQueueArnInStateful = { 'Fn::GetAtt': [logicalIdOf(sendQueue), 'Arn'] };
const sendQueueArn = fromStateful(sendQueue.queueArn);
/** The setup queue (self-serve by text): inbound-sms hands texts to it, the setup function drains it. */
const setupQueue = stateful.setupQueue.queue;
const setupQueueArn = fromStateful(setupQueue.queueArn);

const schedulerRoleLogicalId = (() => {
  const cfnRole = stateful.scheduling.role.node.defaultChild;
  if (!(cfnRole instanceof CfnRole)) throw new Error('scheduler role has no CfnRole');
  return stateful.getLogicalId(cfnRole);
})();

const allows = (statement: PolicyStatementJson, action: string): boolean =>
  statement.Effect === 'Allow' && asArray(statement.Action).includes(action);

/** Whether an action pattern in a policy ("iam:*", "*", "iam:Pass*") would match iam:PassRole. */
const matchesPassRole = (pattern: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(
    'iam:PassRole',
  );

describe('stateless stack', () => {
  it('is named SoftPartnerStateless-<stage> and depends on the stateful stack', () => {
    expect(stateless.stackName).toBe('SoftPartnerStateless-dev');
    expect(stateless.dependencies.map((stack) => stack.stackName)).toContain('SoftPartnerStateful-dev');
  });

  it('runs exactly seven functions, each on nodejs22.x and arm64', () => {
    const lambdas = Object.values(resources(template, 'AWS::Lambda::Function'));
    expect(lambdas).toHaveLength(7);
    for (const lambda of lambdas) {
      expect(lambda.Properties?.Runtime).toBe('nodejs22.x');
      expect(lambda.Properties?.Architectures).toEqual(['arm64']);
      expect(lambda.Properties?.Handler).toBe('index.handler');
    }
  });

  it('names the functions soft-partner-<stage>-<name>', () => {
    for (const [name, fn] of Object.entries(functions)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `soft-partner-dev-${name}`,
        Role: rendered(fn.function.role?.roleArn ?? ''),
      });
    }
  });

  it('gives every function the shared environment and the table name', () => {
    for (const fn of Object.values(functions)) {
      expect(environmentOf(template, fn)).toMatchObject({
        STAGE: 'dev',
        POWERTOOLS_SERVICE_NAME: 'soft-partner-dev',
        POWERTOOLS_METRICS_NAMESPACE: 'SoftPartner',
        NODE_OPTIONS: '--enable-source-maps',
        TABLE_NAME: rendered(dev.stateful.table.tableName),
      });
    }
  });

  it('gives the functions that talk to Twilio (inbound-sms, dispatch) the Twilio secret ARN, and no other', () => {
    expect(environmentOf(template, stateless.enroll).TWILIO_SECRET_ARN).toBeUndefined();
    for (const fn of [stateless.inboundSms, stateless.dispatch]) {
      expect(environmentOf(template, fn).TWILIO_SECRET_ARN).toEqual(
        rendered(dev.stateful.twilioSecret.secretArn),
      );
    }
  });

  it('gives each function only the environment variables its handler reads', () => {
    const base = [
      'STAGE',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_LOG_LEVEL',
      'NODE_OPTIONS',
      'TABLE_NAME',
    ];
    const shared = [
      ...base,
      // The Parameters and Secrets extension's settings (functions that read secrets; secrets-extension.test.ts).
      'PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED',
      'PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE',
      'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
      'PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL',
      'PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS',
      'SECRETS_MANAGER_TIMEOUT_MILLIS',
      'SECRETS_MANAGER_TTL',
      'SSM_PARAMETER_STORE_TIMEOUT_MILLIS',
      'SSM_PARAMETER_STORE_TTL',
    ];
    const scheduling = [
      'SCHEDULE_GROUP_NAME',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_TARGET_ARN',
      'SCHEDULE_DLQ_ARN',
      'SEND_QUEUE_URL',
    ];
    const email = [
      'EMAIL_FROM',
      'EMAIL_CONFIGURATION_SET',
      'INBOUND_DOMAIN',
      'LINK_SECRET_ARN',
      'PUBLIC_BASE_URL',
    ];
    const keys = (fn: SoftPartnerFunction) => Object.keys(environmentOf(template, fn)).sort();
    expect(keys(stateless.enroll)).toEqual(
      [...shared, 'API_KEY_SECRET_ARN', 'SMS_COUNTRIES', ...scheduling].sort(),
    );
    // The dev stage texts from Twilio's +1 test number: enrollment takes the +1 countries only.
    expect(environmentOf(template, stateless.enroll).SMS_COUNTRIES).toMatch(
      /^(?=.*\bUS\b)(?=.*\bCA\b)[A-Z,]+$/,
    );
    const setup = ['SETUP_QUEUE_ARN', 'SETUP_QUEUE_URL'];
    expect(keys(stateless.inboundSms)).toEqual(
      [...shared, 'TWILIO_SECRET_ARN', 'PUBLIC_BASE_URL', ...scheduling, ...setup].sort(),
    );
    expect(keys(stateless.selfServe)).toEqual(
      [
        ...shared,
        'TWILIO_SECRET_ARN',
        'TWILIO_FROM_NUMBER',
        'SMS_COUNTRIES',
        'SELF_SERVE',
        'PUBLIC_BASE_URL',
        ...scheduling,
        ...setup,
      ].sort(),
    );
    expect(environmentOf(template, stateless.selfServe).SELF_SERVE).toBe('true');
    expect(keys(stateless.dispatch)).toEqual(
      [
        ...shared,
        'TWILIO_SECRET_ARN',
        'TWILIO_FROM_NUMBER',
        'SMS_SECONDS_BETWEEN_SENDS',
        'SMS_BURST',
        'EMAIL_SECONDS_BETWEEN_SENDS',
        'SENDER_RESERVE_SECONDS',
        ...scheduling,
        ...email,
      ].sort(),
    );
    expect(keys(stateless.inboundEmail)).toEqual(
      [
        ...shared,
        'INBOUND_BUCKET_NAME',
        ...scheduling,
        'INBOUND_DOMAIN',
        'LINK_SECRET_ARN',
        'PUBLIC_BASE_URL',
      ].sort(),
    );
    expect(keys(stateless.emailLinks)).toEqual([...shared, ...scheduling, 'LINK_SECRET_ARN'].sort());
    expect(keys(stateless.emailEvents)).toEqual([...base].sort());
  });

  it('grants read/write on the table alone (it has no index) to all seven functions', () => {
    const tableArn = rendered(dev.stateful.table.tableArn);
    for (const fn of Object.values(functions)) {
      const statement = statementsOf(template, fn).find((s) => allows(s, 'dynamodb:PutItem'));
      expect(statement?.Action).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']),
      );
      expect(asArray(statement?.Resource)).toEqual([tableArn]);
    }
  });

  describe('secrets', () => {
    const readersOf = (secretArn: string): string[] =>
      Object.entries(functions)
        .filter(([, fn]) =>
          statementsOf(template, fn).some(
            (s) =>
              allows(s, 'secretsmanager:GetSecretValue') &&
              asArray(s.Resource).some((r) => isDeepStrictEqual(r, rendered(secretArn))),
          ),
        )
        .map(([name]) => name)
        .sort();

    it('lets inbound-sms, dispatch and self-serve read the Twilio secret (enroll texts nothing itself)', () => {
      expect(readersOf(dev.stateful.twilioSecret.secretArn)).toEqual([
        'dispatch',
        'inbound-sms',
        'self-serve',
      ]);
    });

    it('lets dispatch, inbound-email and email-links read the link-signing secret, not the others', () => {
      expect(readersOf(dev.stateful.linkSigningSecret.secretArn)).toEqual([
        'dispatch',
        'email-links',
        'inbound-email',
      ]);
      for (const fn of [stateless.dispatch, stateless.inboundEmail, stateless.emailLinks]) {
        expect(environmentOf(template, fn).LINK_SECRET_ARN).toEqual(
          rendered(dev.stateful.linkSigningSecret.secretArn),
        );
      }
    });

    it('lets only enroll read the API key secret, exposed as API_KEY_SECRET_ARN', () => {
      expect(readersOf(dev.stateful.apiKeySecret.secretArn)).toEqual(['enroll']);
      expect(environmentOf(template, stateless.enroll).API_KEY_SECRET_ARN).toEqual(
        rendered(dev.stateful.apiKeySecret.secretArn),
      );
    });

    it('grants secret access to no other principal in the stack', () => {
      const isSecretStatement = (s: PolicyStatementJson) =>
        asArray(s.Action).some((action) => action.startsWith('secretsmanager:'));
      const secretStatements = allIdentityStatements(template).filter(isSecretStatement);
      // Every secret statement in the stack belongs to one of the functions (email-events has none).
      const ofFunctions = Object.values(functions).flatMap((fn) =>
        statementsOf(template, fn).filter(isSecretStatement),
      );
      expect(secretStatements).toHaveLength(ofFunctions.length);
      expect(statementsOf(template, stateless.emailEvents).filter(isSecretStatement)).toEqual([]);
      for (const statement of secretStatements) {
        expect(asArray(statement.Action).sort()).toEqual([
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
        ]);
      }
    });
  });

  describe('HTTP API', () => {
    it('routes the partnership routes to enroll, the Twilio webhook to inbound-sms and the email links to email-links', () => {
      const routes = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map(
        (r) => r.Properties?.RouteKey,
      );
      expect(routes.sort()).toEqual([
        'GET /charter/{token}',
        'GET /email/action',
        'GET /email/resubscribe',
        'GET /email/unsubscribe',
        'GET /partnerships/{id}',
        'POST /email/action',
        'POST /email/resubscribe',
        'POST /email/unsubscribe',
        'POST /partnerships',
        'POST /webhooks/twilio/sms',
        'POST /webhooks/twilio/status',
      ]);

      const integrations = Object.values(resources(template, 'AWS::ApiGatewayV2::Integration'));
      expect(
        integrations
          .map((i) => i.Properties?.IntegrationUri)
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual(
        [
          rendered(stateless.enroll.functionArn),
          rendered(stateless.inboundSms.functionArn),
          rendered(stateless.emailLinks.functionArn),
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    });

    it('sends the email link routes and the charter page to email-links with no authorizer: the signed token is the check', () => {
      const emailLinksIntegration = Object.entries(
        resources(template, 'AWS::ApiGatewayV2::Integration'),
      ).find(([, integration]) =>
        isDeepStrictEqual(integration.Properties?.IntegrationUri, rendered(stateless.emailLinks.functionArn)),
      )?.[0];
      expect(emailLinksIntegration).toBeDefined();
      for (const routeKey of [
        'GET /email/unsubscribe',
        'POST /email/unsubscribe',
        'GET /email/resubscribe',
        'POST /email/resubscribe',
        'GET /email/action',
        'POST /email/action',
        'GET /charter/{token}',
      ]) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: routeKey,
          AuthorizationType: 'NONE',
          AuthorizerId: Match.absent(),
          ApiKeyRequired: Match.absent(),
          Target: { 'Fn::Join': ['', ['integrations/', { Ref: emailLinksIntegration }]] },
        });
      }
    });

    it('outputs the API URL and the Twilio webhook URL', () => {
      template.hasOutput('HttpApiUrl', { Value: rendered(stateless.api.url ?? '') });
      template.hasOutput('TwilioWebhookUrl', {
        Value: { 'Fn::Join': ['', [rendered(stateless.api.apiEndpoint), '/webhooks/twilio/sms']] },
      });
    });

    it('writes a JSON access log of the default stage, without paths or query strings (they carry signed tokens)', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AccessLogSettings: {
          DestinationArn: rendered(stateless.apiAccessLogs.logGroupArn),
          Format: Match.serializedJson(
            Match.objectLike({
              requestId: '$context.requestId',
              routeKey: '$context.routeKey',
              status: '$context.status',
            }),
          ),
        },
      });
      const [stage] = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'));
      const format = (stage?.Properties?.AccessLogSettings as { Format?: string } | undefined)?.Format;
      expect(format).toBeDefined();
      expect(format).not.toMatch(/\$context\.(path|requestOverride|domainName)|querystring/i);
    });

    it('throttles the default stage at a rate derived from the SMS rate (delivery reports and replies included)', () => {
      for (const [app, rateLimit] of [
        [dev, 10],
        [prod, 80],
      ] as const) {
        app.statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
          StageName: '$default',
          DefaultRouteSettings: { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: 2 * rateLimit },
        });
      }
    });

    const publicUrlReaders = (app: typeof dev) => [
      app.stateless.inboundSms,
      app.stateless.dispatch,
      app.stateless.inboundEmail,
    ];

    it('sets PUBLIC_BASE_URL of inbound-sms and of every function that writes email links to the API endpoint', () => {
      for (const fn of publicUrlReaders(dev)) {
        expect(environmentOf(template, fn).PUBLIC_BASE_URL).toEqual(rendered(stateless.api.apiEndpoint));
      }
      expect(environmentOf(template, stateless.emailEvents).PUBLIC_BASE_URL).toBeUndefined();
      // enroll writes no links: the invitations it schedules are written by the sender.
      expect(environmentOf(template, stateless.enroll).PUBLIC_BASE_URL).toBeUndefined();
      // email-links only verifies tokens; its page posts back to a relative URL.
      expect(environmentOf(template, stateless.emailLinks).PUBLIC_BASE_URL).toBeUndefined();
    });

    it('uses the publicBaseUrl context value instead when an operator sets one', () => {
      const custom = synthesize({ stage: 'dev', publicBaseUrl: 'https://sms.example.com/' });
      for (const fn of publicUrlReaders(custom)) {
        expect(environmentOf(custom.statelessTemplate, fn).PUBLIC_BASE_URL).toBe('https://sms.example.com');
      }
    });

    it('synthesizes without a dependency cycle, and synthesis would reject one', () => {
      // cdk.json turns CloudFormation Validate findings into synthesis errors, so the PUBLIC_BASE_URL wiring
      // is checked by every synth (and this whole file would fail). Prove the check is live: make inbound-sms
      // reference its own route, which depends on the integration, which depends on inbound-sms.
      expect(() =>
        synthesize({ stage: 'dev' }, ({ stateless: stack }) => {
          const route = stack.api.node
            .findAll()
            .find((c) => c instanceof CfnRoute && c.routeKey === 'POST /webhooks/twilio/sms');
          if (!(route instanceof CfnRoute)) throw new Error('no webhook route');
          stack.inboundSms.function.addEnvironment('ROUTE_ID', route.ref);
        }),
      ).toThrow(/Circular dependency/i);
    });
  });

  describe('scheduling', () => {
    it('creates the soft-partner-<stage> schedule group in the stateful stack, retained in prod', () => {
      statefulTemplate.hasResource('AWS::Scheduler::ScheduleGroup', {
        Properties: { Name: 'soft-partner-dev' },
        DeletionPolicy: 'Delete',
      });
      prod.statefulTemplate.hasResource('AWS::Scheduler::ScheduleGroup', {
        Properties: { Name: 'soft-partner-prod' },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      // Destroying the stateless stack must not delete the group (and with it every pending check-in).
      for (const { statelessTemplate } of [dev, prod]) {
        statelessTemplate.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
        statelessTemplate.resourceCountIs('AWS::Scheduler::Schedule', 0);
      }
    });

    it('retains the Scheduler role the pending schedules run as in prod', () => {
      prod.statefulTemplate.hasResource('AWS::IAM::Role', {
        Properties: Match.objectLike({
          AssumeRolePolicyDocument: Match.objectLike({
            Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
          }),
        }),
        DeletionPolicy: 'Retain',
      });
    });

    it('runs the sweep every hour in the group: the send queue gets a versioned sweep request stamped with its time', () => {
      statefulTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: 'soft-partner-dev-sweep',
        GroupName: 'soft-partner-dev',
        ScheduleExpression: 'rate(60 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: sendQueueArnInStateful,
          RoleArn: { 'Fn::GetAtt': [schedulerRoleLogicalId, 'Arn'] },
          Input: JSON.stringify({
            version: 1,
            kind: 'sweep',
            scheduledTime: '<aws.scheduler.scheduled-time>',
          }),
          DeadLetterConfig: { Arn: renderedInStateful(scheduleDeadLetterQueue.queueArn) },
          RetryPolicy: Match.objectLike({ MaximumEventAgeInSeconds: 3600 }),
        },
      });
      statefulTemplate.resourceCountIs('AWS::Scheduler::Schedule', 1);
      prod.statefulTemplate.hasResource('AWS::Scheduler::Schedule', { DeletionPolicy: 'Retain' });
    });

    it('lets only scheduler.amazonaws.com from this account and schedule group assume the scheduler role', () => {
      statefulTemplate.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': renderedInStateful(
                    `arn:${stateful.partition}:scheduler:${stateful.region}:${stateful.account}:schedule-group/soft-partner-dev`,
                  ),
                },
              },
            },
          ],
        },
      });
    });

    it('lets the scheduler role do exactly sqs:SendMessage to the send queue, the setup queue and the schedule DLQ', () => {
      const statements = statementsOfRole(statefulTemplate, schedulerRoleLogicalId);
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect(statement?.Effect).toBe('Allow');
      expect(statement?.Action).toBe('sqs:SendMessage');
      expect(statement?.Condition).toBeUndefined();
      const expectedResources = [
        sendQueueArnInStateful,
        { 'Fn::GetAtt': [logicalIdOf(setupQueue), 'Arn'] },
        renderedInStateful(scheduleDeadLetterQueue.queueArn),
      ];
      expect(asArray(statement?.Resource)).toHaveLength(3);
      expect(asArray(statement?.Resource)).toEqual(expect.arrayContaining(expectedResources));
    });

    it('no longer lets the scheduler role (or any principal in the stack) invoke a function', () => {
      const lambdaActions = [statefulTemplate, template]
        .flatMap(allIdentityStatements)
        .flatMap((s) => asArray(s.Action).filter((action) => action.startsWith('lambda:') || action === '*'));
      expect(lambdaActions).toEqual([]);
    });

    it('targets the send queue (SCHEDULE_TARGET_ARN) and hands its URL out as SEND_QUEUE_URL', () => {
      for (const fn of schedulers) {
        expect(environmentOf(template, fn)).toMatchObject({
          SCHEDULE_GROUP_NAME: 'soft-partner-dev',
          SCHEDULER_ROLE_ARN: fromStateful(stateful.scheduling.role.roleArn),
          SCHEDULE_TARGET_ARN: sendQueueArn,
          SCHEDULE_DLQ_ARN: fromStateful(scheduleDeadLetterQueue.queueArn),
          SEND_QUEUE_URL: fromStateful(sendQueue.queueUrl),
        });
      }
    });

    it('lets the conversing functions send to the send queue, and the async ones to their own DLQ, only', () => {
      const sendsTo = (fn: SoftPartnerFunction) =>
        statementsOf(template, fn)
          .filter((s) => allows(s, 'sqs:SendMessage'))
          .flatMap((s) => asArray(s.Resource));
      for (const fn of [stateless.inboundSms, stateless.selfServe]) {
        expect(sendsTo(fn)).toEqual(expect.arrayContaining([setupQueueArn, sendQueueArn]));
        expect(sendsTo(fn)).toHaveLength(2);
      }
      expect(sendsTo(stateless.dispatch)).toEqual([sendQueueArn]);
      expect(sendsTo(stateless.enroll)).toEqual([sendQueueArn]);
      expect(sendsTo(stateless.emailLinks)).toEqual([sendQueueArn]);
      expect(sendsTo(stateless.inboundEmail)).toEqual(
        expect.arrayContaining([
          sendQueueArn,
          fromStateful(stateful.inboundEmailDeadLetterQueue.queue.queueArn),
        ]),
      );
      expect(sendsTo(stateless.inboundEmail)).toHaveLength(2);
      expect(sendsTo(stateless.emailEvents)).toEqual([
        fromStateful(stateful.emailEventsDeadLetterQueue.queue.queueArn),
      ]);
      // inbound-sms only sends; it does not consume.
      const inboundSqs = statementsOf(template, stateless.inboundSms).filter((s) =>
        asArray(s.Action).some((a) => a.startsWith('sqs:')),
      );
      // One statement: sqs:SendMessage on the send queue and the setup queue.
      expect(inboundSqs).toEqual([expect.objectContaining({ Action: 'sqs:SendMessage' })]);
      expect(asArray(inboundSqs[0]?.Resource)).toEqual(expect.arrayContaining([setupQueueArn, sendQueueArn]));
      expect(asArray(inboundSqs[0]?.Resource)).toHaveLength(2);
    });

    it('lets the six conversing functions create, get and delete schedules in the group only', () => {
      const schedulesArn = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':scheduler:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':schedule/soft-partner-dev/*',
          ],
        ],
      };
      for (const fn of Object.values(functions)) {
        const statements = statementsOf(template, fn).filter((s) =>
          asArray(s.Action).some((a) => a.startsWith('scheduler:')),
        );
        if (fn === stateless.emailEvents) {
          expect(statements).toEqual([]);
          continue;
        }
        expect(statements).toEqual([
          expect.objectContaining({
            Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
            Resource: schedulesArn,
          }),
        ]);
      }
    });

    it('scopes iam:PassRole to the scheduler role only', () => {
      const schedulerRoleArn = fromStateful(stateful.scheduling.role.roleArn);
      const passRole = [dev.statefulTemplate, template]
        .flatMap(allIdentityStatements)
        .filter((s) => s.Effect === 'Allow' && asArray(s.Action).some(matchesPassRole));

      // Exactly the six conversing functions, each with one statement naming the role itself, never a wildcard.
      expect(passRole).toHaveLength(6);
      for (const statement of passRole) {
        expect(statement.Action).toBe('iam:PassRole');
        expect(statement.Resource).toEqual(schedulerRoleArn);
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
        expect(statement.Condition).toEqual({
          StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        });
      }
      for (const fn of schedulers) {
        expect(statementsOf(template, fn).filter((s) => allows(s, 'iam:PassRole'))).toHaveLength(1);
      }
    });

    it('never allows a wildcard resource on any action', () => {
      for (const statement of [dev.statefulTemplate, template].flatMap(allIdentityStatements)) {
        expect(asArray(statement.Resource)).not.toContain('*');
      }
    });
  });

  describe('send queue', () => {
    it('is a standard, SQS-managed-encrypted queue named soft-partner-<stage>-send, in the stateful stack', () => {
      statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'soft-partner-dev-send',
        SqsManagedSseEnabled: true,
        FifoQueue: Match.absent(),
        KmsMasterKeyId: Match.absent(),
      });
    });

    it('hides a received message for 6 × the dispatch timeout (dev: 6 × 46 s)', () => {
      const cfnDispatch = stateless.dispatch.function.node.defaultChild;
      if (!(cfnDispatch instanceof CfnFunction)) throw new Error('dispatch has no CfnFunction');
      const dispatchResource = resources(template, 'AWS::Lambda::Function')[
        stateless.getLogicalId(cfnDispatch)
      ];
      expect(dispatchResource?.Properties?.Timeout).toBe(46);
      statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'soft-partner-dev-send',
        VisibilityTimeout: 6 * 46,
      });
    });

    it("sizes the sender from the stage's SMS and SES rates: batch, concurrency, timeout, pacing, reserve", () => {
      // dev (1 text, 1 email a second), prod (10 and 14), and a short code with SES raised (1,000 and 1,000).
      const fast = synthesize({ stage: 'prod', smsMessagesPerSecond: 1000, sesMessagesPerSecond: 1000 });
      for (const [app, expected] of [
        [dev, { batch: 2, senders: 2, timeout: 46, sms: '2.000', burst: '5', email: '2.500', reserve: '18' }],
        [
          prod,
          { batch: 10, senders: 5, timeout: 34, sms: '0.500', burst: '20', email: '0.446', reserve: '4' },
        ],
        [
          fast,
          { batch: 8, senders: 500, timeout: 33, sms: '0.500', burst: '20', email: '0.625', reserve: '5' },
        ],
      ] as const) {
        const stage = resolveStageConfig(app.stateless.node).stage;
        app.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          BatchSize: expected.batch,
          ScalingConfig: { MaximumConcurrency: expected.senders },
        });
        app.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `soft-partner-${stage}-dispatch`,
          Timeout: expected.timeout,
          Environment: {
            Variables: Match.objectLike({
              SMS_SECONDS_BETWEEN_SENDS: expected.sms,
              SMS_BURST: expected.burst,
              EMAIL_SECONDS_BETWEEN_SENDS: expected.email,
              SENDER_RESERVE_SECONDS: expected.reserve,
            }),
          },
        });
        app.statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: `soft-partner-${stage}-send`,
          VisibilityTimeout: 6 * expected.timeout,
        });
      }
    });

    it('dead-letters a message after 5 receives into soft-partner-<stage>-send-dlq', () => {
      statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'soft-partner-dev-send',
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(sendDeadLetterQueue), 'Arn'] },
          maxReceiveCount: 5,
        },
      });
    });

    it('triggers the dispatch function in batches (dev: 2) with a 1 s window and partial batch failures', () => {
      const mappings = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping'));
      // The send queue's and the setup queue's.
      expect(mappings).toHaveLength(2);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: setupQueueArn,
        FunctionName: rendered(stateless.selfServe.functionName),
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: sendQueueArn,
        FunctionName: rendered(stateless.dispatch.functionName),
        BatchSize: 2,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('caps the sender at senderConcurrency(smsMessagesPerSecond) concurrent invocations', () => {
      for (const [app, expected] of [
        [dev, 2],
        [prod, 5],
      ] as const) {
        const config = resolveStageConfig(app.stateless.node);
        expect(senderConcurrency(config.smsMessagesPerSecond)).toBe(expected);
        app.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          ScalingConfig: { MaximumConcurrency: senderConcurrency(config.smsMessagesPerSecond) },
        });
      }
    });

    it('lets the dispatch function consume the send queue, and no other function', () => {
      const consumes = (fn: SoftPartnerFunction) =>
        statementsOf(template, fn).filter((s) => allows(s, 'sqs:ReceiveMessage'));
      expect(consumes(stateless.dispatch)).toEqual([
        expect.objectContaining({
          Action: expect.arrayContaining([
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:ChangeMessageVisibility',
          ]),
          Resource: sendQueueArn,
        }),
      ]);
      for (const fn of Object.values(functions).filter(
        (fn) => fn !== stateless.dispatch && fn !== stateless.selfServe,
      )) {
        expect(consumes(fn)).toEqual([]);
      }
      expect(consumes(stateless.selfServe)).toEqual([expect.objectContaining({ Resource: setupQueueArn })]);
    });

    it('outputs the send queue URL', () => {
      statefulTemplate.hasOutput('SendQueueUrl', { Value: { Ref: logicalIdOf(sendQueue) } });
    });
  });

  describe('dead-letter queues', () => {
    const queueNames = [
      'soft-partner-dev-email-events-dlq',
      'soft-partner-dev-inbound-email-dlq',
      'soft-partner-dev-schedule-dlq',
      'soft-partner-dev-send-dlq',
      'soft-partner-dev-setup-dlq',
    ];
    const deadLetterQueues = [
      scheduleDeadLetterQueue,
      sendDeadLetterQueue,
      stateful.setupQueue.deadLetterQueue.queue,
      stateful.inboundEmailDeadLetterQueue.queue,
      stateful.emailEventsDeadLetterQueue.queue,
    ];

    it('creates SQS-managed-encrypted queues that keep messages for 14 days', () => {
      for (const queueName of queueNames) {
        statefulTemplate.hasResourceProperties('AWS::SQS::Queue', {
          QueueName: queueName,
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
        });
      }
    });

    it('puts exactly the send and setup queues and the five DLQs in the stateful stack (retained in prod), none in the stateless one', () => {
      const names = Object.values(resources(statefulTemplate, 'AWS::SQS::Queue')).map(
        (q) => q.Properties?.QueueName,
      );
      expect(names.sort()).toEqual([...queueNames, 'soft-partner-dev-send', 'soft-partner-dev-setup'].sort());
      template.resourceCountIs('AWS::SQS::Queue', 0);
      prod.statelessTemplate.resourceCountIs('AWS::SQS::Queue', 0);
      prod.statefulTemplate.allResources('AWS::SQS::Queue', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('denies non-TLS access to every queue', () => {
      const queueLogicalIds = Object.keys(resources(statefulTemplate, 'AWS::SQS::Queue'));
      expect(queueLogicalIds).toHaveLength(7);
      for (const logicalId of queueLogicalIds) {
        statefulTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('sends failed asynchronous invocations of inbound-email and email-events to their DLQ after 2 retries', () => {
      for (const [fn, dlq] of [
        [stateless.inboundEmail, stateful.inboundEmailDeadLetterQueue],
        [stateless.emailEvents, stateful.emailEventsDeadLetterQueue],
      ] as const) {
        template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: rendered(fn.functionName),
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 2,
          DestinationConfig: { OnFailure: { Destination: fromStateful(dlq.queue.queueArn) } },
        });
      }
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 2);
    });

    it('configures no async invocation (DLQ or retries) for the functions invoked synchronously or by SQS', () => {
      for (const name of ['enroll', 'inbound-sms', 'dispatch', 'email-links']) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `soft-partner-dev-${name}`,
          DeadLetterConfig: Match.absent(),
        });
      }
      for (const fn of [stateless.enroll, stateless.inboundSms, stateless.dispatch, stateless.emailLinks]) {
        expect(fn.function.node.tryFindChild('EventInvokeConfig')).toBeUndefined();
      }
    });

    it('alarms as soon as any DLQ has a visible message', () => {
      for (const dlq of deadLetterQueues) {
        statefulTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: renderedInStateful(dlq.queueName) }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          EvaluationPeriods: 1,
          AlarmActions: [renderedInStateful(stateful.alarmTopic.topicArn)],
          OKActions: [renderedInStateful(stateful.alarmTopic.topicArn)],
        });
      }
      // The five DLQ alarms live with their queues.
      statefulTemplate.resourceCountIs('AWS::CloudWatch::Alarm', 5);
      // The SES bounce-rate and complaint-rate alarms, errors and throttles of each of the seven functions,
      // the SMS send failures alarm and the seven delivery alarms.
      template.resourceCountIs('AWS::CloudWatch::Alarm', 2 + 7 * 2 + 1 + 7);
    });

    it('subscribes the alarmEmail context value to the alarm topic', () => {
      const withEmail = synthesize({ stage: 'dev', alarmEmail: 'ops@example.com' });
      // With the topic in the stateful stack, so a confirmed subscription survives any stateless deploy.
      withEmail.statefulTemplate.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
      });
      statefulTemplate.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    });
  });

  describe('log groups', () => {
    it('gives every function, and the HTTP API access log, its own log group with the stage retention', () => {
      for (const [{ statelessTemplate }, days, deletionPolicy] of [
        [dev, 7, 'Delete'],
        [prod, 90, 'Retain'],
      ] as const) {
        const logGroups = Object.values(resources(statelessTemplate, 'AWS::Logs::LogGroup'));
        expect(logGroups).toHaveLength(7 + 1);
        statelessTemplate.allResources('AWS::Logs::LogGroup', {
          Properties: { RetentionInDays: days },
          DeletionPolicy: deletionPolicy,
          UpdateReplacePolicy: deletionPolicy,
        });
      }
      for (const [name, fn] of Object.entries(functions)) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `soft-partner-dev-${name}`,
          LoggingConfig: { LogGroup: rendered(fn.logGroup.logGroupName) },
        });
      }
    });

    it('names each function log group /aws/lambda/<function name>, as the runbook tails it', () => {
      for (const [name, fn] of Object.entries(functions)) {
        template.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/lambda/soft-partner-dev-${name}`,
        });
        expect(rendered(fn.logGroup.logGroupName)).toEqual({ Ref: expect.any(String) });
      }
      prod.statelessTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/lambda/soft-partner-prod-dispatch',
      });
    });

    it('lets each function write to its own log group only, with no AWS managed policy on any role', () => {
      for (const fn of Object.values(functions)) {
        const logStatements = statementsOf(template, fn).filter((s) =>
          asArray(s.Action).some((action) => action.startsWith('logs:')),
        );
        expect(logStatements).toEqual([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: rendered(fn.logGroup.logGroupArn),
          },
        ]);
      }
      for (const role of Object.values(resources(template, 'AWS::IAM::Role'))) {
        expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      }
    });
  });
});
