import { S3Client } from '@aws-sdk/client-s3';
import { S3RawMail } from '../adapters/s3-raw-mail.js';
import { once } from './aws-deps.js';
import { awsInboundEmailEnvironment, readConfig } from './config.js';

/** Where SES's receipt rule stored the raw message (the S3 action runs before the Lambda action). */
export const awsRawMail = once(async () => {
  const config = readConfig(awsInboundEmailEnvironment);
  return new S3RawMail(new S3Client({}), config.INBOUND_BUCKET_NAME);
});
