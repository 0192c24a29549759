import RestExceptionModule from 'twilio/lib/base/RestException.js';
import { UndeliverableError } from '#shared/domain/errors.js';
import type { OutboundSms, SmsPort } from '#shared/domain/ports.js';
import * as z from '#shared/domain/zod.js';
import { Pacer } from './pacer.js';

export interface TwilioSmsConfig {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164) or a Messaging Service SID (MG…). */
  from: string;
  /** Where Twilio's REST API lives; locally the Twilio-compatible SMS API on loopback. */
  apiBaseUrl?: string;
  /** Where Twilio posts delivery status callbacks, if anywhere. */
  statusCallbackUrl?: string;
  /**
   * The least time between the starts of two sends by this instance, in seconds. Each sender instance
   * keeps to it, so `n` instances never ask for more than `n / secondsBetweenSends` texts a second: the
   * provider's limit holds however fast its API answers (secondsBetweenSends in infra/config.ts).
   */
  secondsBetweenSends?: number;
  /**
   * How many sends this instance may start at once after a pause (default 1): the senders together run
   * at most a few seconds ahead of the provider's rate, and Twilio's queue takes the difference.
   */
  burst?: number;
  /** How the form reaches the API; {@link fetchTransport} unless given (the local stack passes the twilio package's). */
  transport?: TwilioTransport;
}

/** A POST of a form, or a GET, to Twilio's REST API with basic auth, retrying 429s: what the adapter needs of an HTTP client. */
export interface TwilioTransport {
  postForm(
    url: string,
    auth: { username: string; password: string },
    form: Record<string, string>,
  ): Promise<{ statusCode: number; body: string }>;
  /** A GET of `url` (its query included), as the package reads a list. */
  get(
    url: string,
    auth: { username: string; password: string },
  ): Promise<{ statusCode: number; body: string }>;
}

const TWILIO_API = 'https://api.twilio.com';
/**
 * Twilio's refusals that are permanent for that number (https://www.twilio.com/docs/errors/<code>): sending
 * again cannot help until something about the number changes. Every other refusal (429, 5xx, an
 * authentication failure during a rotation) is thrown as it is, so the step is retried.
 */
export const TWILIO_UNDELIVERABLE_CODES: Readonly<Record<number, string>> = {
  21211: "invalid 'To' number",
  21408: 'permission to send to this region not enabled',
  21610: 'the recipient opted out with Twilio (STOP to our number)',
  21612: 'Twilio cannot route to this number',
  21614: "'To' is not a mobile number",
};

/** Whether a Twilio error code is permanent for the recipient (see {@link TWILIO_UNDELIVERABLE_CODES}). */
export function isPermanentTwilioCode(code: unknown): code is number {
  return typeof code === 'number' && code in TWILIO_UNDELIVERABLE_CODES;
}

/** How often a 429 is retried before the send fails (and the queue redelivers the step, minutes later). */
export const TWILIO_429_RETRIES = 6;
/** The twilio package's backoff: full jitter over 100 ms × 2^n, at most 3 s (RequestClient). */
const backoffMs = (retry: number) => Math.floor(Math.random() * Math.min(3000, 100 * 2 ** retry));
/** The twilio package's default request timeout. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The Lambda's transport: Node's fetch, with the twilio package's retry policy for 429 (its RequestClient
 * brings axios, qs, form-data and mime-db: ≈ 360 KB of each bundle that texts; bench/results.md). The
 * request is the one the package sends: method, path, headers and form (test/integration/twilio-transport.test.ts).
 */
