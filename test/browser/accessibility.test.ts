import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.js';
import type { DayStatus, MemberSummary } from '#shared/domain/summary.js';
import { renderEmail } from '#templates/email/render.js';
import { sampleEmailValues } from '#templates/email/samples.js';
import { emailTemplateNames } from '#templates/email/subjects.js';
import { summaryBlocks } from '#templates/email/summary-blocks.js';
import { type AxeViolation, axeViolations } from '../support/axe.js';
import { startBrowserStack } from '../support/embedded-servers.js';

// Addresses unique to this file: aws-ses-v2-local keeps one outbox per process.
const ADA_EMAIL = 'ada.a11y@example.com';

/** Every kind of day the Day-14 chart draws, "checked in" included. */
const STATUSES: DayStatus[] = [
  'on_track',
  'answered',
  'grace',
  'on_track',
  'paused',
  'paused',
  'unanswered',
  'on_track',
  'answered',
  'on_track',
  'grace',
  'on_track',
  'no_check_in',
  'on_track',
];

const fortnight: MemberSummary = {
  memberId: 'ada',
  name: 'Ada',
  checkInsSent: 12,
  checkInsAnswered: 11,
  daysCheckedIn: 11,
  onTrackDays: 6,
  graceUsed: 2,
  graceLeft: 1,
  pauses: 1,
  deadlinesMoved: 0,
  needsRaised: 1,
  needsAnswered: 1,
  moods: [{ localDate: '2026-10-22', score: 4 }],
  reflections: { day3: 'Mornings are easy.', day7: 'The 08:30 text works.', supportScore: 4 },
  partnerHighlights: ['Ben took on your need: a quiet hour on Sunday'],
  days: STATUSES.map((status, index) => ({
    day: index + 1,
    localDate: new Date(Date.UTC(2026, 9, 21 + index)).toISOString().slice(0, 10),
    status,
  })),
  optedOut: false,
};

/** Every template with the sample values, and the Day-14 review once more with a real chart. */
const EMAILS = [
  ...emailTemplateNames.map((name) => ({ name: String(name), email: renderEmail(name, sampleEmailValues) })),
  {
    name: 'day14 with its chart',
    email: renderEmail('day14', { ...sampleEmailValues, ...summaryBlocks(fortnight, 'Ben') }),
  },
];
const WIDTHS = [390, 1200];

let stack: LocalStack;
let closeStack: (() => Promise<void>) | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ({
    stack,
    browser,
    close: closeStack,
  } = await startBrowserStack({
    name: 'a11y',
    apiKey: 'a11y-test-key',
    twilioAuthToken: 'a11y-test-token',
    clockStart: '2026-11-24T14:00:00Z',
  }));
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await closeStack?.();
});

const card = (memberId: string) => page.locator(`.member-card[data-member="${memberId}"]`);

async function text(memberId: string, body: string) {
  await card(memberId).locator('.composer input').fill(body);
  await card(memberId).getByRole('button', { name: 'Send' }).click();
  await card(memberId).locator('.bubble.from-member', { hasText: body }).last().waitFor();
}

async function clock(button: string, expectedUtc: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.locator('#utc-now', { hasText: expectedUtc }).waitFor();
  await page.locator('#clock-status', { hasText: /^Now / }).waitFor();
}

/** What the stack sent, read from its outbox. */
async function outbox() {
  const response = await fetch(`${stack.url}/local/outbox`);
  return (await response.json()) as {
    sms: Array<{ to: string; body: string }>;
    email: Array<{ to: string; subject: string; text: string }>;
  };
}

/** The links of one kind in a text, e.g. every `/email/action?token=…`. */
function linksIn(text: string, path: string): string[] {
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [...text.matchAll(new RegExp(`https?://[^\\s]+${escaped}[^\\s)]+`, 'g'))].map((match) => match[0]);
}

