import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { FileRawMail } from '#shared/adapters/file-raw-mail.js';
import { ROUTES } from '#shared/contract.js';
import type { HttpEvent, HttpResult } from '#shared/runtime/http.js';
import type { LocalClockDriver } from './clock-driver.js';
import { faultInputSchema, type LocalFaults } from './faults.js';
import type { LocalSimulator } from './simulator/routes.js';
import type { LocalTwilioApi } from './twilio-api.js';
import type { VirtualClock } from './virtual-clock.js';

type HttpHandler = (event: HttpEvent) => Promise<HttpResult>;

export interface LocalRouterDeps {
  enroll: HttpHandler;
  inboundSms: HttpHandler;
  inboundSmsPath: string;
  /** The SES receipt rule's Lambda action, and the folder standing in for its S3 action's bucket. */
  inboundEmail: (event: unknown) => Promise<{ outcomes: unknown[] }>;
  rawMail: FileRawMail;
  /** SNS → the bounce and complaint handler. */
  emailEvents: (event: SNSEvent) => Promise<{ outcomes: unknown[] }>;
  emailLinks: HttpHandler;
  twilioApi: LocalTwilioApi;
  twilioNumber: string;
  sesUrl: string;
  /** Virtual send time per SES message id (aws-ses-v2-local stamps real time). */
  emailSentAt: ReadonlyMap<string, string>;
  clock: VirtualClock;
  clockDriver: LocalClockDriver;
  /** Fault injection into the local Twilio and SES APIs (`/local/faults`). */
  faults?: LocalFaults;
  /** Pending schedules, listed and deleted from outside as `aws scheduler list-schedules/delete-schedule` would. */
  schedules?: {
    pending(): Promise<Array<{ name: string; dueAt: string }>>;
    remove(name: string): Promise<void>;
  };
  /** The browser simulator at `/` and its `/local/simulator/*` routes. */
  simulator?: LocalSimulator;
}

const MAX_BODY_BYTES = 1_000_000;

async function readBytes(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBytes(request)).toString('utf8');
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

/** `<route>/<one segment>` (a path parameter, as API Gateway's `{id}`): the match, the segment at [1]. */
const pathParameter = (route: string, path: string) =>
  path.startsWith(`${route}/`) ? /^\/([^/]+)$/.exec(path.slice(route.length)) : null;

