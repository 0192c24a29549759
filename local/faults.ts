import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Clock } from '#shared/domain/clock.js';
import type { FailureRule, InjectedFailure } from './twilio-api.js';

/**
 * Fault injection for the local stack (`POST /local/faults`): for a number of virtual minutes, the
 * Twilio-compatible API or the SES API refuses sends (to one recipient, or to everyone) exactly as the
 * real service answers: status, error code and body. Faults expire by the virtual clock.
 */

/** Twilio's codes for the statuses it refuses a send with, and the codes permanent for a number. */
const TWILIO_MESSAGES: Record<number, string> = {
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  20503: 'Service Unavailable',
  21211: "The 'To' number is not a valid phone number.",
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  21610: 'Attempt to send to unsubscribed recipient',
  21612: "The 'To' phone number is not currently reachable using the 'From' phone number via SMS.",
  21614: "'To' number is not a valid mobile number",
};
const TWILIO_DEFAULT_CODES: Record<number, number> = { 429: 20429, 500: 20500, 503: 20503 };

/** SES v2 SendEmail errors by name: the HTTP status SES answers with and its message. */
export const SES_ERRORS: Record<string, { status: number; message: string }> = {
  MessageRejected: {
    status: 400,
    message: 'Email address is not verified. The following identities failed the check in region LOCAL',
  },
  AccountSuspendedException: {
    status: 400,
    message: 'Your account has been suspended from sending email.',
  },
  SendingPausedException: {
    status: 400,
    message: 'Sending is paused for this account.',
  },
  MailFromDomainNotVerifiedException: {
    status: 400,
    message: 'The MAIL FROM domain is not verified.',
  },
  TooManyRequestsException: { status: 429, message: 'Maximum sending rate exceeded.' },
  InternalFailure: { status: 500, message: 'An internal error occurred.' },
  ServiceUnavailable: { status: 503, message: 'Service is unavailable. Try again later.' },
};
const SES_DEFAULT_CODES: Record<number, string> = {
  429: 'TooManyRequestsException',
  500: 'InternalFailure',
  503: 'ServiceUnavailable',
};

export const faultInputSchema = z
  .object({
    service: z.enum(['sms', 'email']),
    to: z.string().min(3).max(320).optional(),
    status: z.union([z.literal(400), z.literal(429), z.literal(500), z.literal(503)], {
      message: 'must be 400, 429, 500 or 503',
    }),
    code: z.union([z.number().int(), z.string().min(1).max(64)]).optional(),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 400),
  })
  .strict()
  .superRefine((fault, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (fault.service === 'sms') {
      if (fault.to !== undefined && !/^\+[1-9]\d{6,14}$/.test(fault.to))
        issue('to', 'must be a phone number in E.164, e.g. +12125550101');
      if (
        fault.code !== undefined &&
        (typeof fault.code !== 'number' || fault.code < 10000 || fault.code > 99999)
      )
        issue('code', 'must be a Twilio error code (a 5-digit number), e.g. 21614');
      if (fault.code === undefined && fault.status === 400)
        issue('code', 'a 400 needs a Twilio error code, e.g. 21211, 21408, 21610, 21612 or 21614');
    } else {
      if (fault.to !== undefined && !z.email().safeParse(fault.to).success)
        issue('to', 'must be an email address');
      if (fault.code !== undefined) {
        const known = typeof fault.code === 'string' ? SES_ERRORS[fault.code] : undefined;
        if (!known) issue('code', `must be one of ${Object.keys(SES_ERRORS).join(', ')}`);
        else if (known.status !== fault.status)
          issue('status', `${String(fault.code)} is answered with ${known.status}`);
      }
      if (fault.code === undefined && fault.status === 400)
        issue('code', 'a 400 needs an SES error name, e.g. MessageRejected or SendingPausedException');
    }
  });
export type FaultInput = z.infer<typeof faultInputSchema>;

export interface Fault {
  id: string;
  service: 'sms' | 'email';
  /** The one recipient refused; absent: every send of the service. */
  to?: string;
  status: number;
  /** Twilio's error code, or SES's error name. */
  code: number | string;
  /** Virtual time the fault ends (exclusive). */
  until: string;
}

