import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { countriesOfNumber } from '#shared/domain/textable-number.js';

/** Deployment stages. Each stage is a full, independent copy of the app (own table, secrets, API, schedules). */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export const DEFAULT_STAGE: Stage = 'dev';

/** Twilio's magic test "from" number: valid with test credentials, never sends a real SMS. */
export const PLACEHOLDER_TWILIO_FROM_NUMBER = '+15005550006';

/**
 * Placeholder mail domain, so `cdk synth` works out of the box. SES can never verify it: operators deploy with
 * `--context mailDomain=<a domain whose DNS they control>` (see docs/deploy.md).
 */
export const PLACEHOLDER_MAIL_DOMAIN = 'example.org';

/** Prefix for every physical name we choose (schedule group, function names, secrets, queues). */
export const APP_PREFIX = 'soft-partner';

export interface StageConfig {
  readonly stage: Stage;
  /** `soft-partner-<stage>`: prefix for physical names; also the EventBridge Scheduler schedule group name. */
  readonly resourcePrefix: string;
  readonly logRetention: RetentionDays;
  /** Powertools log level handed to every function (`POWERTOOLS_LOG_LEVEL`). */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Removal policy for stateful resources (table, secrets, log groups). */
  readonly removalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection (a table-level switch, independent of the CloudFormation removal policy). */
  readonly tableDeletionProtection: boolean;
  /** CloudFormation termination protection for the stateful stack. */
  readonly statefulTerminationProtection: boolean;
  /**
   * The E.164 number (or Messaging Service sender) texts go out from: plain configuration handed to the
   * functions that text as `TWILIO_FROM_NUMBER`, never part of the Twilio secret's generated template (a
   * changed template makes CloudFormation generate the secret again, over the real credentials).
   * Context key: `twilioFromNumber`.
   */
  readonly twilioFromNumber: string;
  /**
   * The countries (ISO 3166-1 alpha-2) whose numbers enrollment accepts, handed to enroll as
   * `SMS_COUNTRIES`: a guard against SMS pumping beside Twilio's Geo Permissions (docs/deploy.md).
   * Context key: `smsCountries` (comma-separated, e.g. `US,CA`); by default every country that shares the
   * sending number's calling code.
   */
  readonly smsCountries: readonly string[];
  /**
   * Self-serve setup by text (issue 20): a stranger's text starts a partnership. `false` turns it off, and a
   * stranger gets one polite line and nothing else. Context key: `selfServe` (`true` by default).
   */
  readonly selfServe: boolean;
  /**
   * Public base URL (no trailing slash) the Twilio webhook is reached at, e.g. an operator's custom domain.
   * Undefined means "use the HTTP API's own execute-api endpoint". Context key: `publicBaseUrl`.
   */
  readonly publicBaseUrl?: string;
  /** Optional e-mail address subscribed to the alarm topic. Context key: `alarmEmail`. */
  readonly alarmEmail?: string;
  /**
   * Default-stage throttling of the HTTP API (protects the Twilio bill from floods), derived from the SMS
   * rate by {@link apiThrottleFor}: Twilio's delivery reports and the replies arrive at a multiple of it.
   */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * SMS throughput the provider allows the sender number, in messages per second (Twilio: 1 for a long code,
   * more for toll-free or short codes). Sizes the sender's concurrency through {@link senderConcurrency}.
   * Context key: `smsMessagesPerSecond` (a positive number).
   */
  readonly smsMessagesPerSecond: number;
  /**
   * SES's maximum send rate for the account, in emails per second: 1 in the SES sandbox, 14 when a new
   * account gets production access (the Service Quotas console shows it). Paces the sender's emails and,
   * with the SMS rate, sizes its batches and timeout ({@link senderSizing}).
   * Context key: `sesMessagesPerSecond` (a positive number).
   */
  readonly sesMessagesPerSecond: number;
  /** The sender's batch size, timeout and pacing, derived from the two rates by {@link senderSizing}. */
  readonly sender: SenderSizing;
  /**
   * Domain the app sends email from: the SES identity (Easy DKIM) and the parent of the custom MAIL FROM
   * domain. Context key: `mailDomain` (default {@link PLACEHOLDER_MAIL_DOMAIN}, which never verifies).
   */
  readonly mailDomain: string;
  /** `mail.<mailDomain>`: custom MAIL FROM domain, so SPF aligns with the From domain for DMARC. */
  readonly mailFromDomain: string;
  /**
   * Domain SES receives replies on (`reply+<token>@<inboundDomain>`); its MX record points at SES inbound.
   * Context key: `inboundDomain` (default `in.<mailDomain>`, so the operator's own mailboxes keep their MX).
   */
  readonly inboundDomain: string;
  /** `From` of every email, an address at mailDomain. Context key: `emailFrom` (default `Soft Partner <hello@<mailDomain>>`). */
  readonly emailFrom: string;
  /** Days raw inbound messages stay in the inbound mail bucket. Context key: `inboundMailRetentionDays`. */
  readonly inboundMailRetentionDays: number;
  /** Texts a day above which the daily-sms-budget alarm fires. Context key: `dailySmsBudget`. */
  readonly dailySmsBudget: number;
}

