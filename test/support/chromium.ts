/**
 * Headless Chromium for browser tests, driven by playwright-core against the system's Chromium
 * (Debian's `chromium` package), so no browser is downloaded by npm.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_EXECUTABLE_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  constructor(readonly executablePath: string) {
    super(
      `Chromium is not installed at ${executablePath}; browser tests need it. Run \`apt-get install -y chromium\` (as root) and run the tests again.`,
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Starts headless Chromium; throws a ChromiumMissingError (never skips) when it is not installed. */
export async function launchChromium(executablePath = CHROMIUM_EXECUTABLE_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 15_000,
  });
}
