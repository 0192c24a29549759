import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { scheduledStepSchema } from '#shared/domain/scheduled-step.js';
import { sweepRequestSchema } from '#shared/domain/sweep.js';
import { awsClock, awsScheduler } from '#shared/runtime/aws-deps.js';
import { awsEmail } from '#shared/runtime/aws-email.js';
import { awsEmailSettings } from '#shared/runtime/aws-email-settings.js';
import { awsSenderStore } from '#shared/runtime/aws-sender-store.js';
import { awsSms } from '#shared/runtime/aws-sms.js';
import { readConfig } from '#shared/runtime/config.js';
import { logger } from '#shared/runtime/logger.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import { awsSenderSizingEnvironment } from '#shared/runtime/sender-environment.js';
import { stepStore } from '#shared/runtime/step-store.js';
import { type DispatchDeps, dispatchScheduledStep } from '#shared/use-cases/dispatch-scheduled-step.js';
import { sweepCheckIns } from '#shared/use-cases/sweep-check-ins.js';

/** Runs one due step (the body of one send-queue message). Errors propagate so the step is retried. */
export function createDispatchHandler(deps: () => Promise<DispatchDeps>) {
  return async (event: unknown) => {
    // The hourly sweep shares the send queue with the steps: it restores missing check-in schedules.
    const sweep = sweepRequestSchema.safeParse(event);
    if (sweep.success) {
      const swept = await sweepCheckIns(await deps());
      logger.info('check-ins swept', { scheduledTime: sweep.data.scheduledTime, ...swept });
      return { outcome: 'swept' as const };
    }
    const step = scheduledStepSchema.parse(event);
    const outcome = await dispatchScheduledStep(stepStore(await deps()), step);
    logger.info('step dispatched', {
      scheduleName: step.scheduleName,
      scheduledTime: step.scheduledTime,
      outcome,
    });
    return { outcome };
  };
}

/** A step the sender had no time left to start: handed back to the queue, which delivers it again. */
export class SenderOutOfTimeError extends Error {
  constructor(remainingMs: number) {
    super(`Only ${remainingMs} ms left of the invocation: the step goes back to the queue`);
    this.name = 'SenderOutOfTimeError';
  }
}

export interface SendQueueOptions {
  /**
   * Time left (ms) below which no further step is started: the rest of the batch is reported as failed,
   * so SQS delivers it again, instead of the function timing out half-way through a step (infra/config.ts
   * senderSizing: SENDER_RESERVE_SECONDS). 0 or absent: every step is started.
   */
  reserveMs?: number;
}

/**
 * The sender: drains the send queue that Scheduler fills. Each message is one step; a failed one is
 * reported back alone (partial batch response), so SQS redelivers it and, after the queue's
 * maxReceiveCount, dead-letters it, while the rest of the batch is done. A sender running short of time
 * hands back the steps it has not started in the same way.
 */
export function createSendQueueHandler(deps: () => Promise<DispatchDeps>, options: SendQueueOptions = {}) {
  const dispatch = createDispatchHandler(deps);
  const reserveMs = options.reserveMs ?? 0;
  const dispatchRecord = async (record: SQSRecord, context?: Context) => {
    const remainingMs = context?.getRemainingTimeInMillis();
    if (remainingMs !== undefined && reserveMs > 0 && remainingMs < reserveMs) {
      logger.info('too little time left to start a step; SQS will deliver it again', {
        messageId: record.messageId,
        remainingMs,
      });
      throw new SenderOutOfTimeError(remainingMs);
    }
    try {
      return await dispatch(JSON.parse(record.body));
    } catch (error) {
      // The batch processor reports the failure to SQS (which redelivers, then dead-letters); the reason
      // is only here. The logger masks any phone number or address an error message carries.
      logger.warn('step failed; SQS will deliver it again', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      throw error;
    }
  };
  // A processor per batch: it keeps the batch's successes and failures, so one shared by overlapping
  // invocations (the local stack, a bench) would report one batch's failures for another.
  return (event: SQSEvent, context?: Context) =>
    processPartialResponse(event, dispatchRecord, new BatchProcessor(EventType.SQS), {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
      // One message at a time: the send queue's maximum concurrency is what paces the SMS provider.
      processInParallel: false,
    });
}

export const handler = withMetrics(
  createSendQueueHandler(
    async () => ({
      store: await awsSenderStore(),
      sms: await awsSms(),
      scheduler: await awsScheduler(),
      clock: awsClock,
      email: await awsEmail(),
      emailSettings: await awsEmailSettings(),
    }),
    { reserveMs: (readConfig(awsSenderSizingEnvironment).SENDER_RESERVE_SECONDS ?? 0) * 1000 },
  ),
);
