import RequestClient from 'twilio/lib/base/RequestClient.js';
import RestExceptionModule from 'twilio/lib/base/RestException.js';
import type { OutboundSms, SmsPort } from '../domain/ports.js';

export interface TwilioSmsConfig {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164) or a Messaging Service SID (MG…). */
  from: string;
  /** Where Twilio's REST API lives; locally the Twilio-compatible SMS API on loopback. */
  apiBaseUrl?: string;
  /** Where Twilio posts delivery status callbacks, if anywhere. */
  statusCallbackUrl?: string;
}

const TWILIO_API = 'https://api.twilio.com';

/** The package's error for a refused request (a CommonJS default export, seen through ESM). */
type RestExceptionClass = new (response: unknown) => Error;
const RestException: RestExceptionClass =
  (RestExceptionModule as unknown as { default?: RestExceptionClass }).default ??
  (RestExceptionModule as unknown as RestExceptionClass);

/**
 * Sends SMS through the `twilio` package's own HTTP client (its RequestClient: authentication, form
 * encoding, and retries with backoff and jitter on 429) and its RestException for refusals, without
 * the generated REST client of every Twilio product: that would add ≈ 3 MB to each Lambda that texts
 * (bench/results.md). The request is the one `client.messages.create` makes.
 */
export class TwilioSms implements SmsPort {
  private readonly http = new RequestClient({ autoRetry: true, maxRetries: 3 });
  private readonly url: string;

  constructor(private readonly config: TwilioSmsConfig) {
    const base = (config.apiBaseUrl ?? TWILIO_API).replace(/\/$/, '');
    this.url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  }

  async send(message: OutboundSms): Promise<{ sid: string }> {
    const sender = this.config.from.startsWith('MG')
      ? { MessagingServiceSid: this.config.from }
      : { From: this.config.from };
    const response = await this.http.request({
      method: 'post',
      uri: this.url,
      username: this.config.accountSid,
      password: this.config.authToken,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      data: {
        To: message.to,
        Body: message.body,
        ...sender,
        ...(this.config.statusCallbackUrl ? { StatusCallback: this.config.statusCallbackUrl } : {}),
      },
    });
    if (response.statusCode < 200 || response.statusCode >= 300) throw new RestException(response);
    const body = (typeof response.body === 'string' ? JSON.parse(response.body) : response.body) as {
      sid?: string;
    };
    if (!body?.sid) throw new Error('Twilio accepted the message but returned no sid');
    return { sid: body.sid };
  }
}
