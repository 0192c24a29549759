import type { DynamoDbLocalScheduler } from '#shared/adapters/dynamodb-local-scheduler.js';
import { logger } from '#shared/runtime/logger.js';
import type { VirtualClock } from './virtual-clock.js';

export interface Fired {
  name: string;
  at: string;
  outcome: string;
}

/** How many times the local scheduler delivers a failing step before dead-lettering it (as Scheduler's retry policy). */
const MAX_ATTEMPTS = 3;

/**
 * Moves the virtual clock and fires, in due order, every schedule due on the way, through the
 * same dispatch handler EventBridge Scheduler invokes. Advances run one at a time.
 */
export class LocalClockDriver {
  readonly deadLetters: Array<{ name: string; payload: string; reason: string }> = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: VirtualClock,
    private readonly scheduler: DynamoDbLocalScheduler,
    private readonly dispatch: (event: unknown) => Promise<{ outcome: string }>,
  ) {}

  advanceTo(target: Date): Promise<{ now: string; fired: Fired[] }> {
    const run = this.queue.then(() => this.run(target));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(target: Date): Promise<{ now: string; fired: Fired[] }> {
    const fired: Fired[] = [];
    for (;;) {
      const [next] = await this.scheduler.due(target, 1);
      if (!next) break;
      this.clock.set(new Date(next.dueAt));
      fired.push({ name: next.name, at: this.clock.now().toISOString(), outcome: await this.deliver(next) });
      await this.scheduler.remove(next.name);
    }
    this.clock.set(target);
    return { now: this.clock.now().toISOString(), fired };
  }

  private async deliver(schedule: { name: string; payload: string }): Promise<string> {
    let reason = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        return (await this.dispatch(JSON.parse(schedule.payload))).outcome;
      } catch (error) {
        reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        logger.warn('scheduled step failed', { scheduleName: schedule.name, attempt, reason });
      }
    }
    this.deadLetters.push({ ...schedule, reason });
    return 'dead_lettered';
  }
}
