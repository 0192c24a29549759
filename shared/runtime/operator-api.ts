import {
  composeStore,
  DynamoDbHistory,
  DynamoDbPartnerships,
  DynamoDbPeople,
  DynamoDbQuotas,
} from '#shared/adapters/dynamodb-store.js';
import type { QuotaStorePort } from '#shared/domain/ports.js';
import type { EnrollDeps } from '#shared/use-cases/enroll-partnership.js';
import { takeEnrollmentSlot } from '#shared/use-cases/safety-valves.js';
import { awsApiKey, awsClock, awsScheduler, awsStoreOf } from './aws-deps.js';
import { smsCountriesFromEnvironment } from './config.js';
import { type HttpEvent, jsonBody, requireApiKey } from './http.js';

/** The operator's API (POST /partnerships, GET /partnerships/{id}): what it needs, the API key included. */
export type EnrollHttpDeps = EnrollDeps & { apiKey: string; store: QuotaStorePort };

/** GET /partnerships/{id}: the id, once the API key is checked. */
export function operatorPathId(event: HttpEvent, deps: EnrollHttpDeps): string {
  requireApiKey(event, deps.apiKey);
  return event.pathParameters?.id ?? '';
}

/** POST /partnerships: the API key checked, then one of its enrollment slots this minute taken, then the body. */
export async function operatorEnrollment(event: HttpEvent, deps: EnrollHttpDeps): Promise<unknown> {
  requireApiKey(event, deps.apiKey);
  await takeEnrollmentSlot(deps.store, deps.apiKey, deps.clock.now());
  return jsonBody(event);
}

/** The enrollment function's store: enrolling's repositories, and the quota of the key's slots. */
const awsEnrollStore = /* @__PURE__ */ awsStoreOf(
  /* @__PURE__ */ composeStore([DynamoDbPartnerships, DynamoDbHistory, DynamoDbPeople, DynamoDbQuotas]),
);

/** The enrollment function's dependencies in AWS. */
export const awsEnrollDeps = async (): Promise<EnrollHttpDeps> => ({
  store: await awsEnrollStore(),
  scheduler: await awsScheduler(),
  clock: awsClock,
  apiKey: await awsApiKey(),
  ...smsCountriesFromEnvironment(),
});
