import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesV2Email } from '../adapters/sesv2-email.js';
import type { EmailSettings } from '../use-cases/member-email.js';
import { awsLinkSecret, awsPublicBaseUrl, once } from './aws-deps.js';
import { awsEmailEnvironment, readConfig } from './config.js';
import { countedEmail } from './metrics.js';

/**
 * SES v2 and the email settings, in their own module so that only the functions that email (enroll,
 * dispatch, inbound email) bundle the SES client.
 */
export const awsEmail = once(async () => {
  const config = readConfig({
    EMAIL_FROM: awsEmailEnvironment.EMAIL_FROM,
    EMAIL_CONFIGURATION_SET: awsEmailEnvironment.EMAIL_CONFIGURATION_SET,
  });
  return countedEmail(
    new SesV2Email(new SESv2Client({}), {
      from: config.EMAIL_FROM,
      configurationSetName: config.EMAIL_CONFIGURATION_SET,
    }),
  );
});

export const awsEmailSettings = once(async (): Promise<EmailSettings> => {
  const config = readConfig({ INBOUND_DOMAIN: awsEmailEnvironment.INBOUND_DOMAIN });
  return {
    linkSecret: await awsLinkSecret(),
    publicBaseUrl: (await awsPublicBaseUrl()).replace(/\/$/, ''),
    inboundDomain: config.INBOUND_DOMAIN,
  };
});
