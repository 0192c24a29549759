import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesV2Email } from '../adapters/sesv2-email.js';
import { once } from './aws-deps.js';
import { awsEmailEnvironment, readConfig } from './config.js';
import { countedEmail } from './metrics.js';

/**
 * SES v2, in its own module so that only the function that emails (dispatch, the sender) bundles the
 * SES client.
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
