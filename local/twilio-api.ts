import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { Clock } from '#shared/domain/clock.js';

/**
 * Where a text is in Twilio's queue: `queued` when accepted, `sent` then `delivered` once it has left
 * (the local API delivers at once), `failed` when it never left (error 30036: its ValidityPeriod ran
 * out in the queue; 30001: a Messaging Service's queue overflowed).
 */
export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed';

export interface RecordedSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  /** When Twilio accepted it (virtual time): what the outbox has always meant. */
  at: string;
  direction: 'outbound-api' | 'outbound-reply';
  status: SmsStatus;
  /** When it left Twilio's queue; absent while queued and for a text that failed. */
  sentAt?: string;
  /** Twilio's error code of a failed text (30036, 30001). */
  errorCode?: number;
  /** The ValidityPeriod the send asked for, in seconds (Twilio's default: 36,000). */
  validityPeriod: number;
}

/** What the local Twilio account allows (Twilio's own limits, per sender and per account). */
export interface LocalTwilioLimits {
  /**
   * Message segments a second each sender ('From' number or Messaging Service) sends; texts above it
   * wait in the sender's queue. Default: no limit (every text leaves the moment it is accepted).
   */
  messagesPerSecond?: number;
  /**
   * Concurrent REST API requests the account may have in flight; above it Twilio answers 429 (20429).
   * Twilio does not publish a default; 100 is assumed here (it raises the limit on request).
   */
  maxConcurrentRequests?: number;
  /** How much of a sender's queue Twilio holds, in seconds of its rate (10 hours). */
  maxQueueSeconds?: number;
}

/** Twilio's bounds of a ValidityPeriod, in seconds; its default is the maximum. */
export const MAX_VALIDITY_PERIOD_SECONDS = 36_000;
/** The in-flight API requests the local account allows by default. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 100;
/** Twilio holds up to 10 hours of a sender's segments; past it a send is refused (21611). */
export const MAX_QUEUE_SECONDS = 36_000;

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

/** One GET of Messages.json as it arrived: its filters (what a test of the look-up reads). */
export interface ListRequest {
  to?: string;
  from?: string;
  at: string;
}

/** Twilio's default and largest page of a list. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * Twilio's DateSent filters (`DateSent`, `DateSent<`, `DateSent>`): a GMT day (`YYYY-MM-DD`, the whole day)
 * or an instant; a text without a date_sent (still queued, or failed) matches none of them.
 */
function dateSentFilter(query: URLSearchParams): (message: RecordedSms) => boolean {
  const bounds = (['DateSent', 'DateSent<', 'DateSent>'] as const).flatMap((name) => {
    const value = query.get(name);
    if (value === null) return [];
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const start = Date.parse(day ? `${value}T00:00:00Z` : value);
    const end = day ? start + 86_400_000 : start + 1000;
    return [{ name, start, end }];
  });
  return (message) =>
    bounds.every(({ name, start, end }) => {
      if (message.sentAt === undefined) return false;
      const sent = Date.parse(message.sentAt);
      if (name === 'DateSent<') return sent < end;
      if (name === 'DateSent>') return sent >= start;
      return sent >= start && sent < end;
    });
}

