import {
  composeStore,
  DynamoDbClaims,
  DynamoDbHistory,
  DynamoDbPartnerships,
  DynamoDbPeople,
  DynamoDbQuotas,
} from '#shared/adapters/dynamodb-store.js';
import type { SetupDeps } from '#shared/use-cases/self-serve/run-setup-step.js';
import { awsClock, awsScheduler, awsSetupStore, awsStoreOf } from './aws-deps.js';
import { awsSms } from './aws-sms.js';
import { selfServeFromEnvironment, smsCountriesFromEnvironment } from './config.js';

/** The setup function's store: what a setup reads and writes beside its own item (SetupDeps). */
const awsSetupFunctionStore = /* @__PURE__ */ awsStoreOf(
  /* @__PURE__ */ composeStore([
    DynamoDbPartnerships,
    DynamoDbHistory,
    DynamoDbClaims,
    DynamoDbQuotas,
    DynamoDbPeople,
  ]),
);

/** The self-serve setup function's dependencies in AWS. */
export const awsSetupDeps = async (): Promise<SetupDeps> => ({
  store: await awsSetupFunctionStore(),
  setups: await awsSetupStore(),
  scheduler: await awsScheduler(),
  sms: await awsSms(),
  clock: awsClock,
  selfServe: selfServeFromEnvironment(),
  ...smsCountriesFromEnvironment(),
});
