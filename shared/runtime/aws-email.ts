import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { S3RawMail } from '../adapters/s3-raw-mail.js';
import { SesV2Email } from '../adapters/sesv2-email.js';
import type { EmailSettings } from '../use-cases/member-email.js';
import { awsPublicBaseUrl, once, secretString } from './aws-deps.js';
import { awsEmailEnvironment, awsInboundEmailEnvironment, readConfig } from './config.js';
import { countedEmail } from './metrics.js';

/**
 * SES v2 and the link-signing secret, in their own module so that only the functions that email
 * (enroll, dispatch, inbound email, email links) bundle them.
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

/** The key that signs reply addresses and email links. */
export const awsLinkSecret = once(async () =>
  secretString(readConfig({ LINK_SECRET_ARN: awsEmailEnvironment.LINK_SECRET_ARN }).LINK_SECRET_ARN),
);

export const awsEmailSettings = once(async (): Promise<EmailSettings> => {
  const config = readConfig({ INBOUND_DOMAIN: awsEmailEnvironment.INBOUND_DOMAIN });
  return {
    linkSecret: await awsLinkSecret(),
    publicBaseUrl: (await awsPublicBaseUrl()).replace(/\/$/, ''),
    inboundDomain: config.INBOUND_DOMAIN,
  };
});

/** Where SES's receipt rule stored the raw message (the S3 action runs before the Lambda action). */
export const awsRawMail = once(async () => {
  const config = readConfig(awsInboundEmailEnvironment);
  return new S3RawMail(new S3Client({}), config.INBOUND_BUCKET_NAME);
});
