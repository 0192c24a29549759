import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSendQueueHandler } from '#functions/dispatch.js';
import type { DispatchDeps } from '#shared/use-cases/dispatch/index.js';
import { checkInBatch } from '../support/send-queue-event.js';

const event = (ids: string[]): SQSEvent => checkInBatch('pbudget1', ids);

/** A Lambda context whose remaining time is read from a list, one value per look. */
const contextWithRemaining = (...remainingMs: number[]): Context =>
  ({ getRemainingTimeInMillis: () => remainingMs.shift() ?? 0 }) as unknown as Context;

/** Deps whose store says every step was done before (a quick success), counting the steps started. */
const countingDeps = () => {
  const started: string[] = [];
  const deps = async () =>
    ({
      clock: { now: () => new Date('2026-11-25T14:00:00Z') },
      store: {
        claim: async (key: string) => {
          started.push(key);
          return 'done';
        },
      },
    }) as unknown as DispatchDeps;
  return { started, deps };
};

describe('the sender running short of time', () => {
  it('hands back the steps it has no time left to start, as failures of the partial batch response', async () => {
    // Prepare: 8 s reserve; the invocation has 30 s, then 20 s, then 7 s left when each step would start.
    const { started, deps } = countingDeps();
    const handler = createSendQueueHandler(deps, { reserveMs: 8000 });

    // Act
    const response = await handler(
      event(['s1', 's2', 's3', 's4']),
      contextWithRemaining(30_000, 20_000, 7000, 6000),
    );

    // Assess: two steps done; the other two back to the queue, never started.
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['s3', 's4']);
    expect(started).toEqual(['step#ci-s1@2026-11-25T14:00:00.000Z', 'step#ci-s2@2026-11-25T14:00:00.000Z']);
  });

  it('starts every step while the time left stays above the reserve', async () => {
    const { started, deps } = countingDeps();
    const handler = createSendQueueHandler(deps, { reserveMs: 8000 });
    const response = await handler(event(['s1', 's2']), contextWithRemaining(9000, 8000));
    expect(response.batchItemFailures).toEqual([]);
    expect(started).toHaveLength(2);
  });

  it('starts every step without a reserve or without a Lambda context (the local stack)', async () => {
    const { started, deps } = countingDeps();
    expect(
      (await createSendQueueHandler(deps)(event(['s1']), contextWithRemaining(1))).batchItemFailures,
    ).toEqual([]);
    expect(
      (await createSendQueueHandler(deps, { reserveMs: 8000 })(event(['s2']))).batchItemFailures,
    ).toEqual([]);
    expect(started).toHaveLength(2);
  });
});
