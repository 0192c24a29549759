import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * An SQS queue's handler: runs each message of a batch in turn, and reports a failed one back alone
 * (partial batch response), so SQS delivers it again and, after the queue's maxReceiveCount,
 * dead-letters it, while the rest of the batch is done.
 */
export function queueHandler(runRecord: (record: SQSRecord, context?: Context) => Promise<unknown>) {
  // A processor per batch: it keeps the batch's successes and failures, so one shared by overlapping
  // invocations (the local stack, a bench) would report one batch's failures for another.
  return (event: SQSEvent, context?: Context) =>
    processPartialResponse(event, runRecord, new BatchProcessor(EventType.SQS), {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
      // One message at a time: the send queue's maximum concurrency is what paces the SMS provider.
      processInParallel: false,
    });
}
