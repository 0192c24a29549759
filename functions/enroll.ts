import { NotFoundError } from '#shared/domain/errors.js';
import { awsApiKey, awsClock, awsScheduler, awsStore } from '#shared/runtime/aws-deps.js';
import { errorResponse, type HttpEvent, json, jsonBody, requireApiKey } from '#shared/runtime/http.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import { type EnrollDeps, enrollPartnership } from '#shared/use-cases/enroll-partnership.js';
import { takeEnrollmentSlot } from '#shared/use-cases/safety-valves.js';

/** SMS_COUNTRIES: the ISO codes we text, comma-separated (docs/deploy.md); unset, every country. */
const smsCountriesFromEnvironment = () => {
  const listed = process.env.SMS_COUNTRIES?.split(',')
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  return listed?.length ? { smsCountries: listed } : {};
};

export type EnrollHttpDeps = EnrollDeps & { apiKey: string };

/** POST /partnerships and GET /partnerships/{id}, behind the operator's API key. */
export function createEnrollHandler(deps: () => Promise<EnrollHttpDeps>) {
  return async (event: HttpEvent) => {
    try {
      const resolved = await deps();
      requireApiKey(event, resolved.apiKey);
      const id = event.pathParameters?.id;
      if (event.requestContext.http.method === 'GET' && id) {
        const view = await resolved.store.viewPartnership(id, resolved.clock.now());
        if (!view) throw new NotFoundError('Partnership');
        return json(200, view);
      }
      await takeEnrollmentSlot(resolved.store, resolved.apiKey, resolved.clock.now());
      const { partnership, members } = await enrollPartnership(resolved, jsonBody(event));
      return json(201, {
        ...partnership,
        members: members.map(({ id, name, status }) => ({ id, name, status })),
      });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export const handler = withMetrics(
  createEnrollHandler(async () => ({
    store: await awsStore(),
    scheduler: await awsScheduler(),
    clock: awsClock,
    apiKey: await awsApiKey(),
    ...smsCountriesFromEnvironment(),
  })),
);