type StageDefaults = Omit<
  StageConfig,
  | 'stage'
  | 'resourcePrefix'
  | 'publicBaseUrl'
  | 'alarmEmail'
  | 'mailFromDomain'
  | 'inboundDomain'
  | 'emailFrom'
  | 'apiThrottle'
  | 'smsCountries'
  | 'sender'
  | 'selfServe'
>;

const STAGE_DEFAULTS: Record<Stage, StageDefaults> = {
  dev: {
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    removalPolicy: RemovalPolicy.DESTROY,
    tableDeletionProtection: false,
    statefulTerminationProtection: false,
    twilioFromNumber: PLACEHOLDER_TWILIO_FROM_NUMBER,
    smsMessagesPerSecond: 1,
    sesMessagesPerSecond: 1,
    mailDomain: PLACEHOLDER_MAIL_DOMAIN,
    inboundMailRetentionDays: 30,
    dailySmsBudget: 500,
  },
  prod: {
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    removalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    statefulTerminationProtection: true,
    twilioFromNumber: PLACEHOLDER_TWILIO_FROM_NUMBER,
    smsMessagesPerSecond: 10,
    sesMessagesPerSecond: 14,
    mailDomain: PLACEHOLDER_MAIL_DOMAIN,
    inboundMailRetentionDays: 30,
    dailySmsBudget: 20_000,
  },
};

/** Wall-clock time one sender spends on one SMS send (Twilio API call plus bookkeeping), in seconds. */
export const SECONDS_PER_SEND = 0.5;
/** Bounds of an SQS event source mapping's `maxConcurrency`. */
export const MIN_SENDER_CONCURRENCY = 2;
export const MAX_SENDER_CONCURRENCY = 1000;

/**
 * Maximum concurrency of the sender (the dispatch function's SQS event source mapping), derived from the SMS
 * throughput the provider allows:
 *
 *     senderConcurrency(mps) = clamp(ceil(mps × SECONDS_PER_SEND), 2, 1000)
 *
 * Little's law: a sender that works through its batch one send at a time, each taking SECONDS_PER_SEND,
 * sends 1 / SECONDS_PER_SEND messages per second, so `mps × SECONDS_PER_SEND` senders keep up with the
 * provider's limit without exceeding it. A 09:00 burst then waits in the send queue instead of being
 * rejected by the provider. 2 and 1000 are the limits SQS event source mappings accept.
 */
export function senderConcurrency(smsMessagesPerSecond: number): number {
  if (!Number.isFinite(smsMessagesPerSecond) || smsMessagesPerSecond <= 0) {
    throw new RangeError(
      `smsMessagesPerSecond must be a positive number, got ${JSON.stringify(smsMessagesPerSecond)}`,
    );
  }
  const senders = Math.ceil(smsMessagesPerSecond * SECONDS_PER_SEND);
  return clamp(senders, { min: MIN_SENDER_CONCURRENCY, max: MAX_SENDER_CONCURRENCY });
}

/**
 * How far ahead of the SMS provider's rate the senders may run, in seconds of that rate. Twilio accepts
 * texts above a sender's rate and queues them (up to 10 hours); a short queue in front of it means a sender
 * that pauses (a slow DynamoDB call, a cold start) never leaves Twilio idle, and the queue is bounded: at
 * most `mps × TWILIO_QUEUE_LEAD_SECONDS` texts wait there, each for at most this long, far inside every
 * text's validity (shared/domain/text-validity.ts).
 */
