import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.js';
import { startBrowserStack } from '../support/embedded-servers.js';

const API_KEY = 'newcomer-test-key';
// An address unique to this file: aws-ses-v2-local keeps one outbox per process.
const ADA_EMAIL = 'ada.newcomer@example.com';

/** Words only the code should know: snake_case kinds and the scheduler's vocabulary. */
const INTERNAL = /\b[a-z]+_[a-z_]+\b|\bnotify\b|invitation lapse|\bfired\b|Reply applied/;

let stack: LocalStack;
let closeStack: (() => Promise<void>) | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({
    stack,
    browser,
    close: closeStack,
  } = await startBrowserStack({
    name: 'newcomer',
    apiKey: API_KEY,
    twilioAuthToken: 'newcomer-test-token',
    clockStart: '2026-11-24T14:00:00Z',
  }));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await closeStack?.();
});

const member = (index: number) => page.locator(`fieldset.member[data-index="${index}"]`);
const field = (index: number, name: string) => member(index).locator(`[data-field="${name}"]`);
const card = (memberId: string) => page.locator(`.member-card[data-member="${memberId}"]`);
const errorsOf = (index: number) =>
  member(index)
    .locator('.field-error:not(:empty)')
    .allTextContents()
    .then((texts) => texts.map((text) => text.trim()));

/** The page's words, without what members and tokens bring in (reply addresses, links in texts). */
const pageWords = () =>
  page.evaluate<string>(`(() => {
    const clone = document.querySelector('main').cloneNode(true);
    for (const element of clone.querySelectorAll('.email-meta, .bubble a')) element.remove();
    return clone.textContent ?? '';
  })()`);

async function text(memberId: string, body: string) {
  await card(memberId).locator('.composer input').fill(body);
  await card(memberId).getByRole('button', { name: 'Send' }).click();
  await card(memberId).locator('.bubble.from-member', { hasText: body }).last().waitFor();
}

