import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '#shared/domain/clock.js';

export interface RecordedSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  at: string;
  direction: 'outbound-api' | 'outbound-reply';
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** A refusal the local API answers a send with instead of accepting it, as Twilio would shape it. */
export interface InjectedFailure {
  /** 429 (Too Many Requests), 500, 503 … */
  status: number;
  /** Sent as a `Retry-After` header (the `twilio` client's retry does not read it). */
  retryAfterSeconds?: number;
  /** Twilio's error code and message (e.g. 21614); by default the one Twilio gives for the status. */
  code?: number;
  message?: string;
}

/** Decides, for one send, whether to refuse it; undefined lets it through. */
export type FailureRule = (message: { to: string; body: string }) => number | InjectedFailure | undefined;

/** One POST to Messages.json as it arrived, with the status it was answered with. */
export interface SendAttempt {
  to: string;
  status: number;
  at: string;
}

/** Twilio's error codes for the statuses it refuses a send with (https://www.twilio.com/docs/errors). */
const TWILIO_ERRORS: Record<number, { code: number; message: string }> = {
  429: { code: 20429, message: 'Too Many Requests' },
  500: { code: 20500, message: 'Internal Server Error' },
  503: { code: 20503, message: 'Service Unavailable' },
};

/**
 * Twilio's own opt-out handling (Advanced Opt-Out's defaults): a single keyword texted in stops every later
 * send to that number from us (error 21610) until an opt-in keyword, whatever our webhook does with it.
 */
const OPT_OUT_KEYWORDS = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);
const OPT_IN_KEYWORDS = new Set(['START', 'YES', 'UNSTOP']);

const asFailure = (failure: number | InjectedFailure): InjectedFailure =>
  typeof failure === 'number' ? { status: failure } : failure;

/**
 * A Twilio-compatible SMS API on loopback: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
 * with basic auth, answered in Twilio's JSON shape. It records every message it is asked to send,
 * and the replies the webhook answered with in TwiML, as Twilio would deliver them.
 */
export class LocalTwilioApi {
  readonly messages: RecordedSms[] = [];
  /** Every send request, accepted or refused: the client's own retries show up here. */
  readonly attempts: SendAttempt[] = [];
  private readonly injected: InjectedFailure[] = [];
  /** Numbers that texted an opt-out keyword (and no opt-in keyword since). */
  private readonly optedOut = new Set<string>();
  private rule: FailureRule | undefined;
  private server: Server | undefined;

  constructor(private readonly options: { accountSid: string; authToken: string; clock: Clock }) {}

  async listen(port = 0): Promise<number> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        send(response, 500, {
          code: 20500,
          message: error instanceof Error ? error.message : 'Internal error',
          status: 500,
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Fault injection: the next sends (one per status, in order) are refused with Twilio's error for
   * that status, e.g. `injectFailures(429, 429)` makes the next two POSTs answer 429 (code 20429).
   */
  injectFailures(...failures: Array<number | InjectedFailure>): void {
    this.injected.push(...failures.map(asFailure));
  }

  /** Fault injection: a standing rule consulted for every send after the queued failures; undefined ends it. */
  failWhen(rule: FailureRule | undefined): void {
    this.rule = rule;
  }

  /** Ends all fault injection: queued failures and the standing rule. */
  clearFailures(): void {
    this.injected.length = 0;
    this.rule = undefined;
  }

  /** A text from a member reaching Twilio, before Twilio forwards it to the webhook: keywords apply first. */
  received(from: string, body: string): void {
    const keyword = body.trim().toUpperCase();
    if (OPT_OUT_KEYWORDS.has(keyword)) this.optedOut.add(from);
    if (OPT_IN_KEYWORDS.has(keyword)) this.optedOut.delete(from);
  }

  /** Records a reply delivered from a TwiML <Message>. */
  recordReply(to: string, from: string, body: string): RecordedSms {
    return this.record({ to, from, body, direction: 'outbound-reply' });
  }

  private record(message: Omit<RecordedSms, 'sid' | 'at'>): RecordedSms {
    const recorded = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      at: this.options.clock.now().toISOString(),
      ...message,
    };
    this.messages.push(recorded);
    return recorded;
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (!match)
      return send(response, 404, {
        code: 20404,
        message: 'The requested resource was not found',
        status: 404,
      });
    const expected = `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected || match[1] !== this.options.accountSid) {
      return send(response, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    if (request.method === 'GET') return send(response, 200, { messages: this.messages });
    if (request.method !== 'POST')
      return send(response, 405, { code: 20004, message: 'Method not allowed', status: 405 });
    const form = new URLSearchParams(await readBody(request));
    const to = form.get('To');
    const body = form.get('Body');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    const at = this.options.clock.now().toISOString();
    const injected = this.injected.shift() ?? this.ruledFailure(to ?? '', body ?? '');
    if (injected) {
      this.attempts.push({ to: to ?? '', status: injected.status, at });
      const known = injected.code
        ? { code: injected.code, message: injected.message ?? 'Error' }
        : (TWILIO_ERRORS[injected.status] ?? { code: 20000 + injected.status, message: 'Error' });
      return send(
        response,
        injected.status,
        {
          ...known,
          more_info: `https://www.twilio.com/docs/errors/${known.code}`,
          status: injected.status,
        },
        injected.retryAfterSeconds === undefined ? {} : { 'retry-after': String(injected.retryAfterSeconds) },
      );
    }
    if (!to || !body || !from) {
      this.attempts.push({ to: to ?? '', status: 400, at });
      return send(response, 400, {
        code: 21604,
        message: "A 'To', 'From' and 'Body' are required",
        status: 400,
      });
    }
    if (this.optedOut.has(to)) {
      this.attempts.push({ to, status: 400, at });
      return send(response, 400, {
        code: 21610,
        message: 'Attempt to send to unsubscribed recipient',
        more_info: 'https://www.twilio.com/docs/errors/21610',
        status: 400,
      });
    }
    const recorded = this.record({ to, from, body, direction: 'outbound-api' });
    this.attempts.push({ to, status: 201, at });
    send(response, 201, {
      sid: recorded.sid,
      account_sid: this.options.accountSid,
      to,
      from,
      body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      date_created: new Date(recorded.at).toUTCString(),
      uri: `/2010-04-01/Accounts/${this.options.accountSid}/Messages/${recorded.sid}.json`,
    });
  }

  private ruledFailure(to: string, body: string): InjectedFailure | undefined {
    const failure = this.rule?.({ to, body });
    return failure === undefined ? undefined : asFailure(failure);
  }
}