export const TWILIO_QUEUE_LEAD_SECONDS = 10;

/**
 * The least time between two sends of one sender instance on average (`SMS_SECONDS_BETWEEN_SENDS`), so that
 * `senderConcurrency(mps)` senders together hand Twilio exactly its rate:
 *
 *     secondsBetweenSends(mps) = senderConcurrency(mps) / mps
 */
export function secondsBetweenSends(smsMessagesPerSecond: number): number {
  return senderConcurrency(smsMessagesPerSecond) / smsMessagesPerSecond;
}

/**
 * Texts one sender instance may send ahead of its pace (`SMS_BURST`, a token bucket's size): together the
 * senders are never more than TWILIO_QUEUE_LEAD_SECONDS ahead of Twilio's rate.
 *
 *     smsBurstPerSender(mps) = max(1, floor(mps × TWILIO_QUEUE_LEAD_SECONDS / senderConcurrency(mps)))
 */
export function smsBurstPerSender(smsMessagesPerSecond: number): number {
  return Math.max(
    1,
    Math.floor((smsMessagesPerSecond * TWILIO_QUEUE_LEAD_SECONDS) / senderConcurrency(smsMessagesPerSecond)),
  );
}

/**
 * The share of SES's sending rate the senders take: the rest is for the functions that email now and then
 * (answers to email replies, link confirmations). SES throttles the whole account above its rate.
 */
export const SES_RATE_SHARE = 0.8;
/** Texts one step sends at most (a check-in and what rides with it: a partner's news, the board). */
export const TEXTS_PER_STEP = 2;
/** Emails one step sends at most (a check-in or invitation email, and a summary or charter). */
export const EMAILS_PER_STEP = 2;
/** The wall time a batch of steps should take at most: the last step in a batch waits for the others. */
export const TARGET_BATCH_SECONDS = 20;
/** The longest a single step may take, as a multiple of its expected time, before the rest are handed back. */
export const STEP_TIME_MARGIN = 2;
/** Time an invocation needs besides its steps: a cold start, reading the secrets. */
export const INVOCATION_START_SECONDS = 10;
/** The Lambda bounds of a function timeout (seconds); the sender never gets less than 30. */
export const SENDER_TIMEOUT_SECONDS: Bounds = { min: 30, max: 900 };
/** At most the messages an SQS event source hands one invocation without a long batching window. */
export const SENDER_BATCH_SIZE: Bounds = { min: 1, max: 10 };

/** The least and the most a derived setting may be. */
export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/** `value`, held within `bounds`. */
export function clamp(value: number, bounds: Bounds): number {
  return Math.min(bounds.max, Math.max(bounds.min, value));
}

/** How the sender drains the send queue, all derived from the SMS and SES rates ({@link senderSizing}). */
export interface SenderSizing {
  /** The event source mapping's maximum concurrency: {@link senderConcurrency}. */
  readonly senders: number;
  /** Average seconds between two texts of one instance (`SMS_SECONDS_BETWEEN_SENDS`). */
  readonly smsSecondsBetweenSends: number;
  /** Texts one instance may send ahead of its pace (`SMS_BURST`). */
  readonly smsBurst: number;
  /** Seconds between two emails of one instance (`EMAIL_SECONDS_BETWEEN_SENDS`). */
  readonly emailSecondsBetweenSends: number;
  /** The expected time of the longest step (TEXTS_PER_STEP texts and EMAILS_PER_STEP emails, paced). */
  readonly stepSeconds: number;
  /** Messages per invocation (the event source mapping's batch size). */
  readonly batchSize: number;
  /** Time left below which the sender starts no further step and hands the rest back (`SENDER_RESERVE_SECONDS`). */
  readonly reserveSeconds: number;
  /** The function's timeout; the send queue's visibility timeout is six times it. */
  readonly timeoutSeconds: number;
}

