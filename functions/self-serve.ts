import type { SQSRecord } from 'aws-lambda';
import { setupStepSchema } from '#shared/domain/self-serve/setup.js';
import { logger } from '#shared/runtime/logger.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import { queueHandler } from '#shared/runtime/queue-handler.js';
import { awsSetupDeps } from '#shared/runtime/setup-deps.js';
import { runSetupStep, type SetupDeps } from '#shared/use-cases/self-serve/run-setup-step.js';

export { selfServeFromEnvironment } from '#shared/runtime/config.js';

/**
 * The self-serve setup by text: runs one setup step (a text handed over by the inbound function, a
 * nudge, a drop) per queue message; a failed one is reported back alone so SQS delivers it again.
 */
export function createSetupQueueHandler(deps: () => Promise<SetupDeps>) {
  return queueHandler(async (record: SQSRecord) => {
    const step = setupStepSchema.parse(JSON.parse(record.body));
    const outcome = await runSetupStep(await deps(), step);
    // The schedule name carries no number; the phone and the text are never logged.
    logger.info('setup step run', { scheduleName: step.scheduleName, kind: step.kind, outcome });
    return outcome;
  });
}

export const handler = withMetrics(createSetupQueueHandler(awsSetupDeps));
