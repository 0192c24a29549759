import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ReceiptRule, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType, S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ENV, ROUTES } from '#shared/contract.js';
import type { StageConfig } from '../config.js';
import type { CheckInScheduling } from '../constructs/check-in-scheduling.js';
import { DeliveryAlarms } from '../constructs/delivery-alarms.js';
import type { MailDomain } from '../constructs/mail-domain.js';
import { OperationsDashboard } from '../constructs/operations-dashboard.js';
import type { SendQueue } from '../constructs/send-queue.js';
import { SendingReputationAlarms } from '../constructs/sending-reputation-alarms.js';
import { SmsSendFailuresAlarm } from '../constructs/sms-send-failures-alarm.js';
import {
  type EmailBinding,
  SoftPartnerFunction,
  type SoftPartnerFunctionProps,
} from '../constructs/soft-partner-function.js';
import { dispatchTimeout, INBOUND_MAIL_PREFIX, SETUP_TIMEOUT } from './stateful-stack.js';

export { dispatchTimeout, REPORTED_EMAIL_EVENTS } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly twilioSecret: ISecret;
  readonly apiKeySecret: ISecret;
  readonly linkSigningSecret: ISecret;
  /** Where the receipt rule stores raw inbound mail (under {@link INBOUND_MAIL_PREFIX}). */
  readonly inboundMailBucket: IBucket;
  /** Identity, configuration set and receipt rule set, from the stateful stack. */
  readonly mailDomain: MailDomain;
  /** From the stateful stack, which holds everything that must outlive this one: */
  readonly alarmTopic: ITopic;
  readonly emailEventsTopic: ITopic;
  readonly scheduling: CheckInScheduling;
  readonly sendQueue: SendQueue;
  readonly setupQueue: SendQueue;
  readonly inboundEmailDeadLetterQueue: IQueue;
  readonly emailEventsDeadLetterQueue: IQueue;
}

/** Twilio posts inbound SMS here; the URL (with PUBLIC_BASE_URL) is what Twilio signs requests with. */
export const TWILIO_WEBHOOK_PATH = ROUTES.twilioSms;
/** Twilio's delivery reports of the texts we send (each send names it as its statusCallback). */
export const TWILIO_STATUS_PATH = ROUTES.twilioStatus;

/** Signed links in emails land here (GET shows a confirmation page, POST acts; RFC 8058 one-click is a POST). */
export const EMAIL_UNSUBSCRIBE_PATH = ROUTES.emailUnsubscribe;
export const EMAIL_ACTION_PATH = ROUTES.emailAction;
/** The way back after an unsubscribe, offered on the page that confirms it (same GET/POST rule). */
export const EMAIL_RESUBSCRIBE_PATH = ROUTES.emailResubscribe;
/** A member's charter page, linked from the Day-1 text; the signed token is the last path segment. */
export const CHARTER_PATH = ROUTES.charter;

/** Timeout of inbound-email: it fetches and parses the raw message, then converses like inbound-sms. */
export const INBOUND_EMAIL_TIMEOUT = Duration.seconds(30);

/**
 * The HTTP API's access log line (JSON). No `$context.path` and no query string: the charter path and the email
 * link query strings carry signed tokens, so the route key stands in for the path.
 */
export const HTTP_API_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
});

/** How long the send queue gathers a batch (its size and concurrency come from the stage's rates). */
export const SENDER_MAX_BATCHING_WINDOW = Duration.seconds(1);

