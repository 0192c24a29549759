import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  EventSourceMapping,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV, type EnvName } from '#shared/contract.js';
import { METRICS_NAMESPACE } from './app-metrics.js';
import { notifyingAlarm } from './notifying-alarm.js';

/** Repository root: entry files, package-lock.json and tsconfig.json are resolved against it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * esbuild emits ESM, but some bundled dependencies are CommonJS and call `require()` for Node built-ins.
 * ESM has no `require`, so define one at the top of the bundle.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __softPartnerCreateRequire } from 'node:module';" +
  'const require = __softPartnerCreateRequire(import.meta.url);';

export interface SoftPartnerFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/enroll.ts`. Must export `handler`. */
  readonly entry: string;
  /** Physical function name. */
  readonly functionName: string;
  readonly description: string;
  readonly stage: string;
  /**
   * `POWERTOOLS_SERVICE_NAME`: the `service` key of every log line and the `service` dimension of every
   * business metric. One per stage, so the alarms and the dashboard read one metric per name.
   */
  readonly serviceName: string;
  /** Where the function's errors and throttles alarms notify. */
  readonly alarmTopic: ITopic;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  /** Removal policy of the function's log group. */
  readonly logRemovalPolicy: RemovalPolicy;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** Extra environment variables (on top of the defaults every function gets). */
  readonly environment?: Partial<Record<EnvName, string>>;
  /**
   * Whether the handler reads secrets: then the function carries the AWS Parameters and Secrets Lambda
   * Extension they are read through, and only then may {@link SoftPartnerFunction.bindSecret} be called.
   * @default false
   */
  readonly readsSecrets?: boolean;
}

/** How a function drains a queue (see {@link SoftPartnerFunction.drainQueue}). */
export interface DrainQueueOptions {
  /** Messages per invocation (1-10 without a batching window). */
  readonly batchSize: number;
  /** How long the event source gathers messages before invoking with a partial batch. */
  readonly maxBatchingWindow: Duration;
  /** Upper bound on concurrent invocations the event source makes (2-1000). */
  readonly maxConcurrency: number;
}

/** Everything a function that sends email needs (see {@link SoftPartnerFunction.bindEmail}). */
export interface EmailBinding {
  /** `EMAIL_FROM`, e.g. `Soft Partner <hello@example.org>`: an address of the identity below. */
  readonly from: string;
  /** ARN of the verified SES identity the From address belongs to. */
  readonly identityArn: string;
  /** `EMAIL_CONFIGURATION_SET`: every send names it, so bounces and complaints are reported. */
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  /** `INBOUND_DOMAIN`: replies go to `reply+<token>@<inboundDomain>`. */
  readonly inboundDomain: string;
  /** `LINK_SECRET_ARN`: the HMAC key that signs reply addresses and links. */
  readonly linkSecret: ISecret;
}

/** Lambda's retries of a failed asynchronous invocation before it goes to the failure destination. */
export const ASYNC_RETRY_ATTEMPTS = 2;

/** Period of the errors and throttles alarms; one error or throttle in it raises the alarm. */
export const FUNCTION_ALARM_PERIOD = Duration.minutes(5);

/**
 * How long the AWS Parameters and Secrets Lambda Extension serves a secret from its cache before asking
 * Secrets Manager again (300 seconds, the extension's maximum), so a rotated or replaced secret is picked up
 * within five minutes by any read that goes to the extension. The cache lives in each execution environment:
 * a new instance always reads the current value. The handlers keep each secret for the life of their instance
 * (shared/runtime/aws-deps.ts reads it once per cold start), so running instances keep the old value until
 * they are recycled (docs/deploy.md, Secrets).
 */
export const SECRETS_CACHE_TTL = Duration.minutes(5);

/**
 * A Lambda function with Soft Partner's defaults: Node.js 22 on arm64, a minified ESM bundle (AWS SDK
 * included, so the bundle pins the SDK version we tested with) with source maps, a log group with
 * stage-specific retention, an execution role that may write to that log group and nothing else until a
 * `bind*` method says so, the AWS Parameters and Secrets Lambda Extension (secrets are read through it), and
 * alarms on its errors and throttles.
 *
 * Dependencies are granted through the `bind*` / `grant*` methods, which always pair the IAM grant with the
 * environment variable the handler reads, so a function can never get one without the other.
 */
