import { describe, expect, it } from 'vitest';
import { S3Error, S3RawMail, s3BucketEndpoint } from '#shared/adapters/s3-raw-mail.js';
import { SignedFetch } from '#shared/adapters/signed-fetch.js';
import { recordingServer } from '../support/recording-server.js';

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Key>inbound/the-key</Key><RequestId>R1</RequestId></Error>`;

describe('the S3 raw mail adapter (GetObject signed by the SDK’s SigV4 signer, against a local server)', () => {
  // Bytes that are not UTF-8 (a Latin-1 body): the adapter returns them untouched.
  const raw = Buffer.concat([
    Buffer.from('From: Ada <ada@example.org>\r\n\r\nOn track '),
    Buffer.from([0xe9, 0xff, 0x00]),
  ]);
  // Plays S3: every request it gets, and the next answer (200 with the raw message once they run out).
  const s3 = recordingServer({
    otherwise: () => ({ status: 200, body: raw }),
    contentType: (status) => (status === 200 ? 'application/octet-stream' : 'application/xml'),
  });
  const { seen, answers } = s3;

  const rawMail = (retries = 0) =>
    new S3RawMail(
      new SignedFetch({
        service: 's3',
        region: 'eu-west-1',
        credentials: {
          accessKeyId: 'ASIAEXAMPLEKEY',
          secretAccessKey: 'example-secret',
          sessionToken: 'example-session-token',
        },
        retries,
      }),
      'inbound-mail-bucket',
      { region: 'eu-west-1', endpoint: s3.url },
    );

  it('returns the object SES stored under inbound/<SES message id>, byte for byte', async () => {
    expect(await rawMail().get('0100019ab2c3d4e5-abc')).toEqual(raw);
  });

  it('sends one signed GET of the object’s key, the payload unsigned as S3 allows', async () => {
    await rawMail().get('0100019ab2c3d4e5-abc');
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/inbound/0100019ab2c3d4e5-abc');
    expect(request?.body).toBe('');
    expect(request?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(request?.headers['x-amz-security-token']).toBe('example-session-token');
    expect(request?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('URI-encodes each segment of the key, keeping its slashes', async () => {
    await rawMail().get("a b+c/d!'");
    expect(seen[0]?.path).toBe('/inbound/a%20b%2Bc/d%21%27');
  });

  it('throws NoSuchKey for a missing object, with the code and not the answer’s body in the message', async () => {
    answers.push({ status: 404, body: s3Error('NoSuchKey', 'The specified key does not exist.') });
    const reading = rawMail().get('gone');
    await expect(reading).rejects.toBeInstanceOf(S3Error);
    await expect(reading).rejects.toMatchObject({
      name: 'NoSuchKey',
      code: 'NoSuchKey',
      status: 404,
      message: 'S3 GetObject of inbound/gone failed with 404 NoSuchKey',
    });
  });

  it('throws AccessDenied when the role may not read the object (S3 answers so for a missing key too)', async () => {
    answers.push({ status: 403, body: s3Error('AccessDenied', 'Access Denied') });
    const error: unknown = await rawMail()
      .get('denied')
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect((error as S3Error).message).toContain('AccessDenied');
    expect((error as S3Error).message).not.toContain('Access Denied');
  });

  it('retries a 5xx as the signed fetch is told to, then throws the last error', async () => {
    answers.push(
      { status: 503, body: s3Error('SlowDown', 'Please reduce your request rate.') },
      { status: 500, body: s3Error('InternalError', 'We encountered an internal error.') },
    );
    await expect(rawMail(1).get('busy')).rejects.toMatchObject({ name: 'InternalError', status: 500 });
    expect(seen).toHaveLength(2);

    seen.length = 0;
    answers.push({ status: 503, body: s3Error('SlowDown', 'Please reduce your request rate.') });
    expect(await rawMail(1).get('busy')).toEqual(raw);
    expect(seen).toHaveLength(2);
  });

  it('names an error without S3’s XML by its status alone', async () => {
    answers.push({ status: 502, body: '<html>Bad Gateway</html>' });
    await expect(rawMail().get('proxy')).rejects.toThrow(
      'S3 GetObject of inbound/proxy failed with 502 UnknownError',
    );
  });

  it('reads from the bucket’s virtual-hosted endpoint by default', () => {
    expect(s3BucketEndpoint('inbound-mail-bucket', 'eu-west-1')).toBe(
      'https://inbound-mail-bucket.s3.eu-west-1.amazonaws.com',
    );
  });
});
