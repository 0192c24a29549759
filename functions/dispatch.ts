import { scheduledStepSchema } from '#shared/domain/scheduled-step.js';
import { sweepRequestSchema } from '#shared/domain/sweep.js';
import { logger } from '#shared/runtime/logger.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import * as sender from '#shared/runtime/send-queue.js';
import { stepStore } from '#shared/runtime/step-store.js';
import { type DispatchDeps, dispatchScheduledStep } from '#shared/use-cases/dispatch/index.js';
import { sweepCheckIns } from '#shared/use-cases/sweep-check-ins.js';

type Deps = () => Promise<DispatchDeps>;

/** Runs one due step (the body of one send-queue message). Errors propagate so the step is retried. */
export function createDispatchHandler(deps: Deps) {
  return async (event: unknown) => {
    // The hourly sweep shares the send queue with the steps: it restores missing check-in schedules.
    const sweep = sweepRequestSchema.safeParse(event);
    if (sweep.success) {
      const swept = await sweepCheckIns(await deps());
      logger.info('check-ins swept', { scheduledTime: sweep.data.scheduledTime, ...swept });
      return { outcome: 'swept' as const };
    }
    const step = scheduledStepSchema.parse(event);
    const outcome = await dispatchScheduledStep(stepStore(await deps()), step);
    const { scheduleName, scheduledTime } = step;
    logger.info('step dispatched', { scheduleName, scheduledTime, outcome });
    return { outcome };
  };
}

/** The sender: each send-queue message is one step, handed back alone if it fails (shared/runtime/send-queue.ts). */
export const createSendQueueHandler = (deps: Deps, options?: sender.SendQueueOptions) =>
  sender.sendQueueHandler(createDispatchHandler(deps), options);

export const handler = withMetrics(createSendQueueHandler(sender.awsDispatchDeps, sender.awsSenderOptions()));