export class SoftPartnerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** Whether it carries the Parameters and Secrets extension (props.readsSecrets). */
  readonly readsSecrets: boolean;
  /** `<functionName>-errors`: any invocation error within {@link FUNCTION_ALARM_PERIOD}. */
  readonly errorsAlarm: Alarm;
  /** `<functionName>-throttles`: any throttled invocation within {@link FUNCTION_ALARM_PERIOD}. */
  readonly throttlesAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SoftPartnerFunctionProps) {
    super(scope, id);
    this.readsSecrets = props.readsSecrets ?? false;

    // Named the way Lambda would name it, so `aws logs tail /aws/lambda/<function name>` finds it.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup, CreateLogStream and PutLogEvents on every
    // log group of the account): streams and events in this function's own log group, which already exists.
    this.role = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      // Secrets are read from the extension's local HTTP endpoint (shared/runtime/aws-deps.ts secretString),
      // so no bundle carries the Secrets Manager client. The extension calls Secrets Manager with this
      // function's role: bindSecret's grant is what lets it. CDK picks the layer ARN for arm64 and the stack's
      // region, or, in a region-agnostic stack, from a per-region mapping looked up at deploy time.
      ...(props.readsSecrets
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
              // A function reads at most three secrets.
              cacheSize: 10,
              secretsManagerTtl: SECRETS_CACHE_TTL,
              logLevel: ParamsAndSecretsLogLevel.WARN,
            }),
          }
        : {}),
      environment: {
        [ENV.STAGE]: props.stage,
        [ENV.POWERTOOLS_SERVICE_NAME]: props.serviceName,
        [ENV.POWERTOOLS_METRICS_NAMESPACE]: METRICS_NAMESPACE,
        [ENV.POWERTOOLS_LOG_LEVEL]: props.logLevel,
        [ENV.NODE_OPTIONS]: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
      },
    });

    NagSuppressions.addResourceSuppressions(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: the bundle is built for node22 (esbuild target) and tested on it; ' +
          'a runtime upgrade changes runtime, bundle target and tests together, never silently at synth.',
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason:
          'Pinned to nodejs22.x on purpose, as for AwsSolutions-L1: runtime and bundle target move together.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason:
          'No X-Ray: its write actions (xray:PutTraceSegments) take no resource ARN, so tracing needs an ' +
          'IAM statement on "*", which no role of this app has. Correlation is by request id in the ' +
          'structured logs; the dashboard and alarms cover latency and errors.',
      },
    ]);

    const functionAlarm = (alarmId: string, suffix: string, description: string, metric: IMetric) =>
      notifyingAlarm(this, alarmId, props.alarmTopic, {
        alarmName: `${props.functionName}-${suffix}`,
        alarmDescription: description,
        metric,
        threshold: 1,
      });
    this.errorsAlarm = functionAlarm(
      'ErrorsAlarm',
      'errors',
      `${props.functionName} failed an invocation: its log group has the error. Retries, DLQs and the ` +
        'caller (HTTP) keep the event.',
      this.function.metricErrors({ period: FUNCTION_ALARM_PERIOD, statistic: 'Sum' }),
    );
    this.throttlesAlarm = functionAlarm(
      'ThrottlesAlarm',
      'throttles',
      `${props.functionName} was throttled: the account's Lambda concurrency is exhausted. Asynchronous and ` +
        'queued events retry; HTTP callers got a 5xx.',
      this.function.metricThrottles({ period: FUNCTION_ALARM_PERIOD, statistic: 'Sum' }),
    );
  }

  get functionName(): string {
    return this.function.functionName;
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  /** Sets one of the environment variables the runtime reads (shared/contract.ts ENV: no other name). */
  addEnvironment(key: EnvName, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }

  addToRolePolicy(statement: PolicyStatement): this {
    this.function.addToRolePolicy(statement);
    return this;
  }

  /** Read/write access to the single table (it has no index, so no `<table ARN>/index/*`); exposes its name as `TABLE_NAME`. */
  bindTable(table: ITable): this {
    table.grantReadWriteData(this.function);
    return this.addEnvironment(ENV.TABLE_NAME, table.tableName);
  }

  /** Read access to one secret; exposes its ARN under `envName` (the value is fetched at runtime). */
  bindSecret(envName: EnvName, secret: ISecret): this {
    if (!this.readsSecrets) {
      throw new Error(
        `${this.node.path}: bindSecret needs readsSecrets: true (secrets are read through the extension)`,
      );
    }
    secret.grantRead(this.function);
    return this.addEnvironment(envName, secret.secretArn);
  }

  /**
   * `sqs:SendMessage` (nothing else) on the send queue; exposes its URL as `SEND_QUEUE_URL`. The handler
   * sends steps due within SQS's 15-minute maximum delay straight to the queue (with DelaySeconds).
   */
  bindSendQueue(queue: IQueue): this {
    queue.grant(this.function, 'sqs:SendMessage');
    return this.addEnvironment(ENV.SEND_QUEUE_URL, queue.queueUrl);
  }

  /**
   * Lets the function hand self-serve setup steps to the setup queue: `sqs:SendMessage` on it, and
   * SETUP_QUEUE_ARN (the target of a setup schedule) and SETUP_QUEUE_URL (a step due now), together.
   */
  bindSetupQueue(queue: IQueue): this {
    queue.grant(this.function, 'sqs:SendMessage');
    return this.addEnvironment(ENV.SETUP_QUEUE_ARN, queue.queueArn).addEnvironment(
      'SETUP_QUEUE_URL',
      queue.queueUrl,
    );
  }

  /**
   * Lets the function send email through SES v2 and sign reply addresses and links: `ses:SendEmail` on
   * exactly the identity and the configuration set (SES authorizes a send against both; SES v2 SendEmail
   * needs no ses:SendRawEmail), read access to the link secret, and EMAIL_FROM, EMAIL_CONFIGURATION_SET,
   * INBOUND_DOMAIN and LINK_SECRET_ARN, which the handler's email configuration reads together.
   */
  bindEmail(email: EmailBinding): this {
    this.addToRolePolicy(
      new PolicyStatement({
        sid: 'SendEmailFromIdentityWithConfigurationSet',
        actions: ['ses:SendEmail'],
        resources: [email.identityArn, email.configurationSetArn],
      }),
    );
    return this.addEnvironment(ENV.EMAIL_FROM, email.from)
      .addEnvironment(ENV.EMAIL_CONFIGURATION_SET, email.configurationSetName)
      .addEnvironment(ENV.INBOUND_DOMAIN, email.inboundDomain)
      .bindSecret(ENV.LINK_SECRET_ARN, email.linkSecret);
  }

  /**
   * Lets the function read the reply addresses and links it signed, without sending email: read access to
   * the link secret, and INBOUND_DOMAIN and LINK_SECRET_ARN.
   */
  bindReplyAddresses(email: Pick<EmailBinding, 'inboundDomain' | 'linkSecret'>): this {
    return this.addEnvironment(ENV.INBOUND_DOMAIN, email.inboundDomain).bindSecret(
      ENV.LINK_SECRET_ARN,
      email.linkSecret,
    );
  }

  /**
   * `s3:GetObject` (nothing else: no list, no write) on the objects under `prefix` of the bucket SES stores
   * inbound mail in; exposes the bucket's name as `INBOUND_BUCKET_NAME`.
   */
  bindInboundMailBucket(bucket: IBucket, prefix: string): this {
    this.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadInboundMail',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      this.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            `SES names each stored message ${prefix}<SES message id>, unknown until the mail arrives: reading ` +
            `it needs s3:GetObject on ${prefix}* of this one bucket (no list, no write).`,
          appliesTo: [{ regex: `/^Resource::.+\\/${prefix.replace(/[/]/g, '\\/')}\\*$/` }],
        },
      ],
      true,
    );
    return this.addEnvironment(ENV.INBOUND_BUCKET_NAME, bucket.bucketName);
  }

  /**
   * For a function invoked asynchronously (SES, SNS): after {@link ASYNC_RETRY_ATTEMPTS} retries, Lambda sends
   * the failed event, with the error, to `queue` (an on-failure destination; grants `sqs:SendMessage`).
   */
  sendFailedInvocationsTo(queue: IQueue): this {
    this.function.configureAsyncInvoke({
      onFailure: new SqsDestination(queue),
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
    });
    NagSuppressions.addResourceSuppressions(this.function, [
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Failed asynchronous invocations go to an on-failure destination (an alarmed SQS queue) instead of ' +
          'DeadLetterConfig: the destination record also carries the error and the retry count.',
      },
    ]);
    return this;
  }

  /**
   * Records that only synchronous callers (`by`, e.g. the HTTP API) invoke the function: the caller gets the
   * error and Lambda retries nothing, so there is no failed event to keep (and no DLQ to configure).
   */
  invokedSynchronouslyBy(by: string): this {
    NagSuppressions.addResourceSuppressions(this.function, [
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          `Invoked synchronously by ${by} only: the caller gets the error and Lambda retries nothing, so ` +
          'there is no failed event to dead-letter.',
      },
    ]);
    return this;
  }

  /**
   * Triggers the function from a queue. The handler must answer with a partial batch response
   * (`batchItemFailures`), so only the failed messages of a batch are redelivered. Grants the consume
   * permissions on the queue.
   */
  drainQueue(queue: IQueue, options: DrainQueueOptions): this {
    this.function.addEventSource(
      new SqsEventSource(queue, {
        batchSize: options.batchSize,
        maxBatchingWindow: options.maxBatchingWindow,
        maxConcurrency: options.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    NagSuppressions.addResourceSuppressions(this.function, [
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by the SQS event source mapping: a failed message returns to the queue and ' +
          "moves to the queue's own alarmed dead-letter queue (redrive policy), not to a function DLQ.",
      },
    ]);
    NagSuppressions.addResourceSuppressions(
      this.function.node.children.filter((child) => child instanceof EventSourceMapping),
      [
        {
          id: 'Serverless-LambdaEventSourceMappingDestination',
          reason:
            'SQS event source mappings take no on-failure destination (streams and Kafka only); the ' +
            "queue's redrive policy moves a message that keeps failing to its alarmed dead-letter queue.",
        },
      ],
    );
    return this;
  }
}