/**
 * The sender's batch size, timeout and pacing, derived together from what the SMS provider and SES allow:
 *
 *     senders       = senderConcurrency(sms)
 *     smsBetween    = senders / sms                        (the senders together: exactly the SMS rate)
 *     emailBetween  = senders / (SES_RATE_SHARE × ses)     (the senders together: 80 % of SES's rate)
 *     step          = TEXTS_PER_STEP × max(smsBetween, SECONDS_PER_SEND)
 *                   + EMAILS_PER_STEP × max(emailBetween, SECONDS_PER_SEND)
 *     batchSize     = clamp(floor(TARGET_BATCH_SECONDS / step), 1, 10)
 *     reserve       = ceil(STEP_TIME_MARGIN × step)
 *     timeout       = clamp(ceil(batchSize × step + reserve + INVOCATION_START_SECONDS), 30, 900)
 *
 * A batch normally ends `reserve` seconds before the timeout; one that runs slow stops starting steps once
 * less than `reserve` is left and hands the rest back to the queue (partial batch response), so the
 * sender never times out half-way through a step.
 */
export function senderSizing(smsMessagesPerSecond: number, sesMessagesPerSecond: number): SenderSizing {
  if (!Number.isFinite(sesMessagesPerSecond) || sesMessagesPerSecond <= 0) {
    throw new RangeError(
      `sesMessagesPerSecond must be a positive number, got ${JSON.stringify(sesMessagesPerSecond)}`,
    );
  }
  const senders = senderConcurrency(smsMessagesPerSecond);
  const smsSecondsBetweenSends = secondsBetweenSends(smsMessagesPerSecond);
  const emailSecondsBetweenSends = senders / (SES_RATE_SHARE * sesMessagesPerSecond);
  const stepSeconds =
    TEXTS_PER_STEP * Math.max(smsSecondsBetweenSends, SECONDS_PER_SEND) +
    EMAILS_PER_STEP * Math.max(emailSecondsBetweenSends, SECONDS_PER_SEND);
  const batchSize = clamp(Math.floor(TARGET_BATCH_SECONDS / stepSeconds), SENDER_BATCH_SIZE);
  const reserveSeconds = Math.ceil(STEP_TIME_MARGIN * stepSeconds);
  const timeoutSeconds = clamp(
    Math.ceil(batchSize * stepSeconds + reserveSeconds + INVOCATION_START_SECONDS),
    SENDER_TIMEOUT_SECONDS,
  );
  return {
    senders,
    smsSecondsBetweenSends,
    smsBurst: smsBurstPerSender(smsMessagesPerSecond),
    emailSecondsBetweenSends,
    stepSeconds,
    batchSize,
    reserveSeconds,
    timeoutSeconds,
  };
}

/** Delivery reports Twilio posts per text at most (queued, sent, delivered or undelivered). */
export const STATUS_CALLBACKS_PER_TEXT = 3;
/** Replies per text, at most: one answer to each check-in (most answer within minutes). */
export const REPLIES_PER_TEXT = 1;
/** Room above that for enrollments, email links and clustering of callbacks. */
export const API_RATE_HEADROOM = 2;
/** The least stage throttle, whatever the SMS rate. */
export const MIN_API_RATE_LIMIT = 10;

/**
 * The HTTP API's stage throttle for an SMS rate. Twilio does not retry its webhooks, so the throttle must
 * never be what loses a reply or a delivery report:
 *
 *     rateLimit(mps)  = max(10, ceil(mps × (STATUS_CALLBACKS_PER_TEXT + REPLIES_PER_TEXT) × API_RATE_HEADROOM))
 *     burstLimit(mps) = 2 × rateLimit(mps)
 */