/**
 * The application: HTTP API, the six functions, their grants on the schedule group and queues, the SES
 * receipt rule, the function alarms and the operations dashboard. Holds no data and no pending work (the
 * schedule group, send queue and DLQs are in the stateful stack), so it can be destroyed and redeployed
 * without losing a check-in.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly enroll: SoftPartnerFunction;
  readonly inboundSms: SoftPartnerFunction;
  readonly dispatch: SoftPartnerFunction;
  /** SES receipt rule → inbound-email (asynchronous), after the message is stored in S3. */
  readonly inboundEmail: SoftPartnerFunction;
  /** The signed unsubscribe and action links in emails. */
  readonly emailLinks: SoftPartnerFunction;
  /** Bounces, complaints, rejects and delays from the configuration set, via SNS. */
  readonly emailEvents: SoftPartnerFunction;
  /** The self-serve setup by text: drains the setup queue. */
  readonly selfServe: SoftPartnerFunction;
  readonly inboundEmailRule: ReceiptRule;
  /** From the stateful stack. */
  readonly alarmTopic: ITopic;
  readonly scheduling: CheckInScheduling;
  readonly sendQueue: SendQueue;
  /** Access log of the HTTP API's default stage. */
  readonly apiAccessLogs: LogGroup;
  readonly smsSendFailuresAlarm: SmsSendFailuresAlarm;
  /** `soft-partner-<stage>`. */
  readonly dashboard: OperationsDashboard;
  /**
   * `POWERTOOLS_SERVICE_NAME` of every function and the `service` dimension of the app's metrics:
   * `soft-partner-<stage>`, so two stages in one account never add up each other's counts.
   */
  readonly serviceName: string;
  /** What PUBLIC_BASE_URL resolves to: the configured custom URL or the API's execute-api endpoint. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const {
      config,
      table,
      twilioSecret,
      apiKeySecret,
      linkSigningSecret,
      inboundMailBucket,
      mailDomain,
      alarmTopic,
      emailEventsTopic,
      scheduling,
      sendQueue,
      setupQueue,
      inboundEmailDeadLetterQueue,
      emailEventsDeadLetterQueue,
      ...stackProps
    } = props;
    super(scope, id, stackProps);
    const prefix = config.resourcePrefix;
    this.serviceName = prefix;
    this.alarmTopic = alarmTopic;
    this.scheduling = scheduling;
    this.sendQueue = sendQueue;

    const functionDefaults = {
      stage: config.stage,
      serviceName: this.serviceName,
      alarmTopic: this.alarmTopic,
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      logRemovalPolicy: config.removalPolicy,
      readsSecrets: true,
    };
    /** `functions/<name>.ts` as `<prefix>-<name>`, with the stage's defaults; every function uses the table. */
    const appFunction = (
      id: string,
      name: string,
      options: Pick<SoftPartnerFunctionProps, 'description' | 'timeout' | 'environment' | 'readsSecrets'>,
    ) =>
      new SoftPartnerFunction(this, id, {
        ...functionDefaults,
        entry: `functions/${name}.ts`,
        functionName: `${prefix}-${name}`,
        ...options,
      }).bindTable(table);

    const email: EmailBinding = {
      from: config.emailFrom,
      identityArn: mailDomain.identity.emailIdentityArn,
      configurationSetName: mailDomain.configurationSet.configurationSetName,
      configurationSetArn: mailDomain.configurationSetArn,
      inboundDomain: config.inboundDomain,
      linkSecret: linkSigningSecret,
    };

    this.enroll = appFunction('Enroll', 'enroll', {
      description: 'HTTP API: create and read partnerships (POST /partnerships, GET /partnerships/{id})',
    })
      .bindSecret(ENV.API_KEY_SECRET_ARN, apiKeySecret)
      // Numbers outside these countries are refused at enrollment (SMS pumping; docs/deploy.md).
      .addEnvironment(ENV.SMS_COUNTRIES, config.smsCountries.join(','));
    // Enrollment schedules the invitations (the sender texts and emails them, so enroll holds neither the
    // Twilio secret nor an SES grant) and the day an unanswered invitation stops being waited on.
    this.scheduling.grantScheduleManagement(this.enroll);

    this.inboundSms = appFunction('InboundSms', 'inbound-sms', {
      description: `Twilio webhooks: inbound SMS replies (POST ${TWILIO_WEBHOOK_PATH}) and delivery reports (POST ${TWILIO_STATUS_PATH})`,
    })
      .bindSecret(ENV.TWILIO_SECRET_ARN, twilioSecret)
      // A stranger's text, or one from a number in setup, is handed to the setup function.
      .bindSetupQueue(setupQueue.queue);
    this.scheduling.grantScheduleManagement(this.inboundSms);

    this.selfServe = appFunction('SelfServe', 'self-serve', {
      description: 'Self-serve setup by text: one question at a time, the invitations, then enrollment',
      timeout: SETUP_TIMEOUT,
    })
      .bindSecret(ENV.TWILIO_SECRET_ARN, twilioSecret)
      .addEnvironment(ENV.TWILIO_FROM_NUMBER, config.twilioFromNumber)
      .addEnvironment(ENV.SMS_COUNTRIES, config.smsCountries.join(','))
      .addEnvironment(ENV.SELF_SERVE, String(config.selfServe))
      .bindSetupQueue(setupQueue.queue)
      // One text at a time, in order per batch; a few at once across setups.
      .drainQueue(setupQueue.queue, {
        batchSize: 1,
        maxBatchingWindow: Duration.seconds(0),
        maxConcurrency: 5,
      });
    this.scheduling.grantScheduleManagement(this.selfServe);

    this.dispatch = appFunction('Dispatch', 'dispatch', {
      description: 'Sender: drains the send queue, sends due check-ins and schedules the next one',
      timeout: dispatchTimeout(config),
      // Each sender instance keeps its share of the SMS and SES rates, and hands back what it has no
      // time left for (infra/config.ts senderSizing).
      environment: {
        [ENV.SMS_SECONDS_BETWEEN_SENDS]: config.sender.smsSecondsBetweenSends.toFixed(3),
        [ENV.SMS_BURST]: String(config.sender.smsBurst),
        [ENV.EMAIL_SECONDS_BETWEEN_SENDS]: config.sender.emailSecondsBetweenSends.toFixed(3),
        [ENV.SENDER_RESERVE_SECONDS]: String(config.sender.reserveSeconds),
      },
    })
      .bindSecret(ENV.TWILIO_SECRET_ARN, twilioSecret)
      // Plain configuration, not part of the secret (whose generated template must never change).
      .addEnvironment(ENV.TWILIO_FROM_NUMBER, config.twilioFromNumber)
      .bindEmail(email)
      .drainQueue(this.sendQueue.queue, {
        batchSize: config.sender.batchSize,
        maxBatchingWindow: SENDER_MAX_BATCHING_WINDOW,
        maxConcurrency: config.sender.senders,
      });
    this.scheduling.grantScheduleManagement(this.dispatch);

    // Invoked asynchronously by SES, so a failure that outlasts Lambda's retries goes to a monitored DLQ
    // (the stateful stack's; the raw message stays in S3 for the retention period, so it can be replayed).
    this.inboundEmail = appFunction('InboundEmail', 'inbound-email', {
      description: `SES receipt rule: email replies to ${config.inboundDomain}, read from S3`,
      timeout: INBOUND_EMAIL_TIMEOUT,
    })
      .bindInboundMailBucket(inboundMailBucket, INBOUND_MAIL_PREFIX)
      // It reads reply addresses; its answers go out through the sender, so it gets no SES grant.
      .bindReplyAddresses(email)
      .sendFailedInvocationsTo(inboundEmailDeadLetterQueue);
    this.scheduling.grantScheduleManagement(this.inboundEmail);

    this.emailLinks = appFunction('EmailLinks', 'email-links', {
      description: `HTTP API: signed links (GET/POST ${EMAIL_UNSUBSCRIBE_PATH}, GET/POST ${EMAIL_ACTION_PATH}, GET ${CHARTER_PATH}/{token})`,
    })
      // It verifies link tokens and answers with a page; it sends no email, so it gets no SES grant.
      .bindSecret(ENV.LINK_SECRET_ARN, linkSigningSecret);
    this.scheduling.grantScheduleManagement(this.emailLinks);

    this.emailEvents = appFunction('EmailEvents', 'email-events', {
      description: 'SNS: SES bounces, complaints, rejects and delivery delays of the configuration set',
      readsSecrets: false,
    }).sendFailedInvocationsTo(emailEventsDeadLetterQueue);

    // A notification SNS cannot hand to the function at all lands in the same alarmed DLQ as a failed one.
    // The subscription lives in this stack (the subscriber's); the DLQ's policy, in the stateful stack, names
    // the topic there.
    emailEventsTopic.addSubscription(
      new LambdaSubscription(this.emailEvents.function, { deadLetterQueue: emailEventsDeadLetterQueue }),
    );

    // The rule set is in the stateful stack (SES will not delete the active set); the rule is here because it
    // points at inbound-email. Actions run in order: store the raw message, then invoke the function with its
    // message id. The S3 action adds the statement to the bucket's policy (stateful stack) that lets SES put
    // objects under inbound/ for this account only; the Lambda action adds SES's invoke permission.
    this.inboundEmailRule = new ReceiptRule(this, 'InboundEmailRule', {
      ruleSet: mailDomain.receiptRuleSet,
      receiptRuleName: `${prefix}-inbound-email`,
      recipients: [config.inboundDomain],
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [
        new S3Action({ bucket: inboundMailBucket, objectKeyPrefix: INBOUND_MAIL_PREFIX }),
        new LambdaAction({
          function: this.inboundEmail.function,
          invocationType: LambdaInvocationType.EVENT,
        }),
      ],
    });

    new SendingReputationAlarms(this, 'SendingReputationAlarms', {
      alarmNamePrefix: prefix,
      alarmTopic: this.alarmTopic,
    });
    // enroll and dispatch text today; any function that texts later counts under the same service name.
    this.smsSendFailuresAlarm = new SmsSendFailuresAlarm(this, 'SmsSendFailuresAlarm', {
      alarmNamePrefix: prefix,
      serviceName: this.serviceName,
      alarmTopic: this.alarmTopic,
    });

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${prefix}-api`,
      description: 'Soft Partner public API: partnership enrollment, the Twilio SMS webhook and email links',
    });
    this.apiAccessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    if (defaultStage instanceof CfnStage) {
      defaultStage.defaultRouteSettings = {
        throttlingRateLimit: config.apiThrottle.rateLimit,
        throttlingBurstLimit: config.apiThrottle.burstLimit,
      };
      defaultStage.accessLogSettings = {
        destinationArn: this.apiAccessLogs.logGroupArn,
        format: HTTP_API_ACCESS_LOG_FORMAT,
      };
    }
    // The routes have no API Gateway authorizer: each function authorizes its own callers, as below.
    const authorizedBy = (reason: string) => [{ id: 'AwsSolutions-APIG4', reason }];
    const enrollIntegration = new HttpLambdaIntegration('EnrollIntegration', this.enroll.function);
    NagSuppressions.addResourceSuppressions(
      [
        ...this.api.addRoutes({
          path: ROUTES.partnerships,
          methods: [HttpMethod.POST],
          integration: enrollIntegration,
        }),
        ...this.api.addRoutes({
          path: `${ROUTES.partnerships}/{id}`,
          methods: [HttpMethod.GET],
          integration: enrollIntegration,
        }),
      ],
      authorizedBy(
        'enroll requires the API key from the api-key secret on every request and compares it in constant ' +
          'time; an HTTP API has no API-key authorizer of its own.',
      ),
    );
    const inboundSmsIntegration = new HttpLambdaIntegration(
      'InboundSmsIntegration',
      this.inboundSms.function,
    );
    NagSuppressions.addResourceSuppressions(
      [TWILIO_WEBHOOK_PATH, TWILIO_STATUS_PATH].flatMap((path) =>
        this.api.addRoutes({ path, methods: [HttpMethod.POST], integration: inboundSmsIntegration }),
      ),
      authorizedBy(
        'Twilio cannot sign AWS requests or send a token; inbound-sms verifies X-Twilio-Signature (HMAC ' +
          'with the Twilio auth token over the public URL and form) and rejects anything unsigned.',
      ),
    );
    // No API key: the token in the query string is signed with the link secret and checked by the function.
    const emailLinksIntegration = new HttpLambdaIntegration(
      'EmailLinksIntegration',
      this.emailLinks.function,
    );
    NagSuppressions.addResourceSuppressions(
      [
        ...[EMAIL_UNSUBSCRIBE_PATH, EMAIL_RESUBSCRIBE_PATH, EMAIL_ACTION_PATH].flatMap((path) =>
          this.api.addRoutes({
            path,
            methods: [HttpMethod.GET, HttpMethod.POST],
            integration: emailLinksIntegration,
          }),
        ),
        ...this.api.addRoutes({
          path: `${CHARTER_PATH}/{token}`,
          methods: [HttpMethod.GET],
          integration: emailLinksIntegration,
        }),
      ],
      authorizedBy(
        'Opened from email by recipients without an account; the HMAC-signed token in the link (link-signing ' +
          'secret) is the authorization, and email-links verifies it before it shows or changes anything.',
      ),
    );
    for (const fn of [this.enroll, this.inboundSms, this.emailLinks])
      fn.invokedSynchronouslyBy('the HTTP API');

    new DeliveryAlarms(this, 'DeliveryAlarms', {
      alarmNamePrefix: prefix,
      serviceName: this.serviceName,
      alarmTopic: this.alarmTopic,
      sendQueue: sendQueue.queue,
      scheduleGroupName: scheduling.groupName,
      api: this.api,
      dailySmsBudget: config.dailySmsBudget,
    });

    this.dashboard = new OperationsDashboard(this, 'OperationsDashboard', {
      dashboardName: prefix,
      serviceName: this.serviceName,
      functions: {
        enroll: this.enroll,
        'inbound-sms': this.inboundSms,
        dispatch: this.dispatch,
        'inbound-email': this.inboundEmail,
        'email-links': this.emailLinks,
        'email-events': this.emailEvents,
      },
      deadLetterQueues: {
        send: this.sendQueue.deadLetterQueue.queue,
        schedule: this.scheduling.deadLetterQueue,
        'inbound-email': inboundEmailDeadLetterQueue,
        'email-events': emailEventsDeadLetterQueue,
      },
      sendQueue: this.sendQueue.queue,
    });

    // PUBLIC_BASE_URL: Twilio signs each webhook request with the exact URL it called, so inbound-sms must
    // know its public URL. An operator-configured URL (custom domain) wins. Otherwise we use the API's
    // `ApiEndpoint` attribute. That is cycle-free: the function then depends only on the AWS::ApiGatewayV2::Api
    // resource, while the API's routes, integrations and invoke permissions depend on the function; nothing
    // in the API resource itself points back at the function. (cdk.json makes CloudFormation Validate findings,
    // cycles included, synthesis errors; test/infra proves that check is live.)
    // The functions that write email links (dispatch, inbound-email) need it too; email-links only reads
    // them, and its page posts back to a relative URL.
    this.publicBaseUrl = config.publicBaseUrl ?? this.api.apiEndpoint;
    // The setup function texts, and names the delivery-report URL on each text as dispatch does.
    for (const fn of [this.inboundSms, this.dispatch, this.inboundEmail, this.selfServe]) {
      fn.addEnvironment(ENV.PUBLIC_BASE_URL, this.publicBaseUrl);
    }

    new CfnOutput(this, 'HttpApiUrl', {
      description: 'Invoke URL of the HTTP API ($default stage)',
      value: this.api.url ?? this.api.apiEndpoint,
    });
    new CfnOutput(this, 'PublicBaseUrl', { value: this.publicBaseUrl });
    new CfnOutput(this, 'TwilioWebhookUrl', {
      description: 'Configure this as the "A message comes in" webhook (HTTP POST) of the Twilio number',
      value: `${this.publicBaseUrl}${TWILIO_WEBHOOK_PATH}`,
    });
    new CfnOutput(this, 'DashboardName', { value: prefix });
    new CfnOutput(this, 'InboundEmailDomain', {
      description: 'Give this domain an MX record: 10 inbound-smtp.<region>.amazonaws.com',
      value: config.inboundDomain,
    });
  }
}
