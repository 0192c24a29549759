import type { Context, SQSRecord } from 'aws-lambda';
import type { DispatchDeps } from '#shared/use-cases/dispatch/index.js';
import { awsClock, awsScheduler } from './aws-deps.js';
import { awsEmail } from './aws-email.js';
import { awsEmailSettings } from './aws-email-settings.js';
import { awsSenderStore } from './aws-sender-store.js';
import { awsSms } from './aws-sms.js';
import { readConfig } from './config.js';
import { logger } from './logger.js';
import { queueHandler } from './queue-handler.js';
import { awsSenderSizingEnvironment } from './sender-environment.js';

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
 * The sender: drains the send queue that Scheduler fills, one step a message (`dispatch` runs one). A
 * failed step is reported back alone, and a sender running short of time hands back the steps it has
 * not started in the same way.
 */
export function sendQueueHandler(
  dispatch: (event: unknown) => Promise<unknown>,
  options: SendQueueOptions = {},
) {
  const reserveMs = options.reserveMs ?? 0;
  return queueHandler(async (record: SQSRecord, context?: Context) => {
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
  });
}

/** The sender's dependencies in AWS. */
export const awsDispatchDeps = async (): Promise<DispatchDeps> => ({
  store: await awsSenderStore(),
  sms: await awsSms(),
  scheduler: await awsScheduler(),
  clock: awsClock,
  email: await awsEmail(),
  emailSettings: await awsEmailSettings(),
});

/** The sender's time reserve, from SENDER_RESERVE_SECONDS. */
export const awsSenderOptions = (): SendQueueOptions => ({
  reserveMs: (readConfig(awsSenderSizingEnvironment).SENDER_RESERVE_SECONDS ?? 0) * 1000,
});