export function apiThrottleFor(smsMessagesPerSecond: number): { rateLimit: number; burstLimit: number } {
  const rateLimit = Math.max(
    MIN_API_RATE_LIMIT,
    Math.ceil(smsMessagesPerSecond * (STATUS_CALLBACKS_PER_TEXT + REPLIES_PER_TEXT) * API_RATE_HEADROOM),
  );
  return { rateLimit, burstLimit: 2 * rateLimit };
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** What config reads of a construct node: its context (`app.node` is one). */
export type ContextReader = Pick<Node, 'tryGetContext'>;

/** The cdk.json context key holding each stage's own context: `{ "stages": { "prod": { "mailDomain": … } } }`. */
export const STAGES_CONTEXT_KEY = 'stages';

/**
 * A context lookup for one stage: a key given on the command line (`-c key=value`) wins over the stage's
 * entry under {@link STAGES_CONTEXT_KEY} in cdk.json, so a deploy never depends on repeating `-c` flags.
 */
function stageContext(node: ContextReader, stage: Stage): ContextReader {
  const perStage: unknown = node.tryGetContext(STAGES_CONTEXT_KEY);
  const entry: unknown =
    typeof perStage === 'object' && perStage !== null
      ? (perStage as Record<string, unknown>)[stage]
      : undefined;
  if (entry !== undefined && (typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
    throw new Error(`Context ${STAGES_CONTEXT_KEY}.${stage} must be an object of context keys`);
  }
  const values = (entry ?? {}) as Record<string, unknown>;
  return { tryGetContext: (key: string): unknown => node.tryGetContext(key) ?? values[key] };
}

/**
 * Resolves the stage configuration from CDK context (`-c stage=prod -c publicBaseUrl=https://...`, or the
 * stage's entry under `stages` in cdk.json). Context values given on the command line are always strings;
 * values from cdk.json may be anything, so everything is validated here and nowhere else.
 */
export function resolveStageConfig(contextNode: ContextReader): StageConfig {
  const rawStage: unknown = contextNode.tryGetContext('stage') ?? DEFAULT_STAGE;
  if (!isStage(rawStage)) {
    throw new Error(`Unknown stage ${JSON.stringify(rawStage)}; expected one of ${STAGES.join(', ')}`);
  }
  const defaults = STAGE_DEFAULTS[rawStage];
  const node = stageContext(contextNode, rawStage);

  const twilioFromNumber = optionalString(node, 'twilioFromNumber') ?? defaults.twilioFromNumber;
  if (!/^\+[1-9]\d{6,14}$/.test(twilioFromNumber)) {
    throw new Error(
      `Context twilioFromNumber must be an E.164 number, got ${JSON.stringify(twilioFromNumber)}`,
    );
  }

  const listedCountries = optionalString(node, 'smsCountries')
    ?.split(',')
    .map((country) => country.trim().toUpperCase())
    .filter((country) => country !== '');
  const smsCountries = listedCountries ?? countriesOfNumber(twilioFromNumber);
  const unknownCountry = smsCountries.find((country) => !/^[A-Z]{2}$/.test(country));
  if (unknownCountry !== undefined || smsCountries.length === 0) {
    throw new Error(
      `Context smsCountries must list ISO 3166 country codes such as US,CA, got ${JSON.stringify(smsCountries.join(','))}`,
    );
  }

  const publicBaseUrl = optionalString(node, 'publicBaseUrl');
  if (publicBaseUrl !== undefined && !/^https:\/\/[^/\s]+(\/\S*)?$/.test(publicBaseUrl)) {
    throw new Error(`Context publicBaseUrl must be an https URL, got ${JSON.stringify(publicBaseUrl)}`);
  }

  const alarmEmail = optionalString(node, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context alarmEmail must be an e-mail address, got ${JSON.stringify(alarmEmail)}`);
  }

  const smsMessagesPerSecond =
    optionalPositiveNumber(node, 'smsMessagesPerSecond') ?? defaults.smsMessagesPerSecond;
  const sesMessagesPerSecond =
    optionalPositiveNumber(node, 'sesMessagesPerSecond') ?? defaults.sesMessagesPerSecond;

  const mailDomain = domainName('mailDomain', optionalString(node, 'mailDomain') ?? defaults.mailDomain);
  const mailFromDomain = `mail.${mailDomain}`;
  const inboundDomain = domainName(
    'inboundDomain',
    optionalString(node, 'inboundDomain') ?? `in.${mailDomain}`,
  );
  // The MAIL FROM domain's MX points at SES's bounce endpoint, the inbound domain's at SES inbound: one name
  // cannot carry both.
  if (inboundDomain === mailFromDomain) {
    throw new Error(`Context inboundDomain must differ from the MAIL FROM domain ${mailFromDomain}`);
  }

  const emailFrom = optionalString(node, 'emailFrom') ?? `Soft Partner <hello@${mailDomain}>`;
  const fromAddress = /^(?:[^<>@]*<([^<>@\s]+@[^<>@\s]+)>|([^<>@\s]+@[^<>@\s]+))$/.exec(emailFrom);
  const fromDomain = (fromAddress?.[1] ?? fromAddress?.[2])?.split('@')[1]?.toLowerCase();
  // SES only sends From an address of a verified identity, and the send permission names that identity.
  if (fromDomain !== mailDomain) {
    throw new Error(
      `Context emailFrom must be an address at mailDomain ${mailDomain} ("Name <local@${mailDomain}>"), ` +
        `got ${JSON.stringify(emailFrom)}`,
    );
  }

  const inboundMailRetentionDays =
    optionalPositiveNumber(node, 'inboundMailRetentionDays') ?? defaults.inboundMailRetentionDays;
  if (!Number.isInteger(inboundMailRetentionDays)) {
    throw new Error(
      `Context inboundMailRetentionDays must be a whole number of days, got ${inboundMailRetentionDays}`,
    );
  }

  const dailySmsBudget = optionalPositiveNumber(node, 'dailySmsBudget') ?? defaults.dailySmsBudget;
  const selfServe = optionalBoolean(node, 'selfServe') ?? true;

  return {
    ...defaults,
    dailySmsBudget,
    apiThrottle: apiThrottleFor(smsMessagesPerSecond),
    stage: rawStage,
    resourcePrefix: `${APP_PREFIX}-${rawStage}`,
    twilioFromNumber,
    smsCountries,
    selfServe,
    smsMessagesPerSecond,
    sesMessagesPerSecond,
    sender: senderSizing(smsMessagesPerSecond, sesMessagesPerSecond),
    mailDomain,
    mailFromDomain,
    inboundDomain,
    emailFrom,
    inboundMailRetentionDays,
    ...(publicBaseUrl === undefined ? {} : { publicBaseUrl: publicBaseUrl.replace(/\/+$/, '') }),
    ...(alarmEmail === undefined ? {} : { alarmEmail }),
  };
}

/** Stages whose synthesis refuses placeholders: what they deploy texts and emails real people. */
export const STAGES_REQUIRING_REAL_SENDERS: readonly Stage[] = ['prod'];

/**
 * What still stands in for an operator's value in a stage that must not deploy with placeholders: the mail
 * domain SES can never verify, or Twilio's magic test number. Empty when the stage is ready to deploy.
 */
export function placeholderProblems(config: StageConfig): string[] {
  if (!STAGES_REQUIRING_REAL_SENDERS.includes(config.stage)) return [];
  const problems: string[] = [];
  if (config.mailDomain === PLACEHOLDER_MAIL_DOMAIN) {
    problems.push(
      `mailDomain is still the placeholder ${PLACEHOLDER_MAIL_DOMAIN}: set "${STAGES_CONTEXT_KEY}": { "${config.stage}": { "mailDomain": "<your domain>" } } in cdk.json`,
    );
  }
  if (config.twilioFromNumber === PLACEHOLDER_TWILIO_FROM_NUMBER) {
    problems.push(
      `twilioFromNumber is still Twilio's test number ${PLACEHOLDER_TWILIO_FROM_NUMBER}: set "${STAGES_CONTEXT_KEY}": { "${config.stage}": { "twilioFromNumber": "+<your number>" } } in cdk.json`,
    );
  }
  return problems;
}

/** Throws one clear error listing every placeholder left in a stage that must not deploy with one. */
export function assertDeployable(config: StageConfig): void {
  const problems = placeholderProblems(config);
  if (problems.length > 0) {
    throw new Error(
      `Refusing to synthesize stage ${config.stage} with placeholders (docs/deploy.md, "Per-stage settings"):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
  }
}

/** A DNS domain name (at least two labels, letters, digits and hyphens), lower-cased. */
function domainName(key: string, value: string): string {
  const domain = value.toLowerCase().replace(/\.$/, '');
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  if (domain.length > 253 || !new RegExp(`^(?:${label}\\.)+[a-z][a-z0-9-]*[a-z0-9]$`).test(domain)) {
    throw new Error(`Context ${key} must be a domain name like example.org, got ${JSON.stringify(value)}`);
  }
  return domain;
}

/** A boolean from context: a JSON boolean (cdk.json) or `true` / `false` (`-c selfServe=false`). */
function optionalBoolean(node: ContextReader, key: string): boolean | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function optionalString(node: ContextReader, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context ${key} must be a string`);
  return value.trim();
}

/** A number from context: a JSON number (cdk.json) or a numeric string (`-c key=2.5`); must be positive. */
function optionalPositiveNumber(node: ContextReader, key: string): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
    throw new Error(`Context ${key} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return number;
}
