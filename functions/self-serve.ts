import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { setupStepSchema } from '#shared/domain/self-serve/setup.js';
import { awsClock, awsScheduler, awsSetupStore, awsStore } from '#shared/runtime/aws-deps.js';
import { awsSms } from '#shared/runtime/aws-sms.js';
import { logger } from '#shared/runtime/logger.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import { runSetupStep, type SetupDeps } from '#shared/use-cases/self-serve/run-setup-step.js';

/**
 * The self-serve setup by text: runs one setup step (a text handed over by the inbound function, a
 * nudge, a drop) per queue message; a failed one is reported back alone so SQS delivers it again.
 */
export function createSetupQueueHandler(deps: () => Promise<SetupDeps>) {
  const runRecord = async (record: SQSRecord) => {
    const step = setupStepSchema.parse(JSON.parse(record.body));
    const outcome = await runSetupStep(await deps(), step);
    // The schedule name carries no number; the phone and the text are never logged.
    logger.info('setup step run', { scheduleName: step.scheduleName, kind: step.kind, outcome });
    return outcome;
  };
  return (event: SQSEvent, context?: Context) =>
    processPartialResponse(event, runRecord, new BatchProcessor(EventType.SQS), {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
      processInParallel: false,
    });
}

/** SELF_SERVE: "false" turns self-serve setup off (a stranger gets one polite line); on otherwise. */
export const selfServeFromEnvironment = (value = process.env.SELF_SERVE) =>
  value?.trim().toLowerCase() !== 'false';

/** SMS_COUNTRIES: the ISO codes we text, comma-separated, as for enrollment; unset, every country. */
const smsCountriesFromEnvironment = () => {
  const listed = process.env.SMS_COUNTRIES?.split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  return listed?.length ? { smsCountries: listed } : {};
};

export const handler = withMetrics(
  createSetupQueueHandler(async () => ({
    store: await awsStore(),
    setups: await awsSetupStore(),
    scheduler: await awsScheduler(),
    sms: await awsSms(),
    clock: awsClock,
    selfServe: selfServeFromEnvironment(),
    ...smsCountriesFromEnvironment(),
  })),
);
