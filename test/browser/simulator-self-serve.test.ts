import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '#local/stack.js';
import { launchChromium } from '../support/chromium.js';

let stack: LocalStack;
let dataDir: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'soft-partner-self-serve-'));
  [stack, browser] = await Promise.all([
    startLocalStack({
      port: 0,
      apiKey: 'self-serve-browser-key',
      twilioAuthToken: 'self-serve-browser-token',
      dataDir,
      clockStart: new Date('2026-11-24T14:00:00Z'),
    }),
    launchChromium(),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const phone = (number: string) => page.locator(`.member-card[data-phone="${number}"]`);

/** Texts from a phone on the page and waits for our answer to arrive in its thread. */
async function text(number: string, body: string, answer: RegExp) {
  await phone(number).locator('.composer input').fill(body);
  await phone(number).getByRole('button', { name: 'Send' }).click();
  await phone(number).locator('.bubble.from-us', { hasText: answer }).last().waitFor();
}

describe('the simulator: starting a partnership by text from a new phone (issue 20)', () => {
  it('adds a stranger’s phone, plays the setup and shows the invitation on the partner’s phone', async () => {
    // Prepare
    await page.goto(stack.url);
    await page.locator('#new-phone-form').waitFor();

    // Act: a new phone, with the next free number
    await page.getByRole('button', { name: 'New phone' }).click();
    const ada = '+12125557001';
    await phone(ada).waitFor();
    const focused = await page.evaluate(`document.activeElement?.getAttribute('aria-label')`);
    await text(ada, 'Hi', /What is your first name\?/);
    await text(ada, 'Ada', /What would you like to work on/);
    await text(ada, 'write 300 words', /What time each day/);
    await text(ada, '8:30', /Which time zone/);
    await text(ada, 'Boston', /New York time, 08:30\. Right\?/);
    await text(ada, 'yes', /by email too\?/);
    await text(ada, 'skip', /Who would you like as a partner\?/);
    await text(ada, 'Mia +44 7400 100777', /Mia is on the list/);
    // The partner's phone, by its number
    await page.getByLabel('Number (leave empty for a new one)').fill('+44 7400 100777');
    await page.getByRole('button', { name: 'New phone' }).click();
    await text(ada, 'DONE', /Reply SEND to invite Mia/);
    await text(ada, 'SEND', /Invitation sent to Mia!/);
    const mia = '+447400100777';
    await phone(mia)
      .locator('.bubble.from-us', { hasText: /Ada invites you/ })
      .waitFor();
    await text(mia, 'YES', /Wonderful, Mia!/);

    // Assess
    expect(focused).toBe('Text message');
    expect(await phone(ada).locator('.bubble').count()).toBeGreaterThanOrEqual(20);
    expect(await phone(mia).locator('.bubble.from-us').first().textContent()).toMatch(
      /^Ada invites you to try Soft Partner for "write 300 words"/,
    );
    // The enrollment form stays.
    expect(await page.locator('#enroll-section').count()).toBe(1);
  });

  it('refuses a number that is not in E.164 form, tied to its field', async () => {
    // Prepare
    const field = page.getByLabel('Number (leave empty for a new one)');

    // Act
    await field.fill('call me');
    await page.getByRole('button', { name: 'New phone' }).click();

    // Assess
    expect(await page.locator('#new-phone-error').textContent()).toBe(
      'Number must be in E.164 form, e.g. +12125557001',
    );
    expect(await field.getAttribute('aria-invalid')).toBe('true');
  });
});
