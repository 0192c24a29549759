import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '#shared/domain/clock.js';
import type { ScheduledStep, SchedulerPort, SetupStepPayload } from '#shared/domain/ports.js';
import type { SignedFetch } from './signed-fetch.js';

export interface AwsSchedulerConfig {
  groupName: string;
  roleArn: string;
  /** The send queue's ARN: Scheduler puts due steps on it for the sender Lambda. */
  targetArn: string;
  deadLetterArn: string;
  /** The send queue's URL, for steps due within SQS's longest delay. */
  sendQueueUrl?: string;
  /** The setup queue (ARN and URL): self-serve setup steps go there, for the setup function. */
  setupTargetArn?: string;
  setupQueueUrl?: string;
}

/** SQS delays a message by up to 15 minutes; a step due sooner goes straight to the queue. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** SQS SendMessage's input, as its JSON protocol carries it. */
export interface SendMessageInput {
  QueueUrl: string;
  MessageBody: string;
  DelaySeconds: number;
}
export type SendMessage = (input: SendMessageInput) => Promise<void>;

/** SQS refused a request: `type` is its `__type` (e.g. com.amazonaws.sqs#QueueDoesNotExist). */
export class SqsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = type.slice(type.lastIndexOf('#') + 1) || 'SqsError';
  }
}

export const sqsEndpoint = (region: string) => `https://sqs.${region}.amazonaws.com/`;

/** CreateSchedule's input, as EventBridge Scheduler's REST-JSON protocol carries it (the name goes in the path). */
export interface CreateScheduleInput {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  FlexibleTimeWindow: { Mode: 'OFF' };
  ActionAfterCompletion: 'DELETE';
  Target: {
    Arn: string;
    RoleArn: string;
    Input: string;
    DeadLetterConfig: { Arn: string };
    RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
  };
}

/** The two Scheduler calls we make. `exists` and `missing` are the answers a retried step expects. */
export interface SchedulerApi {
  createSchedule(input: CreateScheduleInput): Promise<'created' | 'exists'>;
  deleteSchedule(name: string, groupName: string): Promise<'deleted' | 'missing'>;
}

/** Scheduler refused a request: `type` is its error type (e.g. ValidationException). */
export class SchedulerError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = type || 'SchedulerError';
  }
}

export const schedulerEndpoint = (region: string) => `https://scheduler.${region}.amazonaws.com`;

/** The error type of a REST-JSON answer: the `x-amzn-errortype` header, else the body's `__type`. */
async function schedulerError(call: string, response: Response): Promise<SchedulerError> {
  const text = await response.text();
  let body: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a gateway's page): the status says what happened.
  }
  const header = response.headers.get('x-amzn-errortype')?.split(':')[0];
  const type = header || (typeof body.__type === 'string' ? body.__type.split('#').at(-1) : '') || 'Unknown';
  const detail = body.message ?? body.Message;
  return new SchedulerError(
    type,
    response.status,
    `Scheduler ${call} failed with ${response.status} ${type}${typeof detail === 'string' ? `: ${detail}` : ''}`,
  );
}

/** `done` when the call went; `already` when Scheduler answered the error that means so; else it throws. */
async function outcomeOf<D extends string, A extends string>(
  call: string,
  response: Response,
  done: D,
  [errorType, already]: [string, A],
): Promise<D | A> {
  if (response.ok) {
    await response.arrayBuffer();
    return done;
  }
  const error = await schedulerError(call, response);
  if (error.type === errorType) return already;
  throw error;
}

/**
 * CreateSchedule and DeleteSchedule over Scheduler's REST-JSON protocol, signed by the SDK's SigV4
 * signer (the SDK client weighs about 16 KB a bundle). Each request carries a fresh ClientToken, as
 * the SDK fills it in; the schedule's deterministic name is what makes a retry safe.
 */
