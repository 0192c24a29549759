import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { type StageConfig, senderConcurrency } from '../config.js';
import { CheckInScheduling } from '../constructs/check-in-scheduling.js';
import { SendQueue } from '../constructs/send-queue.js';
import { SoftPartnerFunction } from '../constructs/soft-partner-function.js';

export interface StatelessStackProps extends StackProps {
  readonly config: StageConfig;
  readonly table: ITable;
  readonly twilioSecret: ISecret;
  readonly apiKeySecret: ISecret;
}

/** Twilio posts inbound SMS here; the URL (with PUBLIC_BASE_URL) is what Twilio signs requests with. */
export const TWILIO_WEBHOOK_PATH = '/webhooks/twilio/sms';

/** Timeout of the dispatch (sender) function; the send queue's visibility timeout is derived from it. */
export const DISPATCH_TIMEOUT = Duration.seconds(30);

/** How the sender drains the send queue (its concurrency comes from the stage's SMS throughput). */
export const SENDER_BATCH_SIZE = 10;
export const SENDER_MAX_BATCHING_WINDOW = Duration.seconds(1);

/**
 * The application: HTTP API, the three functions, check-in scheduling, the send queue, dead-letter queues
 * and alarms.
 * Holds no data, so it can be destroyed and redeployed at will.
 */
export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly enroll: SoftPartnerFunction;
  readonly inboundSms: SoftPartnerFunction;
  readonly dispatch: SoftPartnerFunction;
  readonly scheduling: CheckInScheduling;
  /** `<prefix>-send`: Scheduler's target, drained by the dispatch function. */
  readonly sendQueue: SendQueue;
  readonly alarmTopic: Topic;
  /** What PUBLIC_BASE_URL resolves to: the configured custom URL or the API's execute-api endpoint. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const { config, table, twilioSecret, apiKeySecret, ...stackProps } = props;
    super(scope, id, stackProps);
    const prefix = config.resourcePrefix;

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      topicName: `${prefix}-alarms`,
      displayName: `Soft Partner ${config.stage} alarms`,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    const functionDefaults = {
      stage: config.stage,
      logRetention: config.logRetention,
      logLevel: config.logLevel,
      logRemovalPolicy: config.removalPolicy,
    };

    // Every due step goes through the send queue: schedules deliver to it, the functions send steps due
    // within 15 minutes to it directly, and the dispatch function drains it at no more than the SMS
    // provider's throughput, so a 09:00 burst waits in the queue instead of being rejected.
    this.sendQueue = new SendQueue(this, 'SendQueue', {
      queueName: `${prefix}-send`,
      consumerTimeout: DISPATCH_TIMEOUT,
      alarmTopic: this.alarmTopic,
    });

    this.scheduling = new CheckInScheduling(this, 'CheckInScheduling', {
      groupName: prefix,
      targetQueue: this.sendQueue.queue,
      resourcePrefix: prefix,
      alarmTopic: this.alarmTopic,
    });

    this.enroll = new SoftPartnerFunction(this, 'Enroll', {
      ...functionDefaults,
      entry: 'functions/enroll.ts',
      functionName: `${prefix}-enroll`,
      description: 'HTTP API: create and read partnerships (POST /partnerships, GET /partnerships/{id})',
    })
      .bindTable(table)
      .bindSecret('TWILIO_SECRET_ARN', twilioSecret)
      .bindSecret('API_KEY_SECRET_ARN', apiKeySecret);
    // Enrollment schedules the day an unanswered invitation stops being waited on.
    this.scheduling.grantScheduleManagement(this.enroll);

    this.inboundSms = new SoftPartnerFunction(this, 'InboundSms', {
      ...functionDefaults,
      entry: 'functions/inbound-sms.ts',
      functionName: `${prefix}-inbound-sms`,
      description: `Twilio webhook: inbound SMS replies (POST ${TWILIO_WEBHOOK_PATH})`,
    })
      .bindTable(table)
      .bindSecret('TWILIO_SECRET_ARN', twilioSecret);
    this.scheduling.grantScheduleManagement(this.inboundSms);

    this.dispatch = new SoftPartnerFunction(this, 'Dispatch', {
      ...functionDefaults,
      entry: 'functions/dispatch.ts',
      functionName: `${prefix}-dispatch`,
      description: 'Sender: drains the send queue, sends due check-ins and schedules the next one',
      timeout: DISPATCH_TIMEOUT,
    })
      .bindTable(table)
      .bindSecret('TWILIO_SECRET_ARN', twilioSecret)
      .drainQueue(this.sendQueue.queue, {
        batchSize: SENDER_BATCH_SIZE,
        maxBatchingWindow: SENDER_MAX_BATCHING_WINDOW,
        maxConcurrency: senderConcurrency(config.smsMessagesPerSecond),
      });
    this.scheduling.grantScheduleManagement(this.dispatch);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${prefix}-api`,
      description: 'Soft Partner public API: partnership enrollment and the Twilio SMS webhook',
    });
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    if (defaultStage instanceof CfnStage) {
      defaultStage.defaultRouteSettings = {
        throttlingRateLimit: config.apiThrottle.rateLimit,
        throttlingBurstLimit: config.apiThrottle.burstLimit,
      };
    }
    const enrollIntegration = new HttpLambdaIntegration('EnrollIntegration', this.enroll.function);
    this.api.addRoutes({ path: '/partnerships', methods: [HttpMethod.POST], integration: enrollIntegration });
    this.api.addRoutes({
      path: '/partnerships/{id}',
      methods: [HttpMethod.GET],
      integration: enrollIntegration,
    });
    this.api.addRoutes({
      path: TWILIO_WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('InboundSmsIntegration', this.inboundSms.function),
    });

    // PUBLIC_BASE_URL: Twilio signs each webhook request with the exact URL it called, so inbound-sms must
    // know its public URL. An operator-configured URL (custom domain) wins. Otherwise we use the API's
    // `ApiEndpoint` attribute. That is cycle-free: the function then depends only on the AWS::ApiGatewayV2::Api
    // resource, while the API's routes, integrations and invoke permissions depend on the function; nothing
    // in the API resource itself points back at the function. (cdk.json makes CloudFormation Validate findings,
    // cycles included, synthesis errors; test/infra proves that check is live.)
    this.publicBaseUrl = config.publicBaseUrl ?? this.api.apiEndpoint;
    this.inboundSms.addEnvironment('PUBLIC_BASE_URL', this.publicBaseUrl);

    new CfnOutput(this, 'HttpApiUrl', {
      description: 'Invoke URL of the HTTP API ($default stage)',
      value: this.api.url ?? this.api.apiEndpoint,
    });
    new CfnOutput(this, 'PublicBaseUrl', { value: this.publicBaseUrl });
    new CfnOutput(this, 'TwilioWebhookUrl', {
      description: 'Configure this as the "A message comes in" webhook (HTTP POST) of the Twilio number',
      value: `${this.publicBaseUrl}${TWILIO_WEBHOOK_PATH}`,
    });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.scheduling.groupName });
    new CfnOutput(this, 'SendQueueUrl', { value: this.sendQueue.queue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}
