import RequestClient from 'twilio/lib/base/RequestClient.js';
import { TWILIO_429_RETRIES, type TwilioTransport } from '#shared/adapters/twilio-sms.js';

/**
 * The transport of the `twilio` package itself: its RequestClient (axios; authentication, form encoding,
 * retries with backoff and jitter on 429). The local stack sends through it, so the loopback SMS API is
 * reached through the real package; Lambdas use fetchTransport, which makes the same request
 * (test/integration/twilio-transport.test.ts) without the package's HTTP stack in their bundles.
 */
export function twilioPackageTransport(): TwilioTransport {
  const http = new RequestClient({ autoRetry: true, maxRetries: TWILIO_429_RETRIES });
  const request = async (options: {
    method: 'get' | 'post';
    uri: string;
    username: string;
    password: string;
    data?: object;
  }) => {
    const response = await http.request({
      ...options,
      headers: {
        ...(options.data ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        Accept: 'application/json',
      },
    });
    const body = response.body as unknown;
    return {
      statusCode: response.statusCode,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    };
  };
  return {
    postForm: (uri, { username, password }, data) =>
      request({ method: 'post', uri, username, password, data }),
    get: (uri, { username, password }) => request({ method: 'get', uri, username, password }),
  };
}
