import type { SQSEvent } from 'aws-lambda';

/** A batch from the send queue: one plain check-in step per id, for the given partnership's first member. */
export const checkInBatch = (partnershipId: string, ids: string[]): SQSEvent =>
  ({
    Records: ids.map((id) => ({
      messageId: id,
      receiptHandle: id,
      body: JSON.stringify({
        version: 1,
        kind: 'check_in',
        partnershipId,
        memberId: 'm1',
        localDate: '2026-11-25',
        scheduleName: `ci-${id}`,
        scheduledTime: '2026-11-25T14:00:00.000Z',
      }),
      attributes: { ApproximateReceiveCount: '1' },
      eventSource: 'aws:sqs',
    })),
  }) as unknown as SQSEvent;
