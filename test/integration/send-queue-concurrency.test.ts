import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSendQueueHandler } from '#functions/dispatch.js';
import type { DispatchDeps } from '#shared/use-cases/dispatch/index.js';
import { checkInBatch } from '../support/send-queue-event.js';

const event = (ids: string[]): SQSEvent => checkInBatch('pconcurrent1', ids);

describe('the sender’s batch handler', () => {
  it('reports each batch’s own failures when invocations overlap', async () => {
    // Prepare: every step fails at the store, after a wait, so the two batches interleave.
    const handler = createSendQueueHandler(
      async () =>
        ({
          clock: { now: () => new Date('2026-11-25T14:00:00Z') },
          store: {
            claim: async () => {
              await new Promise((resolve) => setTimeout(resolve, 5));
              throw new Error('DynamoDB unavailable');
            },
          },
        }) as unknown as DispatchDeps,
    );

    // Act
    const [first, second] = await Promise.all([
      handler(event(['bad-a1', 'bad-a2', 'bad-a3'])),
      handler(event(['bad-b1', 'bad-b2'])),
    ]);

    // Assess
    expect(first.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'bad-a1',
      'bad-a2',
      'bad-a3',
    ]);
    expect(second.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'bad-b1',
      'bad-b2',
    ]);
  });
});
