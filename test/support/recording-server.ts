import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A request as it reached the server: everything a service reads of it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the server answers one request with. */
export interface Answer {
  status: number;
  body: string | Buffer;
}

/**
 * An HTTP server on loopback standing in for a service: it records every request and answers each with
 * the next of `answers`, or `otherwise` once they run out, with the content type the service gives that
 * status. Call it inside a describe block: it listens before the block's tests, closes after them, and
 * forgets its requests and answers before each test.
 */
export function recordingServer(service: {
  otherwise: () => Answer;
  contentType: (status: number) => string;
}) {
  const seen: SeenRequest[] = [];
  const answers: Answer[] = [];
  const state = { url: '' };
  let server: Server;

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      seen.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers.shift() ?? service.otherwise();
      response.writeHead(answer.status, { 'content-type': service.contentType(answer.status) });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    answers.length = 0;
  });

  return {
    seen,
    answers,
    /** The server's base URL, without a trailing slash (known once it listens). */
    get url() {
      return state.url;
    },
  };
}
