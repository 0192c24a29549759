import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DynamoDbLocalScheduler } from '#shared/adapters/dynamodb-local-scheduler.js';
import { sweepRequest } from '#shared/domain/sweep.js';
import { logger } from '#shared/runtime/logger.js';
import type { VirtualClock } from './virtual-clock.js';

export interface Fired {
  name: string;
  at: string;
  outcome: string;
}

/** How many times the local scheduler delivers a failing step before dead-lettering it (as Scheduler's retry policy). */
const MAX_ATTEMPTS = 3;

/** As in AWS (infra SWEEP_RATE_MINUTES): the sweep restores missing check-in schedules every hour. */
export const LOCAL_SWEEP_EVERY_MINUTES = 60;

/**
 * Moves the virtual clock and fires, in due order, every schedule due on the way, through the
 * same dispatch handler EventBridge Scheduler invokes. Advances run one at a time.
 */
export class LocalClockDriver {
  readonly deadLetters: Array<{ name: string; payload: string; reason: string }> = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: VirtualClock,
    private readonly scheduler: DynamoDbLocalScheduler,
    /** The sender Lambda's handler, fed the same SQS events the send queue would deliver. */
    private readonly sender: (event: SQSEvent) => Promise<SQSBatchResponse>,
    private readonly options: {
      /**
       * Why the sender reported a message as failed, when the caller can tell (a partial batch
       * response carries no error); otherwise the dead letter says only that it failed.
       */
      failureReason?: (event: SQSEvent) => string | undefined;
      /**
       * Minutes of virtual time between two sweeps, on the hour; 0 or absent: no sweep (the local stack
       * passes {@link LOCAL_SWEEP_EVERY_MINUTES}).
       */
      sweepEveryMinutes?: number;
      /**
       * Called each time the virtual clock moves (before a step fires, and at the end of an advance):
       * the local Twilio API lets out of its queue what is due by then (LocalTwilioApi.release).
       */
      timeMoved?: () => void;
    } = {},
  ) {}

  /** When the virtual clock next fires the sweep (set at the first advance). */
  private nextSweepAt: Date | undefined;
  /** Sweeps fired so far, and the virtual time of the last one. */
  readonly sweeps = { count: 0, last: undefined as string | undefined };

  advanceTo(target: Date): Promise<{ now: string; fired: Fired[] }> {
    const run = this.queue.then(() => this.run(target));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A dead-letter queue redrive: every dead-lettered step is delivered once more through the same
   * sender, in the order it was dead-lettered; one that fails again stays dead-lettered with the new
   * reason. Runs in turn with the advances.
   */
  redrive(): Promise<Fired[]> {
    const run = this.queue.then(() => this.runRedrive());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runRedrive(): Promise<Fired[]> {
    const fired: Fired[] = [];
    for (const letter of this.deadLetters.splice(0)) {
      const reason = await this.attempt(letter, 1);
      if (reason !== undefined) this.deadLetters.push({ ...letter, reason });
      fired.push({
        name: letter.name,
        at: this.clock.now().toISOString(),
        outcome: reason === undefined ? 'delivered' : 'dead_lettered',
      });
    }
    return fired;
  }

  private async run(target: Date): Promise<{ now: string; fired: Fired[] }> {
    const fired: Fired[] = [];
    for (;;) {
      const [next] = await this.scheduler.due(target, 1);
      const sweepAt = this.sweepDue(target);
      // A sweep at the same minute as a step runs first, as the earlier-created schedule would.
      if (sweepAt && (!next || sweepAt.getTime() <= Date.parse(next.dueAt))) {
        this.clock.set(sweepAt);
        this.options.timeMoved?.();
        await this.sweep();
        continue;
      }
      if (!next) break;
      this.clock.set(new Date(next.dueAt));
      this.options.timeMoved?.();
      fired.push({ name: next.name, at: this.clock.now().toISOString(), outcome: await this.deliver(next) });
      await this.scheduler.remove(next.name);
    }
    this.clock.set(target);
    this.options.timeMoved?.();
    return { now: this.clock.now().toISOString(), fired };
  }

  /** The next sweep time if it falls at or before `target`. */
  private sweepDue(target: Date): Date | undefined {
    const every = (this.options.sweepEveryMinutes ?? 0) * 60_000;
    if (every <= 0) return undefined;
    this.nextSweepAt ??= new Date(Math.floor(this.clock.now().getTime() / every) * every + every);
    return this.nextSweepAt <= target ? this.nextSweepAt : undefined;
  }

  /**
   * One sweep through the same sender, as the recurring schedule delivers it in AWS. A failed sweep is
   * only logged (by {@link attempt}): the next one an interval later does the same work.
   */
  private async sweep(): Promise<void> {
    const every = (this.options.sweepEveryMinutes ?? 0) * 60_000;
    const scheduledTime = this.clock.now().toISOString();
    this.nextSweepAt = new Date(this.clock.now().getTime() + every);
    const payload = JSON.stringify(sweepRequest(scheduledTime));
    await this.attempt({ name: 'sweep', payload }, 1);
    this.sweeps.count += 1;
    this.sweeps.last = scheduledTime;
  }

  private async deliver(schedule: { name: string; payload: string }): Promise<string> {
    let reason = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const failure = await this.attempt(schedule, attempt);
      if (failure === undefined) return 'delivered';
      reason = failure;
    }
    this.deadLetters.push({ ...schedule, reason });
    return 'dead_lettered';
  }

  /** One delivery of a step to the sender: undefined when it succeeded, else why it failed. */
  private async attempt(
    schedule: { name: string; payload: string },
    receiveCount: number,
  ): Promise<string | undefined> {
    let reason: string;
    try {
      const event = sqsEvent([{ body: schedule.payload, receiveCount }]);
      const response = await this.sender(event);
      if (response.batchItemFailures.length === 0) return undefined;
      reason = this.options.failureReason?.(event) ?? 'the sender reported the message as failed';
    } catch (error) {
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    logger.warn('scheduled step failed', { scheduleName: schedule.name, attempt: receiveCount, reason });
    return reason;
  }
}

/** Messages of the send queue, as SQS hands a batch of them to the sender Lambda. */
export function sqsEvent(
  messages: Array<{ messageId?: string; body: string; receiveCount: number }>,
): SQSEvent {
  return {
    Records: messages.map(({ messageId = randomUUID(), body, receiveCount }) => ({
      messageId,
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:soft-partner-local-send',
      awsRegion: 'local',
    })),
  };
}
