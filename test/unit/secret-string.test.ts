import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { secretString } from '#shared/runtime/aws-deps.js';

const SESSION_TOKEN = 'session-token-of-the-execution-role';
const SECRET_NAME = 'soft-partner/dev/api-key-AbCdEf';
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SECRET_NAME}`;
/** Starts and ends with a marker, as error messages may quote only the start of a text (JSON.parse's do). */
const VALUE_MARKER = 'Zq7Vw';
const SECRET_VALUE = `${VALUE_MARKER}-must-never-appear-in-an-error-${VALUE_MARKER}`;

interface ExtensionAnswer {
  readonly status: number;
  readonly body: string;
}

/** What the extension answers for a secret: Secrets Manager's GetSecretValue response. */
const secretAnswer = (fields: Record<string, unknown> = { SecretString: SECRET_VALUE }): ExtensionAnswer => ({
  status: 200,
  body: JSON.stringify({
    ARN: SECRET_ARN,
    Name: 'soft-partner/dev/api-key',
    VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: '2026-01-01T00:00:00.000Z',
    ResultMetadata: {},
    ...fields,
  }),
});
const NOT_READY: ExtensionAnswer = { status: 400, body: 'not ready to serve traffic, please wait' };

/**
 * Imitates the AWS Parameters and Secrets Lambda Extension on a free local port: answers 401 without the
 * session token, otherwise the next queued answer (the last one repeats).
 */
let server: Server;
let port: number;
let answers: ExtensionAnswer[] = [];
let requests: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.headers['x-aws-parameters-secrets-token'] !== SESSION_TOKEN) {
      response.writeHead(401).end('missing or wrong X-Aws-Parameters-Secrets-Token');
      return;
    }
    if (url.pathname !== '/secretsmanager/get' || url.searchParams.get('secretId') !== SECRET_ARN) {
      response.writeHead(404).end('unexpected request');
      return;
    }
    const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? NOT_READY;
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

beforeEach(() => {
  answers = [];
  requests = [];
  vi.stubEnv('AWS_SESSION_TOKEN', SESSION_TOKEN);
  vi.stubEnv('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', String(port));
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The error secretString rejects with; fails the test if it resolves. */
async function failure(): Promise<Error> {
  const error = await secretString(SECRET_ARN).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof Error)) throw new Error('secretString did not fail with an Error');
  return error;
}

/** Everything an error would show in a log: its message, stack and causes. */
function printed(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, current.stack ?? '');
    current = current.cause;
  }
  return parts.join('\n');
}

describe('secretString (through the Parameters and Secrets Lambda Extension)', () => {
  it('returns the SecretString the extension answers, asking with the session token', async () => {
    // Arrange
    answers = [secretAnswer()];

    // Act
    const value = await secretString(SECRET_ARN);

    // Assert
    expect(value).toBe(SECRET_VALUE);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('GET');
  });

  it('retries while the extension answers 400 "not ready", then returns the value', async () => {
    // Arrange
    answers = [NOT_READY, NOT_READY, secretAnswer()];

    // Act
    const value = await secretString(SECRET_ARN);

    // Assert
    expect(value).toBe(SECRET_VALUE);
    expect(requests).toHaveLength(3);
  });

  it('gives up with a clear error when the extension stays not ready', async () => {
    // Arrange
    answers = [NOT_READY];

    // Act
    const error = await failure();

    // Assert
    expect(error.message).toMatch(/Cannot read secret soft-partner\/dev\/api-key-AbCdEf: .*still not ready/);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.length).toBeLessThanOrEqual(6);
  });

  it.each([
    [
      400,
      '{"__type":"ResourceNotFoundException","message":"Secrets Manager can\'t find the specified secret."}',
    ],
    [403, 'AccessDeniedException: the role is not authorized to perform secretsmanager:GetSecretValue'],
    [500, 'internal error'],
  ])(
    'fails at once, naming the secret and the status, when the extension answers %i',
    async (status, body) => {
      // Arrange
      answers = [{ status, body }];

      // Act
      const error = await failure();

      // Assert
      expect(error.message).toContain(`Cannot read secret ${SECRET_NAME}`);
      expect(error.message).toContain(`HTTP ${status}`);
      expect(requests).toHaveLength(1);
    },
  );

  it('names the AWS error type of an error answer', async () => {
    // Arrange
    answers = [{ status: 400, body: '{"__type":"ResourceNotFoundException","message":"not found"}' }];

    // Act
    const error = await failure();

    // Assert
    expect(error.message).toContain('(ResourceNotFoundException)');
  });

  it.each([
    ['no SecretString (a binary secret)', { SecretString: undefined, SecretBinary: 'AAEC' }],
    ['a null SecretString', { SecretString: null }],
    ['an empty SecretString', { SecretString: '' }],
  ])('fails, naming the secret, when the answer has %s', async (_case, fields) => {
    // Arrange
    answers = [secretAnswer(fields)];

    // Act
    const error = await failure();

    // Assert
    expect(error.message).toBe(`Cannot read secret ${SECRET_NAME}: it has no string value`);
  });

  it('fails, naming the secret, when nothing listens on the extension port', async () => {
    // Arrange: a port that was free a moment ago
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    vi.stubEnv('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', String(closedPort));

    // Act
    const error = await failure();

    // Assert
    expect(error.message).toBe(
      `Cannot read secret ${SECRET_NAME}: the Parameters and Secrets Lambda Extension is not listening on ` +
        `port ${closedPort} (is its layer attached?)`,
    );
  });

  it('fails, naming the secret, without a session token to present', async () => {
    // Arrange
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    answers = [secretAnswer()];

    // Act
    const error = await failure();

    // Assert
    expect(error.message).toMatch(/^Cannot read secret soft-partner\/dev\/api-key-AbCdEf: AWS_SESSION_TOKEN/);
    expect(requests).toHaveLength(0);
  });

  it('never puts the value (nor the full ARN) in an error', async () => {
    const malformed: ExtensionAnswer[][] = [
      // An answer that is not JSON but holds the value: JSON.parse's message would quote it.
      [{ status: 200, body: `${SECRET_VALUE} trailing` }],
      // The value where the schema expects a string: zod's issue would describe it.
      [{ status: 200, body: JSON.stringify({ SecretString: { value: SECRET_VALUE } }) }],
      [{ status: 200, body: JSON.stringify([SECRET_VALUE]) }],
      [secretAnswer({ SecretString: undefined, SecretBinary: SECRET_VALUE })],
      [{ status: 500, body: `failed for ${SECRET_ARN}: ${SECRET_VALUE}` }],
      [NOT_READY],
    ];
    for (const queue of malformed) {
      answers = queue;
      const error = await failure();
      expect(error.message).toContain(SECRET_NAME);
      expect(printed(error)).not.toContain(VALUE_MARKER);
      expect(printed(error)).not.toContain(SECRET_ARN);
    }
  });
});
