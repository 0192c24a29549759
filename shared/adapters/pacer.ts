/**
 * Paces the sends of one instance against a provider's rate: on average one every `secondsBetween`,
 * with up to `burst` at once after a pause (a token bucket, kept as the time the next slot is due). Each
 * caller's slot is taken when it asks, so overlapping sends queue up instead of bunching.
 */
export class Pacer {
  /** When the next slot is due if nobody had paused (ms). */
  private nextSlotAt = 0;

  constructor(
    private readonly secondsBetween: number,
    private readonly burst = 1,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits until one more send may start. */
  async take(): Promise<void> {
    const interval = this.secondsBetween * 1000;
    if (!(interval > 0)) return;
    const now = this.now();
    const slot = Math.max(this.nextSlotAt, now);
    const startAt = Math.max(now, slot - (Math.max(1, Math.floor(this.burst)) - 1) * interval);
    this.nextSlotAt = slot + interval;
    if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
  }
}
