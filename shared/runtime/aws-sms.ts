import { TwilioSms } from '../adapters/twilio-sms.js';
import { awsPublicBaseUrl, awsTwilioSecret, once } from './aws-deps.js';
import { awsSenderEnvironment, readConfig } from './config.js';
import { countedSms } from './metrics.js';

/**
 * The Twilio REST client, kept in its own module so that only the functions that send (enroll,
 * dispatch) bundle it; the inbound webhook answers with TwiML and needs only the validator.
 */
export const awsSms = once(async () => {
  const secret = await awsTwilioSecret();
  const pace = readConfig(awsSenderEnvironment).SMS_SECONDS_BETWEEN_SENDS;
  return countedSms(
    new TwilioSms({
      accountSid: secret.accountSid,
      authToken: secret.authToken,
      from: secret.fromNumber,
      // Twilio reports each text's fate here (POST /webhooks/twilio/status on the same API).
      statusCallbackUrl: `${(await awsPublicBaseUrl()).replace(/\/$/, '')}/webhooks/twilio/status`,
      ...(pace ? { secondsBetweenSends: pace } : {}),
    }),
  );
});