/** A recorded text in the JSON shape of Twilio's Message resource. */
function messageResource(message: RecordedSms, accountSid: string) {
  const service = message.from.startsWith('MG');
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: new Date(message.at).toUTCString(),
    date_sent: message.sentAt ? new Date(message.sentAt).toUTCString() : null,
    date_updated: new Date(message.sentAt ?? message.at).toUTCString(),
    direction: message.direction,
    error_code: message.errorCode ?? null,
    error_message: null,
    from: message.from,
    messaging_service_sid: service ? message.from : null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: {
      media: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}/Media.json`,
    },
    to: message.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
  };
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

/** A text's way through its sender's queue, planned when it is accepted (the queue is first in, first out). */
interface Plan {
  message: RecordedSms;
  /** When it leaves (ms, on the API's clock), or when it fails without leaving. */
  leavesAt?: number;
  failsAt?: number;
  failCode?: number;
  statusCallback?: string;
}

/**
 * A Twilio-compatible SMS API on loopback: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`
 * with basic auth, answered in Twilio's JSON shape, and `GET` of the same list, filtered and paged as
 * Twilio lists Messages. It records every message it is asked to send,
 * and the replies the webhook answered with in TwiML, as Twilio would deliver them.
 *
 * Like Twilio, it accepts texts above a sender's rate and queues them per sender ('From'): each leaves
 * 1 / messagesPerSecond after the one before it, on the API's clock (the virtual clock locally, so a run
 * is reproducible; a bench can hand it a clock that runs). A text still queued when its ValidityPeriod
 * has passed fails (30036) without taking its sender's turn; a sender already holding 10 hours of texts
 * refuses more (21611; inside a Messaging Service the text is accepted and fails, 30001). Its 429 means
 * too many concurrent requests, never too many a second. As each text leaves (or fails), the API posts
 * its delivery reports (`sent`, `delivered`; or `failed` with the ErrorCode) to the StatusCallback the
 * send named, signed as Twilio signs them: whenever {@link release} runs (every request to the API, and
 * the local clock driver after moving the clock).
 */
export class LocalTwilioApi {
  readonly messages: RecordedSms[] = [];
  /** Every send request, accepted or refused: the client's own retries show up here. */
  readonly attempts: SendAttempt[] = [];
  /** Every list request (GET Messages.json), with its filters. */
  readonly lists: ListRequest[] = [];
  private readonly injected: InjectedFailure[] = [];
  /** Numbers that texted an opt-out keyword (and no opt-in keyword since). */
  private readonly optedOut = new Set<string>();
  private rule: FailureRule | undefined;
  private server: Server | undefined;
  /** When each sender's queue is next free to send (ms on the API's clock). */
  private readonly nextFreeAt = new Map<string, number>();
  /** Texts not yet left or failed, in the order they will be released. */
  private pending: Plan[] = [];
  private inFlight = 0;
  /** Delivery reports posted and not yet answered. */
  private readonly reports = new Set<Promise<void>>();
  private limits: Required<LocalTwilioLimits>;

  constructor(
    private readonly options: { accountSid: string; authToken: string; clock: Clock } & LocalTwilioLimits,
  ) {
    this.limits = {
      messagesPerSecond: options.messagesPerSecond ?? Number.POSITIVE_INFINITY,
      maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
      maxQueueSeconds: options.maxQueueSeconds ?? MAX_QUEUE_SECONDS,
    };
  }

  /** Changes the account's limits from now on (texts already queued keep their turn). */
  configure(limits: LocalTwilioLimits): void {
    this.limits = { ...this.limits, ...limits };
  }

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

  /** Records a reply delivered from a TwiML <Message>: it waits in the same sender's queue. */
  recordReply(to: string, from: string, body: string): RecordedSms {
    const at = this.options.clock.now().getTime();
    // A reply past 10 hours of its sender's queue fails as an overflowing Messaging Service's would.
    const planned = this.plan(from, at, MAX_VALIDITY_PERIOD_SECONDS) ?? { failsAt: at, failCode: 30001 };
    const message = this.record(
      { to, from, body, direction: 'outbound-reply' },
      at,
      MAX_VALIDITY_PERIOD_SECONDS,
    );
    this.pending.push({ message, ...planned });
    this.release();
    return message;
  }

  /**
   * Moves every text whose time has come (on the API's clock) out of its queue: `sent` and `delivered`,
   * or `failed`; and posts the delivery reports of those that named a StatusCallback (not awaited, as
   * Twilio's are not: {@link reportsPosted} waits for them).
   */
  release(): void {
    const now = this.options.clock.now().getTime();
    const due = this.pending.filter((plan) => (plan.leavesAt ?? plan.failsAt ?? 0) <= now);
    if (due.length === 0) return;
    this.pending = this.pending.filter((plan) => (plan.leavesAt ?? plan.failsAt ?? 0) > now);
    due.sort((a, b) => (a.leavesAt ?? a.failsAt ?? 0) - (b.leavesAt ?? b.failsAt ?? 0));
    for (const plan of due) {
      const { message } = plan;
      if (plan.leavesAt !== undefined) {
        message.status = 'delivered';
        message.sentAt = new Date(plan.leavesAt).toISOString();
        this.report(plan, ['sent', 'delivered']);
      } else {
        message.status = 'failed';
        if (plan.failCode !== undefined) message.errorCode = plan.failCode;
        this.report(plan, ['failed']);
      }
    }
  }

