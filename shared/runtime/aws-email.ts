import { SESv2Client } from '@aws-sdk/client-sesv2';
import { Pacer } from '#shared/adapters/pacer.js';
import { SesV2Email } from '#shared/adapters/sesv2-email.js';
import type { EmailPort } from '#shared/domain/ports.js';
import { once } from './aws-deps.js';
import { awsEmailEnvironment, readConfig } from './config.js';
import { countedEmail } from './metrics.js';
import { awsSenderSizingEnvironment } from './sender-environment.js';

/**
 * SES v2, in its own module so that only the function that emails (dispatch, the sender) bundles the
 * SES client.
 */
export const awsEmail = /* @__PURE__ */ once(async () => {
  const config = readConfig({
    EMAIL_FROM: awsEmailEnvironment.EMAIL_FROM,
    EMAIL_CONFIGURATION_SET: awsEmailEnvironment.EMAIL_CONFIGURATION_SET,
    EMAIL_SECONDS_BETWEEN_SENDS: awsSenderSizingEnvironment.EMAIL_SECONDS_BETWEEN_SENDS,
  });
  const ses = new SesV2Email(new SESv2Client({}), {
    from: config.EMAIL_FROM,
    configurationSetName: config.EMAIL_CONFIGURATION_SET,
  });
  return countedEmail(pacedEmail(ses, config.EMAIL_SECONDS_BETWEEN_SENDS ?? 0));
});

/** Each sender instance keeps its share of SES's rate, so together they never make SES throttle. */
export function pacedEmail(email: EmailPort, secondsBetweenSends: number): EmailPort {
  const pacer = new Pacer(secondsBetweenSends);
  return {
    async send(message) {
      await pacer.take();
      return email.send(message);
    },
  };
}