export function fetchTransport(retries = TWILIO_429_RETRIES): TwilioTransport {
  const request = async (url: string, auth: { username: string; password: string }, form?: object) => {
    for (let retry = 1; ; retry++) {
      const response = await fetch(url, {
        method: form ? 'POST' : 'GET',
        headers: {
          Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
          ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          Accept: 'application/json',
        },
        ...(form ? { body: new URLSearchParams({ ...form }).toString() } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await response.text();
      if (response.status !== 429 || retry > retries) return { statusCode: response.status, body };
      await new Promise((resolve) => setTimeout(resolve, backoffMs(retry)));
    }
  };
  return { postForm: request, get: (url, auth) => request(url, auth) };
}

/**
 * How much earlier than our `since` a text found by findSent may be stamped: Twilio's `date_created` has
 * whole seconds and Twilio's clock, ours the Lambda's.
 */
export const TWILIO_CLOCK_SKEW_SECONDS = 60;
/** Texts a page of findSent's look-up (Twilio's default is 50, its most 1,000). */
const LOOKUP_PAGE_SIZE = 50;

/** What findSent reads of a page of Twilio's Messages list (newest first); the rest is ignored. */
const messagePageSchema = /* @__PURE__ */ z.object({
  messages: /* @__PURE__ */ z.array(
    /* @__PURE__ */ z.object({
      sid: /* @__PURE__ */ z.string(),
      to: /* @__PURE__ */ z.string(),
      from: /* @__PURE__ */ z.nullable(z.string()),
      body: /* @__PURE__ */ z.string(),
      direction: /* @__PURE__ */ z.string(),
      date_created: /* @__PURE__ */ z.string(),
      messaging_service_sid: /* @__PURE__ */ z.optional(z.nullable(z.string())),
    }),
  ),
  next_page_uri: /* @__PURE__ */ z.optional(z.nullable(z.string())),
});

/** The package's error for a refused request (a CommonJS default export, seen through ESM). */
type RestExceptionClass = new (response: unknown) => Error;
const RestException: RestExceptionClass =
  (RestExceptionModule as unknown as { default?: RestExceptionClass }).default ??
  (RestExceptionModule as unknown as RestExceptionClass);

/**
 * Sends SMS with the request `client.messages.create` makes, and the `twilio` package's RestException for
 * refusals, without the package's generated REST client of every Twilio product (≈ 3 MB).
 */
export class TwilioSms implements SmsPort {
  private readonly base: string;
  private readonly url: string;
  private readonly transport: TwilioTransport;
  private readonly pacer: Pacer;

  constructor(private readonly config: TwilioSmsConfig) {
    this.base = (config.apiBaseUrl ?? TWILIO_API).replace(/\/$/, '');
    this.url = `${this.base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
    this.transport = config.transport ?? fetchTransport();
    this.pacer = new Pacer(config.secondsBetweenSends ?? 0, config.burst ?? 1);
  }

  async send(message: OutboundSms): Promise<{ sid: string }> {
    // Start to start, so the API's own time counts.
    await this.pacer.take();
    const sender: Record<string, string> = this.config.from.startsWith('MG')
      ? { MessagingServiceSid: this.config.from }
      : { From: this.config.from };
    const response = await this.transport.postForm(this.url, this.auth(), {
      To: message.to,
      Body: message.body,
      ...sender,
      ...(message.validitySeconds === undefined
        ? {}
        : { ValidityPeriod: String(Math.round(message.validitySeconds)) }),
      ...(this.config.statusCallbackUrl ? { StatusCallback: this.config.statusCallbackUrl } : {}),
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const refusal = new RestException(response) as Error & { code?: unknown };
      // Permanent for this number (21610 among them: the recipient texted STOP to our number, and Twilio
      // sends nothing until START): not retried; the use case records it on the member.
      if (isPermanentTwilioCode(refusal.code))
        throw new UndeliverableError('sms', String(refusal.code), 'recipient', refusal);
      throw refusal;
    }
    let sid: unknown;
    try {
      sid = (JSON.parse(response.body) as { sid?: unknown }).sid;
    } catch {
      sid = undefined;
    }
    if (typeof sid !== 'string' || !sid) throw new Error('Twilio accepted the message but returned no sid');
    return { sid };
  }

  /**
   * The list `client.messages.list({ to, from, limit })` reads (GET Messages.json?To=…&From=…&PageSize=…),
   * newest first, page after page while a page still reaches back to `since`: the first text sent through
   * the API with this body, created since then (less {@link TWILIO_CLOCK_SKEW_SECONDS}). Not filtered by
   * DateSent: a text still waiting in Twilio's queue has no date_sent yet. From a Messaging Service the
   * list is filtered by `To` only, and the service's SID is compared.
   */
  async findSent(message: { to: string; body: string; since: Date }): Promise<{ sid: string } | undefined> {
    const { from } = this.config;
    const service = from.startsWith('MG');
    const earliest = message.since.getTime() - TWILIO_CLOCK_SKEW_SECONDS * 1000;
    const query = new URLSearchParams({ To: message.to, ...(service ? {} : { From: from }) });
    query.set('PageSize', String(LOOKUP_PAGE_SIZE));
    let url: string | undefined = `${this.url}?${query}`;
    while (url) {
      const response = await this.transport.get(url, this.auth());
      if (response.statusCode < 200 || response.statusCode >= 300) throw new RestException(response);
      const page = messagePageSchema.parse(JSON.parse(response.body));
      const recent = page.messages.filter((each) => Date.parse(each.date_created) >= earliest);
      const sent = recent.find(
        (each) =>
          each.direction === 'outbound-api' &&
          each.to === message.to &&
          (service ? each.messaging_service_sid : each.from) === from &&
          each.body === message.body,
      );
      if (sent) return { sid: sent.sid };
      // Newest first: a page with older texts on it is the last that can hold one.
      url =
        recent.length === page.messages.length && page.next_page_uri
          ? this.base + page.next_page_uri
          : undefined;
    }
    return undefined;
  }

  private auth() {
    return { username: this.config.accountSid, password: this.config.authToken };
  }
}
