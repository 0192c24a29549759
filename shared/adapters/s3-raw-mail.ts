import type { RawMailPort } from '#shared/domain/ports.js';
import type { SignedFetch } from './signed-fetch.js';

/** The object key SES's S3 action writes a message to: the prefix, then the SES message id. */
export const INBOUND_MAIL_PREFIX = 'inbound/';
export const rawMailKey = (sesMessageId: string) => `${INBOUND_MAIL_PREFIX}${sesMessageId}`;

/** The bucket's virtual-hosted endpoint (no trailing slash). */
export const s3BucketEndpoint = (bucket: string, region: string) =>
  `https://${bucket}.s3.${region}.amazonaws.com`;

/** Each segment of the key URI-encoded as SigV4 encodes it (RFC 3986: `!'()*` too), the slashes kept. */
const encodeKey = (key: string) =>
  key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

/**
 * S3 refused a request: named by its XML error code (NoSuchKey, AccessDenied…) as the SDK's exceptions
 * are. The message has the code and status, never the response's body.
 */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * Reads raw inbound messages that SES's receipt rule stored in S3: one GetObject, signed by the SDK's SigV4 signer
 * (the SDK's S3 client weighs ≈ 120 KB in the bundle).
 */
export class S3RawMail implements RawMailPort {
  private readonly endpoint: string;

  constructor(
    private readonly aws: SignedFetch,
    bucket: string,
    /** `endpoint` replaces the bucket's virtual-hosted URL (tests). */
    options: { region: string; endpoint?: string },
  ) {
    this.endpoint = options.endpoint ?? s3BucketEndpoint(bucket, options.region);
  }

  key(sesMessageId: string): string {
    return rawMailKey(sesMessageId);
  }

  async get(sesMessageId: string): Promise<Buffer> {
    const key = rawMailKey(sesMessageId);
    const response = await this.aws.fetch(`${this.endpoint}/${encodeKey(key)}`, { method: 'GET' });
    if (response.ok) return Buffer.from(await response.arrayBuffer());
    // S3's error body is XML: <Error><Code>NoSuchKey</Code><Message>…</Message>…</Error>.
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(await response.text())?.[1] ?? 'UnknownError';
    throw new S3Error(code, response.status, `S3 GetObject of ${key} failed with ${response.status} ${code}`);
  }
}