  /** Resolves once every delivery report posted so far has been answered (or has failed). */
  async reportsPosted(): Promise<void> {
    while (this.reports.size > 0) await Promise.all([...this.reports]);
  }

  /** API requests being answered now (what Twilio's concurrency limit counts). */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Texts still waiting in their sender's queue. */
  get queued(): number {
    return this.pending.filter((plan) => plan.leavesAt !== undefined).length;
  }

  /**
   * A text's turn in its sender's queue, accepted at `at` (ms): it leaves when the sender is next free,
   * unless that is past its validity (it fails then, and the sender's turn goes to the next text).
   * Undefined when the sender's queue already holds more than maxQueueSeconds.
   */
  private plan(
    from: string,
    at: number,
    validitySeconds: number,
  ): { leavesAt: number } | { failsAt: number; failCode: number } | undefined {
    const interval = 1000 / this.limits.messagesPerSecond;
    const start = Math.max(at, this.nextFreeAt.get(from) ?? at);
    if (start - at > this.limits.maxQueueSeconds * 1000) return undefined;
    if (start - at > validitySeconds * 1000) return { failsAt: at + validitySeconds * 1000, failCode: 30036 };
    if (interval > 0) this.nextFreeAt.set(from, start + interval);
    return { leavesAt: start };
  }

