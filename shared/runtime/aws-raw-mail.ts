import { S3RawMail } from '#shared/adapters/s3-raw-mail.js';
import { awsSigner, once } from './aws-deps.js';
import { awsInboundEmailEnvironment, readConfig } from './config.js';

/** Where SES's receipt rule stored the raw message (the S3 action runs before the Lambda action). */
export const awsRawMail = /* @__PURE__ */ once(async () => {
  const config = readConfig(awsInboundEmailEnvironment);
  const s3 = awsSigner('s3');
  return new S3RawMail(s3.client, config.INBOUND_BUCKET_NAME, { region: s3.region });
});
