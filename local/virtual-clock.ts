import type { Clock } from '#shared/domain/clock.js';

/** Local time stands still until the clock is advanced, so that every run is reproducible. */
export class VirtualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  /** Moves forward only: schedules never fire into the past. */
  set(to: Date): void {
    if (to.getTime() > this.current.getTime()) this.current = new Date(to);
  }
}