describe('accessibility, checked by axe-core against WCAG 2.1 A and AA', () => {
  it('finds nothing on the simulator: empty, with form errors, enrolled, and after replies and two days (at 1,280 and 390 px)', async () => {
    // Prepare
    const found: Record<string, AxeViolation[]> = {};
    await page.goto(stack.url);
    await page.locator('#enroll-form').waitFor();

    // Act + Assess, state by state.
    found.empty = await axeViolations(page);

    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await page.locator('[data-error-for="name"]:not(:empty)').first().waitFor();
    found['form errors'] = await axeViolations(page);

    await page.getByRole('button', { name: 'Fill in an example' }).click();
    const first = page.locator('fieldset.member[data-index="0"]');
    await first.locator('[data-field="email"]').fill(ADA_EMAIL);
    await first.locator('[data-field="checkInByEmail"]').check();
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await card('m2').waitFor();
    await card('m1').locator('.bubble.from-us').first().waitFor();
    found.enrolled = await axeViolations(page);

    await text('m1', 'YES');
    await text('m2', 'YES');
    await clock('+1 day', 'Wed 25 Nov, 14:00 UTC');
    await text('m2', 'GRACE');
    await card('m1').locator('.email-reply textarea').fill('YES, wrote before breakfast');
    await card('m1').getByRole('button', { name: 'Reply', exact: true }).click();
    await card('m1').locator('.reply-status', { hasText: 'Reply received' }).waitFor();
    await clock('+1 day', 'Thu 26 Nov, 14:00 UTC');
    await card('m1').locator('.email-list button').first().waitFor();
    found['after replies and two days'] = await axeViolations(page);
    await page.setViewportSize({ width: 390, height: 844 });
    found['the same, 390 px wide'] = await axeViolations(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Assess
    expect(found).toEqual({
      empty: [],
      'form errors': [],
      enrolled: [],
      'after replies and two days': [],
      'the same, 390 px wide': [],
    });
  }, 90_000);

  it('finds nothing on any link page: confirmations, results, the charter and the error pages', async () => {
    // Prepare: a day on, Ada's emails with check-in buttons, oldest first, and the charter link Ben's
    // Day-1 text carries (he has no email).
    await clock('+1 day', 'Fri 27 Nov, 14:00 UTC');
    const sent = await outbox();
    const checkIns = sent.email.filter(
      (email) => email.to === ADA_EMAIL && email.text.includes('/email/action?token='),
    );
    const older = checkIns.at(-2)?.text ?? '';
    const latest = checkIns.at(-1)?.text ?? '';
    const [yes, grace] = linksIn(latest, '/email/action?token=');
    const [staleGrace] = linksIn(older, '/email/action?token=').slice(1);
    const [unsubscribe] = linksIn(latest, '/email/unsubscribe?token=');
    const [charter] = sent.sms.flatMap((sms) => linksIn(sms.body, '/charter/'));
    if (!yes || !grace || !staleGrace || !unsubscribe || !charter)
      throw new Error(
        `links missing from the outbox: ${JSON.stringify({ yes, grace, staleGrace, unsubscribe, charter })}`,
      );
    const found: Record<string, AxeViolation[]> = {};
    const titles: string[] = [];

    /** Opens a link page, checks it, and, when it has one, presses its button and checks the result. */
    async function visit(name: string, url: string, press = true) {
      await page.goto(url);
      titles.push((await page.locator('h1').textContent()) ?? '');
      found[name] = await axeViolations(page);
      const button = page.getByRole('button');
      if (!press || (await button.count()) === 0) return;
      await Promise.all([page.waitForEvent('load'), button.click()]);
      titles.push((await page.locator('h1').textContent()) ?? '');
      found[`${name}, pressed`] = await axeViolations(page);
    }

    // Act
    await visit('on track', yes);
    await visit('on track again', yes);
    await visit('a check-in that has passed', staleGrace);
    await visit('unsubscribe', unsubscribe);
    // The unsubscribe confirmation offers the way back: its own page, and the result of pressing it.
    const back = await page
      .getByRole('link', { name: 'Changed your mind? Get emails again' })
      .getAttribute('href');
    await visit('re-subscribe', new URL(back ?? '/email/resubscribe', stack.url).toString());
    await visit('a broken link', `${stack.url}/email/action?token=broken`);
    await visit('the charter', charter);
    await visit('a broken charter link', `${stack.url}/charter/broken`);

    // Assess: each kind of page was reached, and none has a violation.
    expect(titles).toEqual([
      'Hi Ada',
      'Thank you, Ada',
      'Hi Ada',
      'Already done',
      'Hi Ada',
      'That check-in has passed',
      'Stop emails, Ada?',
      'You are unsubscribed',
      'Get emails again, Ada?',
      'Welcome back, Ada',
      'This link does not work',
      'Your charter, Ben',
      'This link does not work',
    ]);
    for (const [name, violations] of Object.entries(found)) expect(violations, name).toEqual([]);
  }, 90_000);

  it.each(EMAILS.flatMap(({ name, email }) => WIDTHS.map((width) => ({ name, email, width }))))(
    'finds nothing in the $name email at $width px; its title is a heading and its mood links are named and 24 px',
    async ({ email, width }) => {
      // Prepare
      const view = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await view.route('**/*', (route) => route.abort());

        // Act
        await view.setContent(email.html, { waitUntil: 'load' });
        const violations = await axeViolations(view);
        const headings = await view.locator('h1').count();
        const moods = view.getByRole('link', { name: /^[1-5] / });
        const boxes = await Promise.all((await moods.all()).map((link) => link.boundingBox()));
        const names = await Promise.all(
          (await moods.all()).map(async (link) => (await link.textContent())?.trim() ?? ''),
        );

        // Assess
        expect(violations).toEqual([]);
        expect(headings).toBe(1);
        if (email.html.includes('sample-mood-1')) {
          expect(names).toEqual(['1 rough', '2 a bit low', '3 okay', '4 good', '5 great']);
          for (const box of boxes) {
            expect(box?.width ?? 0).toBeGreaterThanOrEqual(24);
            expect(box?.height ?? 0).toBeGreaterThanOrEqual(24);
          }
        } else expect(names).toEqual([]);
      } finally {
        await view.close();
      }
    },
    60_000,
  );
});
