import RequestClient from 'twilio/lib/base/RequestClient.js';
import Twilio from 'twilio/lib/rest/Twilio.js';
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

/** The twilio package's own HTTP client, pointed at another host when one is configured. */
class RebasedRequestClient extends RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ autoRetry: true, maxRetries: 3 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API)
      ? this.baseUrl.replace(/\/$/, '') + opts.uri.slice(TWILIO_API.length)
      : opts.uri;
    return super.request({ ...opts, uri });
  }
}

/** Sends SMS through the `twilio` package. */
export class TwilioSms implements SmsPort {
  private readonly client: Twilio;

  constructor(private readonly config: TwilioSmsConfig) {
    const httpClient =
      config.apiBaseUrl && config.apiBaseUrl !== TWILIO_API
        ? new RebasedRequestClient(config.apiBaseUrl)
        : undefined;
    this.client = new Twilio(
      config.accountSid,
      config.authToken,
      httpClient ? { httpClient } : { autoRetry: true },
    );
  }

  async send(message: OutboundSms): Promise<{ sid: string }> {
    const sender = this.config.from.startsWith('MG')
      ? { messagingServiceSid: this.config.from }
      : { from: this.config.from };
    const sent = await this.client.messages.create({
      to: message.to,
      body: message.body,
      ...sender,
      ...(this.config.statusCallbackUrl ? { statusCallback: this.config.statusCallbackUrl } : {}),
    });
    return { sid: sent.sid };
  }
}