  private record(
    message: Pick<RecordedSms, 'to' | 'from' | 'body' | 'direction'>,
    at: number,
    validityPeriod: number,
  ): RecordedSms {
    const recorded: RecordedSms = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      at: new Date(at).toISOString(),
      ...message,
      status: 'queued',
      validityPeriod,
    };
    this.messages.push(recorded);
    return recorded;
  }

  /** Posts a text's delivery reports in order, as Twilio would (unretried: Twilio does not retry them). */
  private report(plan: Plan, statuses: SmsStatus[]): void {
    const url = plan.statusCallback;
    if (!url) return;
    const { message } = plan;
    const posted = (async () => {
      for (const status of statuses) {
        const form: Record<string, string> = {
          AccountSid: this.options.accountSid,
          MessageSid: message.sid,
          SmsSid: message.sid,
          SmsStatus: status,
          MessageStatus: status,
          To: message.to,
          From: message.from,
          ApiVersion: '2010-04-01',
          ...(status === 'failed' && message.errorCode !== undefined
            ? { ErrorCode: String(message.errorCode) }
            : {}),
        };
        try {
          await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': getExpectedTwilioSignature(this.options.authToken, url, form),
            },
            body: new URLSearchParams(form).toString(),
          });
        } catch {
          // Twilio does not retry a report its webhook failed to take; neither does the local API.
        }
      }
    })();
    this.reports.add(posted);
    void posted.finally(() => this.reports.delete(posted));
  }

  /** Refuses a send as Twilio does (its error JSON, with the code's page), and notes the attempt. */
  private refuse(
    response: ServerResponse,
    attempt: { to: string; at: string },
    status: number,
    error: { code: number; message: string },
    headers: Record<string, string> = {},
  ) {
    this.attempts.push({ ...attempt, status });
    send(
      response,
      status,
      { ...error, more_info: `https://www.twilio.com/docs/errors/${error.code}`, status },
      headers,
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    this.release();
    // Twilio's 429 counts the account's requests in flight, not its requests a second.
    this.inFlight += 1;
    response.once('close', () => {
      this.inFlight -= 1;
    });
    if (this.inFlight > this.limits.maxConcurrentRequests) {
      const at = this.options.clock.now().toISOString();
      return this.refuse(response, { to: '', at }, 429, { code: 20429, message: 'Too Many Requests' });
    }
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
    if (request.method === 'GET') return send(response, 200, this.list(url));
    if (request.method !== 'POST')
      return send(response, 405, { code: 20004, message: 'Method not allowed', status: 405 });
    const form = new URLSearchParams(await readBody(request));
    const to = form.get('To');
    const body = form.get('Body');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    const now = this.options.clock.now().getTime();
    const at = new Date(now).toISOString();
    const injected = this.injected.shift() ?? this.ruledFailure(to ?? '', body ?? '');
    if (injected) {
      const known = injected.code
        ? { code: injected.code, message: injected.message ?? 'Error' }
        : (TWILIO_ERRORS[injected.status] ?? { code: 20000 + injected.status, message: 'Error' });
      return this.refuse(
        response,
        { to: to ?? '', at },
        injected.status,
        known,
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
      return this.refuse(response, { to, at }, 400, {
        code: 21610,
        message: 'Attempt to send to unsubscribed recipient',
      });
    }
    const validity = form.get('ValidityPeriod');
    const validityPeriod = validity === null ? MAX_VALIDITY_PERIOD_SECONDS : Number(validity);
    if (
      !Number.isInteger(validityPeriod) ||
      validityPeriod < 1 ||
      validityPeriod > MAX_VALIDITY_PERIOD_SECONDS
    ) {
      return this.refuse(response, { to, at }, 400, {
        code: 90007,
        message: 'Invalid validity period value: whole seconds from 1 to 36000',
      });
    }
    const inService = form.get('From') === null;
    const planned =
      this.plan(from, now, validityPeriod) ?? (inService ? { failsAt: now, failCode: 30001 } : undefined);
    if (!planned) {
      return this.refuse(response, { to, at }, 400, {
        code: 21611,
        message: "This 'From' number has exceeded the maximum number of queued messages",
      });
    }
    const recorded = this.record({ to, from, body, direction: 'outbound-api' }, now, validityPeriod);
    const statusCallback = form.get('StatusCallback');
    this.pending.push({ message: recorded, ...planned, ...(statusCallback ? { statusCallback } : {}) });
    this.attempts.push({ to, status: 201, at });
    // The Message resource, as Twilio answers a create (and lists it: the same shape).
    send(response, 201, messageResource(recorded, this.options.accountSid));
    // Below the sender's rate it leaves at once, so the outbox reads `delivered` when the 201 arrives.
    this.release();
  }

  /**
   * `GET Messages.json` as Twilio answers it: the account's texts filtered by `To`, `From` and the DateSent
   * filters, newest first (by date_created), a page of `PageSize` (`Page` counts from 0) with Twilio's
   * paging fields; each text in the Message resource's JSON shape.
   */
  private list(url: URL) {
    const query = url.searchParams;
    const to = query.get('To') ?? undefined;
    const from = query.get('From') ?? undefined;
    this.lists.push({
      ...(to ? { to } : {}),
      ...(from ? { from } : {}),
      at: this.options.clock.now().toISOString(),
    });
    const sent = dateSentFilter(query);
    const matching = this.messages
      .map((message, order) => ({ message, order }))
      .filter(
        ({ message }) => (!to || message.to === to) && (!from || message.from === from) && sent(message),
      )
      .sort((a, b) => Date.parse(b.message.at) - Date.parse(a.message.at) || b.order - a.order)
      .map(({ message }) => message);
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(query.get('PageSize')) || DEFAULT_PAGE_SIZE));
    const page = Math.max(0, Number(query.get('Page')) || 0);
    const start = page * size;
    const messages = matching.slice(start, start + size);
    const uriOf = (number: number) => {
      const paged = new URLSearchParams(query);
      paged.set('PageSize', String(size));
      paged.set('Page', String(number));
      if (number > 0) paged.set('PageToken', `PA${number * size}`);
      else paged.delete('PageToken');
      return `${url.pathname}?${paged}`;
    };
    return {
      first_page_uri: uriOf(0),
      end: start + Math.max(0, messages.length - 1),
      previous_page_uri: page > 0 ? uriOf(page - 1) : null,
      messages: messages.map((message) => messageResource(message, this.options.accountSid)),
      uri: uriOf(page),
      page_size: size,
      start,
      next_page_uri: start + size < matching.length ? uriOf(page + 1) : null,
      page,
    };
  }

  private ruledFailure(to: string, body: string): InjectedFailure | undefined {
    const failure = this.rule?.({ to, body });
    return failure === undefined ? undefined : asFailure(failure);
  }
}
