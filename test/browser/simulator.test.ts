import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.js';
import { startBrowserStack } from '../support/embedded-servers.js';

/** Screenshots for a human to look at; `out/` is not committed. */
const ARTIFACTS = fileURLToPath(new URL('../../out/artifacts/', import.meta.url));
/** The README's picture, rewritten only when asked (UPDATE_DOCS_SCREENSHOT=1), so a test run leaves the tree clean. */
const DOCS_SCREENSHOT = fileURLToPath(new URL('../../docs/simulator.png', import.meta.url));

const XSS_GOAL = '<img src=x onerror=alert(1)>';
// Addresses unique to this file: aws-ses-v2-local keeps one outbox per process.
const ADA_EMAIL = 'ada.simulator@example.com';
const BEN_EMAIL = 'ben.simulator@example.com';

/** How wide the page scrolls against how wide the window is. */
const MEASURE_WIDTH =
  '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })';

let stack: LocalStack;
let closeStack: (() => Promise<void>) | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  ({
    stack,
    browser,
    close: closeStack,
  } = await startBrowserStack({
    name: 'simulator',
    apiKey: 'simulator-test-key',
    twilioAuthToken: 'simulator-test-token',
    clockStart: '2026-11-24T14:00:00Z',
  }));
  context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await closeStack?.();
});

const card = (memberId: string) => page.locator(`.member-card[data-member="${memberId}"]`);
const stateOf = (memberId: string, field: string) =>
  page.locator(`.state-member[data-member="${memberId}"] [data-field="${field}"]`);
const bubble = (memberId: string, text: string) =>
  card(memberId).locator('.bubble.from-us', { hasText: text }).first();

async function fillMember(index: number, values: Record<string, string>, byEmail = false) {
  const fieldset = page.locator(`fieldset.member[data-index="${index}"]`);
  for (const [field, value] of Object.entries(values)) {
    if (field === 'timezone') await fieldset.locator('[data-field="timezoneChoice"]').selectOption(value);
    else await fieldset.locator(`[data-field="${field}"]`).fill(value);
  }
  if (byEmail) await fieldset.locator('[data-field="checkInByEmail"]').check();
}

async function text(memberId: string, body: string) {
  await card(memberId).locator('.composer input').fill(body);
  await card(memberId).locator('.composer button').click();
  await card(memberId).locator('.bubble.from-member', { hasText: body }).last().waitFor();
}

async function clock(button: string, expectedUtc: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.locator('#utc-now', { hasText: expectedUtc }).waitFor();
}