export function schedulerOverFetch(aws: SignedFetch, endpoint: string): SchedulerApi {
  const path = (name: string) => `${endpoint}/schedules/${encodeURIComponent(name)}`;
  return {
    async createSchedule({ Name, ...input }) {
      const response = await aws.fetch(path(Name), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...input, ClientToken: randomUUID() }),
      });
      return outcomeOf('CreateSchedule', response, 'created', ['ConflictException', 'exists']);
    },
    async deleteSchedule(name, groupName) {
      const query = new URLSearchParams({ groupName, clientToken: randomUUID() });
      const response = await aws.fetch(`${path(name)}?${query}`, { method: 'DELETE' });
      return outcomeOf('DeleteSchedule', response, 'deleted', ['ResourceNotFoundException', 'missing']);
    },
  };
}

/**
 * SendMessage over SQS's JSON protocol, signed by the SDK's SigV4 signer (the SDK client weighs ≈ 24 KB per bundle).
 * The SDK also sends `x-amzn-query-mode: true`, which only adds the legacy query error code in an
 * `x-amzn-query-error` header: the `__type` of the JSON error body is what we report.
 */
export function sqsSendMessage(aws: SignedFetch, endpoint: string): SendMessage {
  return async (input) => {
    const response = await aws.fetch(endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AmazonSQS.SendMessage', 'Content-Type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    if (response.ok) return;
    let error: { __type?: unknown; message?: unknown; Message?: unknown } = {};
    try {
      error = JSON.parse(text);
    } catch {
      // Not SQS's JSON (a proxy's page): the status says enough.
    }
    const type = typeof error.__type === 'string' ? error.__type : 'Unknown';
    const detail = error.message ?? error.Message;
    throw new SqsError(
      type,
      response.status,
      `SQS SendMessage failed with ${response.status} ${type}${typeof detail === 'string' ? `: ${detail}` : ''}`,
    );
  };
}

/** One-time EventBridge Scheduler schedules in the member's own zone, deleted after they fire. */
export class AwsScheduler implements SchedulerPort {
  constructor(
    private readonly api: SchedulerApi,
    private readonly config: AwsSchedulerConfig,
    private readonly clock: Clock = systemClock,
    /** Puts a step on the send queue (sqsSendMessage); without it every step gets a schedule. */
    private readonly sendMessage?: SendMessage,
  ) {}

  /**
   * A step due now (a forwarded need) or in the past cannot be an at() in the past: it is set for
   * the next whole minute in UTC. The payload keeps its own scheduledTime, the idempotency key.
   */
  private expression(
    step: Pick<ScheduledStep, 'scheduledTime'>,
    wallClock: { localDateTime: string; timezone: string },
  ) {
    const soonest = new Date(Math.ceil((this.clock.now().getTime() + 1000) / 60_000) * 60_000);
    if (new Date(step.scheduledTime) >= soonest)
      return { at: wallClock.localDateTime, timezone: wallClock.timezone };
    return { at: soonest.toISOString().slice(0, 19), timezone: 'UTC' };
  }

  async schedule(
    step: ScheduledStep | SetupStepPayload,
    wallClock: { localDateTime: string; timezone: string },
  ): Promise<void> {
    const delaySeconds = Math.ceil((Date.parse(step.scheduledTime) - this.clock.now().getTime()) / 1000);
    // A self-serve setup step is the setup function's (its own queue); every other step is the sender's.
    const setup = step.kind.startsWith('setup_');
    const queueUrl = setup ? this.config.setupQueueUrl : this.config.sendQueueUrl;
    if (this.sendMessage && queueUrl && delaySeconds <= MAX_QUEUE_DELAY_SECONDS) {
      // Due now or soon (a forwarded need): no schedule to create and delete, the queue delays it.
      await this.sendMessage({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(step),
        DelaySeconds: Math.max(0, delaySeconds),
      });
      return;
    }
    const when = this.expression(step, wallClock);
    // The name is deterministic: an existing schedule is this very step, created by a retry.
    await this.api.createSchedule({
      Name: step.scheduleName,
      GroupName: this.config.groupName,
      ScheduleExpression: `at(${when.at})`,
      ScheduleExpressionTimezone: when.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: (setup && this.config.setupTargetArn) || this.config.targetArn,
        RoleArn: this.config.roleArn,
        Input: JSON.stringify(step),
        DeadLetterConfig: { Arn: this.config.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
  }

  async cancel(scheduleName: string): Promise<void> {
    // Already fired (and deleted itself) or never created: either way it will not fire.
    await this.api.deleteSchedule(scheduleName, this.config.groupName);
  }
}