/** One send the fault layer refused, at virtual time `at`. */
export interface Refusal {
  service: 'sms' | 'email';
  to: string;
  status: number;
  code: number | string;
  at: string;
}

export class LocalFaults {
  private readonly faults: Fault[] = [];
  readonly refusals: Refusal[] = [];

  constructor(private readonly clock: Clock) {}

  add(input: FaultInput): Fault {
    const code =
      input.code ??
      (input.service === 'sms' ? TWILIO_DEFAULT_CODES[input.status] : SES_DEFAULT_CODES[input.status]) ??
      input.status;
    const fault: Fault = {
      id: randomUUID(),
      service: input.service,
      ...(input.to === undefined
        ? {}
        : { to: input.service === 'email' ? input.to.toLowerCase() : input.to }),
      status: input.status,
      code,
      until: new Date(this.clock.now().getTime() + input.minutes * 60_000).toISOString(),
    };
    this.faults.push(fault);
    return fault;
  }

  /** Ends every fault (refusals already made stay listed). */
  clear(): void {
    this.faults.length = 0;
  }

  /** The faults still in force at the current virtual time. */
  active(): Fault[] {
    const now = this.clock.now().toISOString();
    return this.faults.filter((fault) => fault.until > now);
  }

  /** The latest fault in force for a send of `service` to any of `to`, recording the refusal. */
  refuse(service: Fault['service'], to: readonly string[]): Fault | undefined {
    const wanted = to.map((each) => (service === 'email' ? each.toLowerCase() : each));
    const fault = this.active()
      .reverse()
      .find((each) => each.service === service && (each.to === undefined || wanted.includes(each.to)));
    if (fault)
      this.refusals.push({
        service,
        to: wanted.join(', '),
        status: fault.status,
        code: fault.code,
        at: this.clock.now().toISOString(),
      });
    return fault;
  }

  /** The local Twilio API's failure rule: refuses as Twilio does, with the fault's status and code. */
  readonly smsRule: FailureRule = ({ to }): InjectedFailure | undefined => {
    const fault = this.refuse('sms', [to]);
    if (!fault) return undefined;
    const code = Number(fault.code);
    return { status: fault.status, code, message: TWILIO_MESSAGES[code] ?? 'Error' };
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The SES v2 API's error answer (REST-JSON): the error type in `x-amzn-ErrorType`, the message in the body. */
function sesError(response: ServerResponse, name: string, to: readonly string[]) {
  const known = SES_ERRORS[name] ?? { status: 500, message: 'An internal error occurred.' };
  response.writeHead(known.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
    'x-amzn-requestid': randomUUID(),
  });
  const message = name === 'MessageRejected' ? `${known.message}: ${to.join(', ')}` : known.message;
  response.end(JSON.stringify({ message }));
}

/**
 * A loopback proxy in front of aws-ses-v2-local: a send (`POST /v2/email/outbound-emails`) that a fault
 * covers is answered with SES's error; every other request goes through unchanged. The SES v2 client of
 * the local stack talks to this proxy, so it sees the real error shapes (and retries as the SDK does).
 */
export async function startSesFaultProxy(
  faults: LocalFaults,
  upstream: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    proxy(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
    });
  });
  async function proxy(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request);
    const path = request.url ?? '/';
    if (request.method === 'POST' && path.split('?')[0] === '/v2/email/outbound-emails') {
      let to: string[] = [];
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: unknown } };
        const addresses = parsed.Destination?.ToAddresses;
        if (Array.isArray(addresses))
          to = addresses.filter((each): each is string => typeof each === 'string');
      } catch {
        // Not JSON: SES's own answer (a 400) comes from upstream.
      }
      const fault = faults.refuse('email', to);
      if (fault) return sesError(response, String(fault.code), to);
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))
        .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
    );
    const answer = await fetch(`${upstream}${path}`, {
      method: request.method ?? 'GET',
      headers,
      ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body }),
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    response.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    response.end(payload);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
