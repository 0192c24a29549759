import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedFetchOptions {
  /** The signing name: `s3`, `sqs`… */
  service: string;
  region: string;
  credentials: AwsCredentials;
  /** Further attempts after a 5xx or 429, with jittered backoff (2: three in all, as the SDK's standard mode). */
  retries?: number;
}

/** A request as this client sends it: a method, headers and a text body. */
export interface SignedRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * fetch, signed with SigV4 by the AWS SDK's own signer (already in every bundle for DynamoDB), for the
 * calls too simple to carry an SDK client of their own (S3 GetObject, SQS SendMessage).
 */
export class SignedFetch {
  private readonly signer: SignatureV4;
  private readonly retries: number;

  constructor(private readonly options: SignedFetchOptions) {
    this.signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
      // S3 signs the path as it is sent; every other service escapes it once more.
      uriEscapePath: options.service !== 's3',
    });
    this.retries = options.retries ?? 2;
  }

  async fetch(url: string, request: SignedRequest): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {
      host: target.host,
      // S3 wants the payload's hash or this marker; a GET has no payload to hash.
      ...(this.options.service === 's3' ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}),
      ...request.headers,
    };
    for (let attempt = 0; ; attempt++) {
      const signed = await this.signer.sign(
        new HttpRequest({
          method: request.method,
          protocol: target.protocol,
          hostname: target.hostname,
          ...(target.port ? { port: Number(target.port) } : {}),
          path: target.pathname,
          query: Object.fromEntries(target.searchParams),
          headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
        }),
      );
      // fetch sets Host itself, from the same URL.
      const { host: _host, ...sent } = signed.headers;
      const response = await fetch(url, {
        method: request.method,
        headers: sent,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      if ((response.status < 500 && response.status !== 429) || attempt >= this.retries) return response;
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
    }
  }
}