describe('the simulator as a newcomer meets it', () => {
  it('names each empty field of an empty form, ties each message to its field and focuses the first', async () => {
    // Prepare
    await page.goto(stack.url);
    await page.locator('#enroll-form').waitFor();

    // Act
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await member(1).locator('.field-error:not(:empty)').first().waitFor();

    // Assess
    for (const index of [0, 1])
      expect(await errorsOf(index)).toEqual(['Name is required', 'Phone is required', 'Goal is required']);
    expect(await page.locator('#enroll-form').textContent()).not.toContain('already used');
    const focused = await page.evaluate(`(() => {
      const element = document.activeElement;
      const described = element?.getAttribute('aria-describedby') ?? '';
      return {
        field: element?.getAttribute('data-field'),
        fieldset: element?.closest('fieldset.member')?.getAttribute('data-index'),
        invalid: element?.getAttribute('aria-invalid'),
        description: document.getElementById(described)?.textContent,
      };
    })()`);
    expect(focused).toEqual({
      field: 'name',
      fieldset: '0',
      invalid: 'true',
      description: 'Name is required',
    });
  });

  it('shows the other time zone field only when chosen, takes quiet hours, and keeps the zone as entered', async () => {
    // Assess: hidden until "Other…" is chosen.
    expect(await member(0).locator('.other-zone').isVisible()).toBe(false);
    await field(0, 'timezoneChoice').selectOption('other');
    expect(await member(0).locator('.other-zone').isVisible()).toBe(true);
    expect(await member(1).locator('.other-zone').isVisible()).toBe(false);

    // Act
    await field(0, 'name').fill('Ada');
    await field(0, 'phone').fill('+12125550101');
    await field(0, 'email').fill(ADA_EMAIL);
    await field(0, 'timezoneOther').fill('Asia/Kolkata');
    await field(0, 'checkInTime').fill('08:30');
    await field(0, 'quietStart').fill('22:00');
    await field(0, 'quietEnd').fill('06:30');
    await field(0, 'goal').fill('write 300 words');
    await field(1, 'name').fill('Ben');
    await field(1, 'phone').fill('+447911123456');
    await field(1, 'timezoneChoice').selectOption('Europe/London');
    await field(1, 'checkInTime').fill('19:00');
    await field(1, 'goal').fill('run 3 km');
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await card('m2').waitFor();

    // Assess: as entered (ICU itself would say Asia/Calcutta), with Ada's own quiet hours.
    const id = new URLSearchParams((await page.evaluate<string>('location.hash')).slice(1)).get('p');
    const response = await fetch(`${stack.url}/partnerships/${id}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const view = (await response.json()) as {
      members: Array<{ timezone: string; quietHours?: { start: string; end: string } }>;
    };
    expect(view.members[0]).toMatchObject({
      timezone: 'Asia/Kolkata',
      quietHours: { start: '22:00', end: '06:30' },
    });
    await card('m1').locator('.member-local-time', { hasText: 'in Asia/Kolkata' }).waitFor();
    await page
      .locator('.state-member[data-member="m1"] [data-field="quietHours"]', { hasText: '22:00 to 06:30' })
      .waitFor();
    expect(await page.locator('body').textContent()).not.toContain('Calcutta');
  });

  it('makes links in texts clickable and says everything in words, never in internal names', async () => {
    // Act: both join; two days on, Ben (no email) has had his charter link by text with his Day 1.
    await text('m1', 'YES');
    await text('m2', 'YES');
    for (const day of ['Wed 25 Nov', 'Thu 26 Nov']) {
      await page.getByRole('button', { name: '+1 day', exact: true }).click();
      await page.locator('#clock-status', { hasText: `Now ${day}, 14:00 UTC.` }).waitFor();
    }
    const link = card('m2').locator('.bubble.from-us a[href*="/charter/"]').first();
    await link.waitFor();

    // Assess: a real link, opening its page in a new window.
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('href')).toBe(await link.textContent());
    const [charter] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await charter.getByRole('heading', { name: 'Your charter, Ben' }).waitFor();
    await charter.close();
    const words = await pageWords();
    expect(words).toContain('daily check-in · Ada');
    expect(words.match(INTERNAL)).toBeNull();
  });

  it('jumps to every member’s Day 14, saying how far it has got as it runs', async () => {
    // Prepare: every text of the clock's status, as it changes.
    await page.evaluate(`(() => {
      const seen = [];
      window.statuses = seen;
      const status = document.getElementById('clock-status');
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    })()`);

    // Act
    await page.getByRole('button', { name: 'Jump to Day 14', exact: true }).click();
    await page
      .locator('#clock-status', { hasText: 'Day 14 reached for everyone' })
      .waitFor({ timeout: 60_000 });

    // Assess: Ada's Day 14 comes at 08:30 in Kolkata, Ben's at 19:00 in London, the last of them.
    await card('m1').locator('.bubble.from-us', { hasText: 'Day 14, Ada' }).first().waitFor();
    await card('m2').locator('.bubble.from-us', { hasText: 'Day 14, Ben' }).first().waitFor();
    await page.locator('#utc-now', { hasText: 'Tue 8 Dec, 19:00 UTC' }).waitFor();
    const statuses = await page.evaluate<string[]>('window.statuses');
    const progress = statuses.filter((status) => status.startsWith('Moving to Day 14:'));
    expect(progress.length).toBeGreaterThanOrEqual(20);
    expect(progress[0]).toMatch(/^Moving to Day 14: (Ada|Ben)'s Day \d+; 0 of 2 members there so far…$/);
    expect(progress).toContain("Moving to Day 14: Ben's Day 14; 1 of 2 members there so far…");
    expect(statuses.at(-1)).toMatch(
      /^Day 14 reached for everyone \(Ada 2026-12-08, Ben 2026-12-08\)\. Now Tue 8 Dec, 19:00 UTC\. \d+ texts and \d+ emails? went out\.$/,
    );
    expect((await pageWords()).match(INTERNAL)).toBeNull();
  }, 90_000);

  it('serves /favicon.ico', async () => {
    // Act
    const response = await fetch(`${stack.url}/favicon.ico`);
    const bytes = new Uint8Array(await response.arrayBuffer());

    // Assess: an ICO file (reserved 0, type 1, one image).
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    expect([...bytes.slice(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
  });
});
