import RestExceptionModule from 'twilio/lib/base/RestException.js';
import { UndeliverableError } from '#shared/domain/errors.js';
import type { OutboundSms, SmsPort } from '#shared/domain/ports.js';
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

/** One POST of a form to Twilio's REST API with basic auth, retrying 429s: what the adapter needs of an HTTP client. */
export interface TwilioTransport {
  postForm(
    url: string,
    auth: { username: string; password: string },
    form: Record<string, string>,
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
  return {
    async postForm(url, { username, password }, form) {
      for (let retry = 1; ; retry++) {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: new URLSearchParams(form).toString(),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const body = await response.text();
        if (response.status !== 429 || retry > retries) return { statusCode: response.status, body };
        await new Promise((resolve) => setTimeout(resolve, backoffMs(retry)));
      }
    },
  };
}

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
  private readonly url: string;
  private readonly transport: TwilioTransport;
  private readonly pacer: Pacer;

  constructor(private readonly config: TwilioSmsConfig) {
    const base = (config.apiBaseUrl ?? TWILIO_API).replace(/\/$/, '');
    this.url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
    this.transport = config.transport ?? fetchTransport();
    this.pacer = new Pacer(config.secondsBetweenSends ?? 0, config.burst ?? 1);
  }

  async send(message: OutboundSms): Promise<{ sid: string }> {
    // Start to start, so the API's own time counts.
    await this.pacer.take();
    const sender: Record<string, string> = this.config.from.startsWith('MG')
      ? { MessagingServiceSid: this.config.from }
      : { From: this.config.from };
    const response = await this.transport.postForm(
      this.url,
      { username: this.config.accountSid, password: this.config.authToken },
      {
        To: message.to,
        Body: message.body,
        ...sender,
        ...(message.validitySeconds === undefined
          ? {}
          : { ValidityPeriod: String(Math.round(message.validitySeconds)) }),
        ...(this.config.statusCallbackUrl ? { StatusCallback: this.config.statusCallbackUrl } : {}),
      },
    );
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
}
