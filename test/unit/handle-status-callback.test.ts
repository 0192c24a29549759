import { describe, expect, it } from 'vitest';
import { handleStatusCallback } from '#shared/use-cases/handle-status-callback.js';
import { memoryStore } from '../support/memory-store.js';

describe('handleStatusCallback (in memory: once per message and status)', () => {
  it("records each of a text's statuses once, however often Twilio calls", async () => {
    // Prepare
    const store = memoryStore();
    let now = new Date('2026-11-25T14:00:01Z');
    const deps = { store, clock: { now: () => now } };

    // Act
    const sent = await handleStatusCallback(deps, { messageSid: 'SM1', status: 'sent' });
    const again = await handleStatusCallback(deps, { messageSid: 'SM1', status: 'sent' });
    now = new Date('2026-11-25T14:00:09Z');
    const failed = await handleStatusCallback(deps, {
      messageSid: 'SM1',
      status: 'undelivered',
      errorCode: '30003',
    });

    // Assess
    expect([sent, again, failed]).toEqual(['recorded', 'duplicate', 'recorded']);
    expect(await store.deliveryReports('SM1')).toEqual([
      { messageSid: 'SM1', status: 'sent', at: '2026-11-25T14:00:01.000Z' },
      { messageSid: 'SM1', status: 'undelivered', errorCode: '30003', at: '2026-11-25T14:00:09.000Z' },
    ]);
  });
});
