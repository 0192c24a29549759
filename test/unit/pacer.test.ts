import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from '#shared/adapters/pacer.js';

describe('pacer (one sender instance’s share of a provider rate)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** When each of `count` sends, all asked for at once, may start (ms on the fake clock). */
  const startTimes = async (pacer: Pacer, count: number) => {
    const started: number[] = [];
    const all = Promise.all(
      Array.from({ length: count }, () => pacer.take().then(() => started.push(Date.now()))),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    await all;
    return started;
  };

  it('spaces sends secondsBetween apart with a burst of one', async () => {
    expect(await startTimes(new Pacer(1, 1, () => Date.now()), 4)).toEqual([0, 1000, 2000, 3000]);
  });

  it('lets a burst go at once after a pause, then keeps the average rate', async () => {
    const pacer = new Pacer(1, 3, () => Date.now());
    expect(await startTimes(pacer, 5)).toEqual([0, 0, 0, 1000, 2000]);
    // After the queue of slots ran out and time passed, the bucket is full again (60 s later).
    const now = Date.now();
    expect((await startTimes(pacer, 4)).map((at) => at - now)).toEqual([0, 0, 0, 1000]);
  });

  it('does not pace without an interval', async () => {
    expect(await startTimes(new Pacer(0, 1, () => Date.now()), 3)).toEqual([0, 0, 0]);
  });
});
