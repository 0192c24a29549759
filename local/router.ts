import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { HttpEvent, HttpResult } from '#shared/runtime/http.js';
import type { LocalClockDriver } from './clock-driver.js';
import type { LocalTwilioApi } from './twilio-api.js';
import type { VirtualClock } from './virtual-clock.js';

type HttpHandler = (event: HttpEvent) => Promise<HttpResult>;

export interface LocalRouterDeps {
  enroll: HttpHandler;
  inboundSms: HttpHandler;
  inboundSmsPath: string;
  twilioApi: LocalTwilioApi;
  twilioNumber: string;
  sesUrl: string;
  /** Virtual send time per SES message id (aws-ses-v2-local stamps real time). */
  emailSentAt: ReadonlyMap<string, string>;
  clock: VirtualClock;
  clockDriver: LocalClockDriver;
}

const MAX_BODY_BYTES = 1_000_000;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The API Gateway HTTP API (payload v2) event that the same request would produce in AWS. */
export function toHttpApiEvent(
  request: IncomingMessage,
  url: URL,
  body: string,
  routeKey: string,
  pathParameters?: Record<string, string>,
): HttpEvent {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([key, value]) => [
      key.toLowerCase(),
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

function write(response: ServerResponse, result: HttpResult) {
  response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
  response.end(result.body ?? '');
}

function writeJson(response: ServerResponse, status: number, body: unknown) {
  write(response, {
    statusCode: status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const XML_ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&amp;': '&',
};

/** The texts of the <Message> elements of a TwiML answer. */
export function twimlMessages(twiml: string): string[] {
  return [...twiml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)].map((match) =>
    (match[1] ?? '').replace(/&(lt|gt|quot|apos|amp);/g, (entity) => XML_ENTITIES[entity] ?? entity),
  );
}

const advanceSchema = z.union([
  z
    .object({
      minutes: z
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 400),
    })
    .strict(),
  z.object({ to: z.iso.datetime({ offset: true }) }).strict(),
]);

interface SesStoreEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: Array<{ name: string; value: string }>;
  at: number;
}

/** Routes the local HTTP surface: the Lambda routes as API Gateway would, plus the /local/* helpers. */
export function createLocalRouter(deps: LocalRouterDeps) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';

    if (method === 'GET' && path === '/health') return writeJson(response, 200, { status: 'ok' });

    if (path === '/partnerships' && method === 'POST') {
      return write(
        response,
        await deps.enroll(toHttpApiEvent(request, url, await readBody(request), 'POST /partnerships')),
      );
    }
    const partnershipMatch = /^\/partnerships\/([^/]+)$/.exec(path);
    if (partnershipMatch?.[1] && method === 'GET') {
      const event = toHttpApiEvent(request, url, '', 'GET /partnerships/{id}', {
        id: decodeURIComponent(partnershipMatch[1]),
      });
      return write(response, await deps.enroll(event));
    }
    if (path === deps.inboundSmsPath && method === 'POST') {
      const body = await readBody(request);
      const result = await deps.inboundSms(toHttpApiEvent(request, url, body, `POST ${deps.inboundSmsPath}`));
      // Playing Twilio's part: a TwiML <Message> answer is delivered to whoever texted in.
      const from = new URLSearchParams(body).get('From');
      if (result.statusCode === 200 && from) {
        for (const text of twimlMessages(result.body ?? '')) {
          deps.twilioApi.recordReply(from, deps.twilioNumber, text);
        }
        // Scheduler fires a step due "now" at once; locally that means firing what is due before answering.
        await deps.clockDriver.advanceTo(deps.clock.now());
      }
      return write(response, result);
    }

    if (method === 'GET' && path === '/local/outbox') {
      const ses = (await (await fetch(`${deps.sesUrl}/store`)).json()) as { emails: SesStoreEmail[] };
      return writeJson(response, 200, {
        sms: deps.twilioApi.messages.map(({ to, from, body, sid, at }) => ({ to, from, body, sid, at })),
        email: ses.emails.map((email) => ({
          to: email.destination.to.join(', '),
          subject: email.subject,
          html: email.body.html ?? '',
          text: email.body.text ?? '',
          replyTo: email.replyTo?.[0] ?? null,
          headers: Object.fromEntries((email.headers ?? []).map((header) => [header.name, header.value])),
          at: deps.emailSentAt.get(email.messageId) ?? new Date(email.at * 1000).toISOString(),
        })),
      });
    }
    if (method === 'GET' && path === '/local/clock')
      return writeJson(response, 200, { now: deps.clock.now().toISOString() });
    if (method === 'POST' && path === '/local/clock/advance') {
      let parsedJson: unknown;
      try {
        parsedJson = JSON.parse((await readBody(request)) || '{}');
      } catch {
        return writeJson(response, 400, {
          error: 'The request has invalid fields',
          issues: [{ path: '', message: 'body must be valid JSON' }],
        });
      }
      const parsed = advanceSchema.safeParse(parsedJson);
      if (!parsed.success) {
        return writeJson(response, 400, {
          error: 'The request has invalid fields',
          issues: [{ path: '', message: 'send { "minutes": N } or { "to": "<ISO 8601 instant>" }' }],
        });
      }
      const target =
        'minutes' in parsed.data
          ? new Date(deps.clock.now().getTime() + parsed.data.minutes * 60_000)
          : new Date(parsed.data.to);
      if (target.getTime() < deps.clock.now().getTime()) {
        return writeJson(response, 400, {
          error: 'The request has invalid fields',
          issues: [{ path: 'to', message: 'must not be before the current virtual time' }],
        });
      }
      return writeJson(response, 200, await deps.clockDriver.advanceTo(target));
    }
    return writeJson(response, 404, { error: `No route for ${method} ${path}` });
  };
}
