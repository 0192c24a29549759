import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from '#shared/domain/errors.js';
import { logger } from './logger.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The raw request body as text (API Gateway may base64-encode it). */
export function bodyText(event: HttpEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Parses a JSON body, turning malformed JSON into a field-level 400. */
export function jsonBody(event: HttpEvent): unknown {
  try {
    return JSON.parse(bodyText(event) || 'null');
  } catch {
    throw new ValidationError([{ path: '', message: 'body must be valid JSON' }]);
  }
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1];
}

/** Checks `Authorization: Bearer <key>` in constant time. */
export function requireApiKey(event: HttpEvent, apiKey: string): void {
  const given = Buffer.from(header(event, 'authorization')?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(apiKey);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedError();
}

/** The one place where domain errors become HTTP statuses. */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof ValidationError) return json(400, { error: error.message, issues: error.issues });
  if (error instanceof UnauthorizedError) return json(401, { error: error.message });
  if (error instanceof ForbiddenError) return json(403, { error: error.message });
  if (error instanceof NotFoundError) return json(404, { error: error.message });
  if (error instanceof ConflictError) return json(409, { error: error.message, issues: error.issues });
  if (error instanceof RateLimitedError) {
    const response = json(429, { error: error.message });
    return { ...response, headers: { ...response.headers, 'retry-after': String(error.retryAfterSeconds) } };
  }
  logger.error('unhandled error', {
    error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
  });
  throw error;
}