describe('the browser simulator at /', () => {
  it('enrolls through the form, texts and emails like a member, moves the clock and shows the state', async () => {
    // Prepare
    await page.goto(stack.url);
    await page.locator('#enroll-form').waitFor();
    await fillMember(0, {
      name: 'Ada',
      phone: '+1212555',
      email: ADA_EMAIL,
      timezone: 'America/New_York',
      checkInTime: '08:30',
      goal: 'write 300 words',
    });
    await fillMember(
      1,
      {
        name: 'Ben',
        phone: '+447911123456',
        email: BEN_EMAIL,
        timezone: 'Europe/London',
        checkInTime: '19:00',
        goal: XSS_GOAL,
      },
      true,
    );

    // Act + Assess: the stack's 400 shows next to the field it is about.
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    const phoneError = page.locator('fieldset.member[data-index="0"] [data-error-for="phone"]');
    await phoneError.filter({ hasText: 'E.164' }).waitFor();
    expect(await page.locator('[data-error-for="goal"]:not(:empty)').count()).toBe(0);

    // Act: fixed, the pair enrolls.
    await fillMember(0, { phone: '+12125550101' });
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await card('m2').waitFor();

    // Assess: the hostile goal is shown as text and never becomes markup.
    await card('m2')
      .locator('.member-goal', { hasText: `Goal: ${XSS_GOAL}` })
      .waitFor();
    await stateOf('m2', 'status').filter({ hasText: 'invited' }).waitFor();
    expect(await page.locator('img').count()).toBe(0);
    await bubble('m1', 'Ben invited you').waitFor();

    // Act: both reply YES on their phones, signed in the browser as Twilio signs.
    await text('m1', 'YES');
    await text('m2', 'YES');

    // Assess
    await bubble('m2', 'Welcome aboard, Ben').waitFor();
    await stateOf('m1', 'status').filter({ hasText: 'active' }).waitFor();
    await stateOf('m2', 'status').filter({ hasText: 'active' }).waitFor();
    expect(await card('m1').locator('.bubble.failed').count()).toBe(0);

    // Act: a day later Ada's Day-1 check-in has come (08:30 in New York is 13:30 UTC).
    await clock('+1 day', 'Wed 25 Nov, 14:00 UTC');
    await bubble('m1', 'Day 1 of 14, Ada').waitFor();
    await text('m1', 'GRACE');

    // Assess: the grace answer on the phone, and one token fewer in the state panel.
    await bubble('m1', 'Grace taken').waitFor();
    await stateOf('m1', 'tokens').filter({ hasText: /^1$/ }).waitFor();
    await page.locator('.state-member[data-member="m1"] .chip', { hasText: '2026-11-25 grace' }).waitFor();

    // Act + Assess: Ada's inbox shows her Day-1 email, rendered.
    await card('m1')
      .getByRole('button', { name: /Day 1 of 14: your one-page charter, Ada/ })
      .click();
    const adaEmail = card('m1').frameLocator('.email-frame');
    await adaEmail.getByText('Day 1 of 14, Ada').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'simulator.png'), fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1')
      await copyFile(join(ARTIFACTS, 'simulator.png'), DOCS_SCREENSHOT);

    // Act: two days on, Ben's Day-2 check-in comes by email; he presses its "Yes, on track" button.
    await clock('+1 day', 'Thu 26 Nov, 14:00 UTC');
    await clock('+1 day', 'Fri 27 Nov, 14:00 UTC');
    const benEmail = card('m2').frameLocator('.email-frame');
    await benEmail.getByText(`Still on track for "${XSS_GOAL}" today?`).waitFor();
    const [confirmation] = await Promise.all([
      context.waitForEvent('page'),
      benEmail.getByRole('link', { name: 'Yes, on track' }).click(),
    ]);
    await confirmation.getByRole('button', { name: 'Yes, I am on track' }).click();
    await confirmation.waitForLoadState();

    // Assess: the confirmation page's POST applied it, and the page shows it without a reload.
    await page.locator('.state-member[data-member="m2"] .chip', { hasText: '2026-11-26 on track' }).waitFor();
    await confirmation.close();
    expect(dialogs).toEqual([]);
  });

  it('replies by email from the inbox, and moves the clock to the next event and to Day 14', async () => {
    // Act: Ben answers his Day-2 check-in email with a plain reply, as from his mail client.
    await card('m2').locator('.email-reply textarea').fill('4');
    await card('m2').getByRole('button', { name: 'Reply', exact: true }).click();

    // Assess
    await card('m2')
      .locator('.reply-status', { hasText: 'Reply received, understood as: how they feel' })
      .waitFor();
    await page
      .locator('.state-member[data-member="m2"] .chip', { hasText: '2026-11-26 on track · mood 4' })
      .waitFor();

    // Act + Assess: the next pending schedule is Ben's Day-3 check-in at 19:00 in London.
    await clock('Next event', 'Fri 27 Nov, 19:00 UTC');
    await clock('+1 hour', 'Fri 27 Nov, 20:00 UTC');

    // Act + Assess: Day 14 is the 14th local day after everyone joined (24 November in New York and
    // London); the jump ends at the last of them, Ben's 19:00 in London.
    await clock('Jump to Day 14', 'Tue 8 Dec, 19:00 UTC');
    await bubble('m1', 'Day 14, Ada: thank you for showing up').waitFor();
    await card('m1')
      .getByRole('button', { name: /Day 14/ })
      .first()
      .waitFor();
    expect(dialogs).toEqual([]);
  });

  it('fits a 375 px wide phone with no sideways scrolling, members stacked', async () => {
    // Act
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await card('m2').locator('.bubble').first().waitFor();
    // Ben's latest email is his Day-14 review, chart and all.
    await card('m2')
      .frameLocator('.email-frame')
      .getByText('Day 14, Ben: thank you for showing up')
      .waitFor();
    const measured = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(MEASURE_WIDTH);
    const [first, second] = await Promise.all([card('m1').boundingBox(), card('m2').boundingBox()]);
    await page.screenshot({ path: join(ARTIFACTS, 'simulator-375.png'), fullPage: true });

    // Assess
    expect(measured.scrollWidth).toBeLessThanOrEqual(measured.innerWidth);
    expect(second?.y ?? 0).toBeGreaterThan((first?.y ?? 0) + (first?.height ?? 0) - 1);
    expect(dialogs).toEqual([]);
  });
});
