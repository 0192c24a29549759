import { scheduledStepSchema } from '#shared/domain/scheduled-step.js';
import { awsClock, awsScheduler, awsStore } from '#shared/runtime/aws-deps.js';
import { awsSms } from '#shared/runtime/aws-sms.js';
import { logger } from '#shared/runtime/logger.js';
import { type DispatchDeps, dispatchScheduledStep } from '#shared/use-cases/dispatch-scheduled-step.js';

/** Invoked by EventBridge Scheduler with the step as its input. Errors propagate so the platform retries. */
export function createDispatchHandler(deps: () => Promise<DispatchDeps>) {
  return async (event: unknown) => {
    const step = scheduledStepSchema.parse(event);
    const outcome = await dispatchScheduledStep(await deps(), step);
    logger.info('step dispatched', {
      scheduleName: step.scheduleName,
      scheduledTime: step.scheduledTime,
      outcome,
    });
    return { outcome };
  };
}

export const handler = createDispatchHandler(async () => ({
  store: await awsStore(),
  sms: await awsSms(),
  scheduler: await awsScheduler(),
  clock: awsClock,
}));
