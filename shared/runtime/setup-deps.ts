import type { SetupDeps } from '#shared/use-cases/self-serve/run-setup-step.js';
import { awsClock, awsScheduler, awsSetupStore, awsStore } from './aws-deps.js';
import { awsSms } from './aws-sms.js';
import { selfServeFromEnvironment, smsCountriesFromEnvironment } from './config.js';

/** The self-serve setup function's dependencies in AWS. */
export const awsSetupDeps = async (): Promise<SetupDeps> => ({
  store: await awsStore(),
  setups: await awsSetupStore(),
  scheduler: await awsScheduler(),
  sms: await awsSms(),
  clock: awsClock,
  selfServe: selfServeFromEnvironment(),
  ...smsCountriesFromEnvironment(),
});
