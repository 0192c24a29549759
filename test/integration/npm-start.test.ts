import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function healthyWithin(url: string, milliseconds: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < milliseconds) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url}/health did not answer 200 within ${milliseconds} ms`);
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

function startLocal(port: number, dataDir: string, env: Record<string, string | undefined>): ChildProcess {
  // The same entry point `npm start` runs.
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

describe('npm start', () => {
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('answers /health within 30 s, and two instances run side by side on their own ports and data', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const [dirA, dirB] = [mkdtempSync(join(tmpdir(), 'sp-a-')), mkdtempSync(join(tmpdir(), 'sp-b-'))];
    dirs.push(dirA, dirB);
    // A as on a fresh machine: DynamoDB Local of its own, its data under DATA_DIR. B on the test run's
    // DynamoDB Local (DYNAMODB_ENDPOINT), in a table of its own.
    const tableB = `npm-start-${portB}`;
    const a = startLocal(portA, dirA, { DYNAMODB_ENDPOINT: undefined, DYNAMODB_TABLE: undefined });
    const b = startLocal(portB, dirB, { DYNAMODB_TABLE: tableB });
    let output = '';
    let outputB = '';
    a.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    b.stdout?.on('data', (chunk: Buffer) => {
      outputB += chunk.toString();
    });
    // Drain every pipe: a child blocked on a full pipe would never answer.
    a.stderr?.resume();
    b.stderr?.resume();
    await healthyWithin(`http://127.0.0.1:${portA}`, 30_000);
    await healthyWithin(`http://127.0.0.1:${portB}`, 30_000);
    expect(output).toContain(`http://127.0.0.1:${portA}`);
    expect(output).toMatch(
      /DynamoDB API \(DynamoDB Local\) +http:\/\/127\.0\.0\.1:\d+ +table soft-partner-local/,
    );
    expect(existsSync(join(dirA, 'dynamodb', 'shared-local-instance.db'))).toBe(true);
    expect(outputB).toContain(
      `DynamoDB API (DYNAMODB_ENDPOINT)    ${process.env.DYNAMODB_ENDPOINT}   table ${tableB}`,
    );
    expect(existsSync(join(dirB, 'dynamodb'))).toBe(false);
    const clock = (await (await fetch(`http://127.0.0.1:${portB}/local/clock`)).json()) as { now: string };
    expect(Number.isNaN(Date.parse(clock.now))).toBe(false);
  }, 60_000);
});
