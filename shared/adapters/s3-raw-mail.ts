import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RawMailPort } from '../domain/ports.js';

/** The object key SES's S3 action writes a message to: the prefix, then the SES message id. */
export const INBOUND_MAIL_PREFIX = 'inbound/';
export const rawMailKey = (sesMessageId: string) => `${INBOUND_MAIL_PREFIX}${sesMessageId}`;

/** Reads raw inbound messages that SES's receipt rule stored in S3. */
export class S3RawMail implements RawMailPort {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async get(sesMessageId: string): Promise<Buffer> {
    const result = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: rawMailKey(sesMessageId) }),
    );
    if (!result.Body) throw new Error('S3 returned an inbound message without a body');
    return Buffer.from(await result.Body.transformToByteArray());
  }
}
