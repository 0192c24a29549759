import { TwilioSms } from '#shared/adapters/twilio-sms.js';
import { TWILIO_STATUS_PATH } from '#shared/contract.js';
import { awsPublicBaseUrl, awsTwilioSecret, once } from './aws-deps.js';
import { awsSenderEnvironment, readConfig } from './config.js';
import { countedSms } from './metrics.js';
import { RotatingTwilioSms } from './rotating-twilio-sms.js';
import { awsSenderSizingEnvironment } from './sender-environment.js';

/**
 * The Twilio REST client, kept in its own module so that only the functions that send (enroll,
 * dispatch) bundle it; the inbound webhook answers with TwiML and needs only the validator. The
 * credentials are re-read on a TTL and right after Twilio refuses them (a token rotation).
 */
export const awsSms = /* @__PURE__ */ once(async () => {
  const env = readConfig({ ...awsSenderEnvironment, SMS_BURST: awsSenderSizingEnvironment.SMS_BURST });
  const pace = env.SMS_SECONDS_BETWEEN_SENDS;
  const burst = env.SMS_BURST;
  // Plain configuration since the secret's template stopped carrying it; older secrets still may.
  const from = env.TWILIO_FROM_NUMBER ?? (await awsTwilioSecret()).fromNumber;
  if (!from) {
    throw new Error(
      'Configuration error: TWILIO_FROM_NUMBER is not set and the Twilio secret has no fromNumber',
    );
  }
  // Twilio reports each text's fate here (POST /webhooks/twilio/status on the same API).
  const statusCallbackUrl = `${(await awsPublicBaseUrl()).replace(/\/$/, '')}${TWILIO_STATUS_PATH}`;
  return countedSms(
    new RotatingTwilioSms({
      credentials: awsTwilioSecret,
      invalidate: awsTwilioSecret.invalidate,
      senderFor: (accountSid, authToken) =>
        new TwilioSms({
          accountSid,
          authToken,
          from,
          statusCallbackUrl,
          ...(pace ? { secondsBetweenSends: pace } : {}),
          ...(burst ? { burst } : {}),
        }),
    }),
  );
});
