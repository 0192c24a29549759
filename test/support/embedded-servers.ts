import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  type LocalStack,
  type LocalStackOptions,
  startEmbeddedServers,
  startLocalStack,
} from '#local/stack.js';
import type { VirtualClock } from '#local/virtual-clock.js';
import { launchChromium } from './chromium.js';

/**
 * The one way tests start the local servers: a fresh data folder (raw inbound mail), a table of its own in
 * the test run's DynamoDB Local (see local/stack.ts), and a `close()` that stops everything and removes the
 * folder. Start in `beforeAll`/`beforeEach` (or in a test) and close in the matching `after…`.
 */
export type TestServers = Awaited<ReturnType<typeof startTestServers>>;

/** A fresh folder under the system's temporary directory, named after what uses it. */
const freshDataDir = (name: string) => mkdtempSync(join(tmpdir(), `soft-partner-${name}-`));

/** The embedded servers and the real adapters over them (no HTTP surface), on the given virtual clock. */
export async function startTestServers(options: {
  clock: VirtualClock;
  twilioAuthToken?: string;
  publicBaseUrl?: string;
  /** Names the data folder (`soft-partner-<name>-…`), for a human looking at /tmp. */
  name?: string;
}) {
  const dataDir = freshDataDir(options.name ?? 'servers');
  try {
    const servers = await startEmbeddedServers({
      dataDir,
      clock: options.clock,
      twilioAuthToken: options.twilioAuthToken ?? 'token',
      ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
    });
    return {
      ...servers,
      clock: options.clock,
      dataDir,
      async close() {
        await servers.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The whole local stack (HTTP surface included) on a free port, in a fresh data folder. */
export async function startTestLocalStack(
  options: Omit<LocalStackOptions, 'port' | 'dataDir'> & { port?: number; name?: string },
): Promise<LocalStack & { dataDir: string }> {
  const { name, ...rest } = options;
  const dataDir = freshDataDir(name ?? 'stack');
  try {
    const stack = await startLocalStack({ port: 0, ...rest, dataDir });
    return {
      ...stack,
      dataDir,
      async close() {
        await stack.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The local stack and headless Chromium, started side by side, for the browser tests. */
export async function startBrowserStack(
  options: Omit<LocalStackOptions, 'port' | 'dataDir' | 'clockStart'> & { clockStart: string; name: string },
): Promise<{ stack: LocalStack; browser: Browser; close(): Promise<void> }> {
  const { clockStart, ...rest } = options;
  const [stack, browser] = await Promise.allSettled([
    startTestLocalStack({ ...rest, clockStart: new Date(clockStart) }),
    launchChromium(),
  ]);
  if (stack.status === 'rejected' || browser.status === 'rejected') {
    if (stack.status === 'fulfilled') await stack.value.close();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw stack.status === 'rejected' ? stack.reason : (browser as PromiseRejectedResult).reason;
  }
  return {
    stack: stack.value,
    browser: browser.value,
    async close() {
      await browser.value.close();
      await stack.value.close();
    },
  };
}