/** Routes the local HTTP surface: the Lambda routes as API Gateway would, plus the /local/* helpers. */
export function createLocalRouter(deps: LocalRouterDeps) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';

    if (method === 'GET' && path === ROUTES.health) return writeJson(response, 200, { status: 'ok' });

    if (path === ROUTES.partnerships && method === 'POST') {
      const result = await deps.enroll(
        toHttpApiEvent(request, url, await readBody(request), `POST ${ROUTES.partnerships}`),
      );
      // The invitations are steps due now: in AWS the send queue has them a moment later; locally they go
      // out before we answer, so the outbox holds them when the 201 arrives.
      await deps.clockDriver.advanceTo(deps.clock.now());
      deps.simulator?.enrolled(result.statusCode ?? 200, result.body ?? '');
      return write(response, result);
    }
    const partnershipMatch = pathParameter(ROUTES.partnerships, path);
    if (partnershipMatch?.[1] && method === 'GET') {
      const event = toHttpApiEvent(request, url, '', `GET ${ROUTES.partnerships}/{id}`, {
        id: decodeURIComponent(partnershipMatch[1]),
      });
      return write(response, await deps.enroll(event));
    }
    if (path === deps.inboundSmsPath && method === 'POST') {
      const body = await readBody(request);
      const form = new URLSearchParams(body);
      // Twilio sees the text first: an opt-out keyword stops its sends before our webhook even runs.
      deps.twilioApi.received(form.get('From') ?? '', form.get('Body') ?? '');
      const received = deps.simulator?.receiveText(form);
      const result = await deps.inboundSms(toHttpApiEvent(request, url, body, `POST ${deps.inboundSmsPath}`));
      received?.(result.statusCode ?? 200);
      // Playing Twilio's part: a TwiML <Message> answer is delivered to whoever texted in.
      const from = form.get('From');
      if (result.statusCode === 200 && from) {
        for (const text of twimlMessages(result.body ?? '')) {
          deps.twilioApi.recordReply(from, deps.twilioNumber, text);
        }
        // Scheduler fires a step due "now" at once; locally that means firing what is due before answering.
        await deps.clockDriver.advanceTo(deps.clock.now());
      }
      return write(response, result);
    }

    if (
      (path === ROUTES.emailUnsubscribe || path === ROUTES.emailResubscribe || path === ROUTES.emailAction) &&
      (method === 'GET' || method === 'POST')
    ) {
      const body = method === 'POST' ? await readBody(request) : '';
      const result = await deps.emailLinks(toHttpApiEvent(request, url, body, `${method} ${path}`));
      // A button's choice (Continue, Tweak), an unsubscribe: what it made due now goes out before we
      // answer, as the send queue would deliver it in AWS; so does every route below.
      await deps.clockDriver.advanceTo(deps.clock.now());
      return write(response, result);
    }
    const charterMatch = pathParameter(ROUTES.charter, path);
    if (charterMatch?.[1] && method === 'GET') {
      const event = toHttpApiEvent(request, url, '', `GET ${ROUTES.charter}/{token}`, {
        token: decodeURIComponent(charterMatch[1]),
      });
      const result = await deps.emailLinks(event);
      await deps.clockDriver.advanceTo(deps.clock.now());
      return write(response, result);
    }
    if (method === 'POST' && path === '/local/inbound-email')
      return inboundEmail(deps, request, url, response);
    if (method === 'POST' && path === '/local/email-events') {
      let sesEvent: unknown;
      try {
        sesEvent = JSON.parse(await readBody(request));
      } catch {
        return writeJson(response, 400, badRequest('', 'body must be the SES event as JSON'));
      }
      const result = await deps.emailEvents(snsEvent(JSON.stringify(sesEvent)));
      await deps.clockDriver.advanceTo(deps.clock.now());
      return writeJson(response, 200, result);
    }

    if (path === ROUTES.twilioStatus && method === 'POST') {
      const body = await readBody(request);
      const result = await deps.inboundSms(toHttpApiEvent(request, url, body, `POST ${ROUTES.twilioStatus}`));
      await deps.clockDriver.advanceTo(deps.clock.now());
      return write(response, result);
    }

    if (method === 'GET' && path === '/local/outbox') {
      const ses = (await (await fetch(`${deps.sesUrl}/store`)).json()) as { emails: SesStoreEmail[] };
      // Every text Twilio accepted (`at`), with where its queue has it now: `status`, and `sentAt` once it left.
      deps.twilioApi.release();
      return writeJson(response, 200, {
        sms: deps.twilioApi.messages.map(
          ({ to, from, body, sid, at, direction, status, sentAt, errorCode }) => ({
            to,
            from,
            body,
            sid,
            at,
            direction,
            status,
            sentAt: sentAt ?? null,
            ...(errorCode === undefined ? {} : { errorCode }),
          }),
        ),
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
    if (deps.schedules && method === 'GET' && path === '/local/schedules') {
      const pending = await deps.schedules.pending();
      return writeJson(response, 200, {
        schedules: pending.sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
        sweeps: deps.clockDriver.sweeps,
      });
    }
    const scheduleName = /^\/local\/schedules\/([A-Za-z0-9_.-]{1,64})$/.exec(path)?.[1];
    if (deps.schedules && method === 'DELETE' && scheduleName) {
      // As DeleteSchedule: what is gone is gone; deleting it again is no error here (AWS answers 404).
      await deps.schedules.remove(scheduleName);
      return write(response, { statusCode: 204 });
    }
    if (deps.faults && path === '/local/faults') return faultsRoute(deps.faults, method, request, response);
    if (method === 'GET' && path === '/local/dead-letters')
      return writeJson(response, 200, {
        deadLetters: deps.clockDriver.deadLetters.map(({ name, payload, reason }) => ({
          name,
          step: JSON.parse(payload) as unknown,
          reason,
        })),
      });
    if (method === 'POST' && path === '/local/dead-letters/redrive')
      return writeJson(response, 200, { fired: await deps.clockDriver.redrive() });
    if (await deps.simulator?.handle(method, path, url, response)) return;
    return writeJson(response, 404, { error: `No route for ${method} ${path}` });
  };
}

/** `/local/faults`: POST adds a fault (201), GET lists those in force and every refusal, DELETE ends them all. */
async function faultsRoute(
  faults: LocalFaults,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
) {
  if (method === 'GET')
    return writeJson(response, 200, { faults: faults.active(), refusals: faults.refusals });
  if (method === 'DELETE') {
    faults.clear();
    return write(response, { statusCode: 204 });
  }
  if (method !== 'POST') return writeJson(response, 405, { error: `No route for ${method} /local/faults` });
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    return writeJson(response, 400, badRequest('', 'body must be valid JSON'));
  }
  const parsed = faultInputSchema.safeParse(body);
  if (!parsed.success)
    return writeJson(response, 400, {
      error: 'The request has invalid fields',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  return writeJson(response, 201, faults.add(parsed.data));
}

const badRequest = (path: string, message: string) => ({
  error: 'The request has invalid fields',
  issues: [{ path, message }],
});

const verdictSchema = z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED']).default('PASS');
const inboundEmailQuerySchema = z.object({
  /** Replays a message under the same SES message id (SES may deliver twice). */
  messageId: z
    .string()
    .regex(/^[a-z0-9]{8,64}$/, { message: 'must be 8 to 64 lower-case letters and digits' })
    .optional(),
  spf: verdictSchema,
  dkim: verdictSchema,
  dmarc: verdictSchema,
  spam: verdictSchema,
  virus: verdictSchema,
});

/** Raw messages SES accepts are at most 40 MB; locally 10 MB is plenty. */
const MAX_EMAIL_BYTES = 10_000_000;

/**
 * POST /local/inbound-email: plays SES receiving a reply. The raw RFC 822 message is written where
 * the receipt rule's S3 action would put it, then the inbound handler gets the Lambda action's event,
 * with verdicts from the query (PASS unless told otherwise) and, as envelope recipients, the reply+
 * addresses the message names (a mail client sends a reply to exactly those).
 */
async function inboundEmail(
  deps: LocalRouterDeps,
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
) {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'message/rfc822')
    return writeJson(
      response,
      415,
      badRequest('content-type', 'send the raw email as Content-Type: message/rfc822'),
    );
  const query = inboundEmailQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success)
    return writeJson(response, 400, {
      error: 'The request has invalid fields',
      issues: query.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  const raw = await readBytes(request, MAX_EMAIL_BYTES);
  if (raw.length === 0)
    return writeJson(response, 400, badRequest('body', 'is empty: send a raw RFC 822 message'));
  const messageId = query.data.messageId ?? randomBytes(20).toString('hex');
  await deps.rawMail.put(messageId, raw);
  const recipients = [
    ...raw
      .subarray(0, 64_000)
      .toString('utf8')
      .matchAll(/[\w.+-]+@[\w.-]+/g),
  ]
    .map((match) => match[0].toLowerCase())
    .filter((address) => address.startsWith('reply+'));
  const verdict = (status: string) => ({ status });
  const result = await deps.inboundEmail({
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { messageId, timestamp: deps.clock.now().toISOString() },
          receipt: {
            recipients: [...new Set(recipients)],
            spfVerdict: verdict(query.data.spf),
            dkimVerdict: verdict(query.data.dkim),
            dmarcVerdict: verdict(query.data.dmarc),
            spamVerdict: verdict(query.data.spam),
            virusVerdict: verdict(query.data.virus),
            action: { type: 'Lambda', invocationType: 'Event' },
          },
        },
      },
    ],
  });
  // Anything the reply scheduled for "now" goes out before we answer, as after a text.
  await deps.clockDriver.advanceTo(deps.clock.now());
  return writeJson(response, 202, { messageId, outcome: result.outcomes[0] });
}

/** The SNS notification that carries one SES event to the email events handler. */
function snsEvent(message: string): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:local:000000000000:soft-partner-local-email-events:local',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: 'arn:aws:sns:local:000000000000:soft-partner-local-email-events',
          Subject: '',
          Message: message,
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}
