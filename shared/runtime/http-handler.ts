import { errorResponse, type HttpEvent, type HttpResult } from './http.js';
import { logger } from './logger.js';
import { type Metrics, MetricUnit } from './metrics.js';

/** The log line of one request: a message and ids and outcomes only (never a number, address or text). */
export type LogLine = readonly [message: string, fields: Record<string, unknown>];

/** One HTTP route: how its request is read, which use case it runs, and what it answers. */
export interface HttpRoute<D, I, O> {
  /** Authenticates and parses the request (zod); throws the domain errors that become 4xx answers. */
  parse(event: HttpEvent, deps: D): I | Promise<I>;
  run(deps: D, input: I): Promise<O>;
  respond(outcome: O, input: I): HttpResult;
  log?(outcome: O, input: I): LogLine;
  /** The business metrics this outcome counts, if any (one each). */
  metric?(outcome: O, input: I): string | readonly string[] | undefined;
}

/**
 * Where the deps count business metrics, if they do: in AWS the wiring passes `metrics`; the local stack
 * and the tests pass none, and nothing is counted.
 */
const metricsOf = (deps: { metrics?: Metrics }) => deps.metrics;

/**
 * A route's Lambda handler. The one place that sequences parse → use case → log line → metric →
 * answer, and turns domain errors into HTTP statuses (field-level issues for a 400); anything else
 * is logged and thrown, so the invocation counts as failed.
 */
export function httpHandler<D extends object, I, O>(
  deps: () => Promise<D>,
  route: HttpRoute<D, I, O>,
): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    try {
      const resolved = await deps();
      const input = await route.parse(event, resolved);
      const outcome = await route.run(resolved, input);
      const line = route.log?.(outcome, input);
      if (line) logger.info(...line);
      for (const metric of [route.metric?.(outcome, input) ?? []].flat())
        metricsOf(resolved)?.addMetric(metric, MetricUnit.Count, 1);
      return route.respond(outcome, input);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** One Lambda behind several routes: the handler whose path ends the request's path, else `otherwise`. */
export function byPath(
  routes: Readonly<Record<string, (event: HttpEvent) => Promise<HttpResult>>>,
  otherwise: (event: HttpEvent) => Promise<HttpResult>,
): (event: HttpEvent) => Promise<HttpResult> {
  return (event) => {
    const path = Object.keys(routes).find((each) => event.rawPath.endsWith(each));
    const route = path === undefined ? undefined : routes[path];
    return (route ?? otherwise)(event);
  };
}
