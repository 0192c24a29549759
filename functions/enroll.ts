import { type HttpEvent, json } from '#shared/runtime/http.js';
import { httpHandler } from '#shared/runtime/http-handler.js';
import { withMetrics } from '#shared/runtime/metrics.js';
import * as operator from '#shared/runtime/operator-api.js';
import { enrolledView, enrollPartnership } from '#shared/use-cases/enroll-partnership.js';
import { viewPartnership } from '#shared/use-cases/view-partnership.js';

/** GET /partnerships/{id} and POST /partnerships, behind the operator's API key. */
export function createEnrollHandler(deps: () => Promise<operator.EnrollHttpDeps>) {
  const view = httpHandler(deps, {
    parse: operator.operatorPathId,
    run: viewPartnership,
    respond: (partnership) => json(200, partnership),
  });
  const enroll = httpHandler(deps, {
    parse: operator.operatorEnrollment,
    run: (resolved, body) => enrollPartnership(resolved, body),
    respond: (enrolled) => json(201, enrolledView(enrolled)),
  });
  return (event: HttpEvent) =>
    event.requestContext.http.method === 'GET' && event.pathParameters?.id ? view(event) : enroll(event);
}

export const handler = withMetrics(createEnrollHandler(operator.awsEnrollDeps));
