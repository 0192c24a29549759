import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.js';
import { contrastRatio } from '#templates/email/contrast.js';
import { startBrowserStack } from '../support/embedded-servers.js';

/** `rgb(47, 111, 94)` → `#2f6f5e`. */
const hex = (rgb: string) =>
  `#${(rgb.match(/\d+/g) ?? [])
    .slice(0, 3)
    .map((channel) => Number(channel).toString(16).padStart(2, '0'))
    .join('')}`;

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
    name: 'keyboard',
    apiKey: 'keyboard-test-key',
    twilioAuthToken: 'keyboard-test-token',
    clockStart: '2026-11-24T14:00:00Z',
  }));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await closeStack?.();
});

interface Focused {
  tag: string;
  /** The button's text, or the field's label. */
  name: string;
  /** The member whose card holds it, if any. */
  member: string;
  classes: string;
  visible: boolean;
  focusVisible: boolean;
  /** The focus ring's colour and the colour it is drawn on (the nearest opaque background outside it). */
  ring: string;
  behind: string;
}

/** What has keyboard focus now, described in the page. */
const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { tag: 'BODY', name: '', member: '', classes: '', visible: false, focusVisible: false, ring: '', behind: '' };
  let outside = element.parentElement;
  while (outside && getComputedStyle(outside).backgroundColor.replace(/\\s/g, '').match(/^(transparent|rgba\\(0,0,0,0\\))$/))
    outside = outside.parentElement;
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return {
    tag: element.tagName,
    name: (element.getAttribute('aria-label') || element.textContent || element.getAttribute('placeholder') || '').trim(),
    member: element.closest('.member-card')?.getAttribute('data-member') ?? '',
    classes: element.closest('form')?.className ?? '',
    visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && element.checkVisibility(),
    // A ring is drawn: the outline our style sheet gives a focused control. An email's links, inside
    // its frame, get the browser's own, as does the clock button inside a time field (its last tab
    // stop, where the field itself no longer matches :focus; app.css rings it).
    focusVisible:
      element.tagName === 'IFRAME' ||
      (element.type === 'time' && !element.matches(':focus')) ||
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2),
    // Only a ring that is drawn (a time field's clock button is ringed by app.css, out of reach here).
    ring: style.outlineStyle !== 'none' ? style.outlineColor : '',
    behind: outside ? getComputedStyle(outside).backgroundColor : 'rgb(255, 255, 255)',
  };
})()`;

/** Every focus the test saw, so a lost focus anywhere fails the test with the moment it happened. */
const seen: Array<Focused & { after: string }> = [];

async function focused(after: string): Promise<Focused> {
  const now = await page.evaluate<Focused>(FOCUSED);
  seen.push({ ...now, after });
  return now;
}

/** Presses Tab (or Shift+Tab) until the focused control matches; focus must be visible at every step. */
async function tabTo(matches: (focus: Focused) => boolean, backwards = false, toward = '') {
  for (let presses = 0; presses < 150; presses++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    // Which walk it was, so a lost focus names the moment it happened.
    const now = await focused(`${backwards ? 'Shift+Tab' : 'Tab'}${toward ? ` toward ${toward}` : ''}`);
    if (matches(now)) return now;
  }
  throw new Error('Tab never reached the control');
}

const button = (name: string) => (focus: Focused) => focus.tag === 'BUTTON' && focus.name === name;
const composer = (member: string) => (focus: Focused) =>
  focus.tag === 'INPUT' && focus.member === member && focus.classes === 'composer';

/** The clock's status once it has settled on something other than `before`. */
async function settledStatus(before: string) {
  const waited = await page
    .waitForFunction(
      // A function, not a string: the page's policy refuses eval, which a string would need.
      (previous: string) => {
        const { document } = globalThis as unknown as {
          document: { querySelector: (selector: string) => { textContent: string | null } | null };
        };
        const status = document.querySelector('#clock-status')?.textContent ?? '';
        return status !== previous && status !== '' && !status.startsWith('Moving');
      },
      before,
      { timeout: 20_000 },
    )
    .catch((error: unknown) => error);
  const status = (await page.locator('#clock-status').textContent()) ?? '';
  if (waited instanceof Error)
    throw new Error(
      `the clock's status stayed "${status}" (focus: ${JSON.stringify(seen.at(-1))}): ${waited.message}`,
    );
  return status;
}

describe('the simulator with a keyboard only', () => {
  it('enrolls a pair, replies from both phones, presses every clock button twice and replies from the inbox, focus always on a visible control', async () => {
    // Prepare
    await page.goto(stack.url);
    await page.locator('#enroll-form').waitFor();

    // Act: the example, then Enroll, by keyboard.
    await tabTo(button('Fill in an example'));
    await page.keyboard.press('Enter');
    await tabTo(button('Enroll'), true);
    await page.keyboard.press('Enter');
    await page.locator('.member-card[data-member="m2"]').waitFor();

    // Assess: the form has gone, and focus is on the first phone, where YES is typed.
    expect(await focused('Enroll')).toMatchObject({ tag: 'INPUT', member: 'm1', visible: true });

    // Act: YES from both phones.
    await page.keyboard.type('YES');
    await page.keyboard.press('Enter');
    await page.locator('[data-member="m1"] .bubble.from-member', { hasText: 'YES' }).waitFor();
    expect(await focused('Enter on a text')).toMatchObject({ tag: 'INPUT', member: 'm1' });
    // The walk starts once the control is on the page: under load the page may still be drawing it.
    await page.locator('[data-member="m2"] .composer input').waitFor();
    await tabTo(composer('m2'), false, "Ben's composer");
    await page.keyboard.type('YES');
    await page.keyboard.press('Enter');
    await page.locator('[data-member="m2"] .bubble', { hasText: 'Welcome aboard' }).first().waitFor();
    expect(await focused('Enter on a text')).toMatchObject({ tag: 'INPUT', member: 'm2' });

    // Act: every clock button twice in a row with Enter, each press once the last has finished.
    const statuses: string[] = [];
    let backwards = true;
    for (const name of ['Next event', '+1 hour', '+1 day', 'Jump to Day 14']) {
      await tabTo(button(name), backwards, name);
      backwards = false;
      for (const press of [1, 2]) {
        await page.keyboard.press('Enter');
        statuses.push(await settledStatus(statuses.at(-1) ?? ''));
        expect(await focused(`Enter on ${name} (${press})`)).toMatchObject({ tag: 'BUTTON', name });
      }
    }

    // Act: Ada answers her Day-14 email from the inbox.
    await page.locator('[data-member="m1"] textarea').first().waitFor();
    await tabTo((focus) => focus.tag === 'TEXTAREA' && focus.member === 'm1', false, "Ada's email reply");
    await page.keyboard.type('CONTINUE');
    await tabTo(button('Reply'));
    await page.keyboard.press('Enter');
    await page
      .locator('[data-member="m1"] .reply-status', { hasText: 'understood as: a choice for what comes next' })
      .waitFor();

    // Assess: each press moved the clock (or said why not), and focus never left a visible control.
    expect(await focused('Enter on Reply')).toMatchObject({ tag: 'BUTTON', name: 'Reply', member: 'm1' });
    expect(statuses.slice(0, 6)).toEqual([
      // Day 1: Ada's check-in text and her charter by email; Ben's check-in and his charter link by text.
      'Now Wed 25 Nov, 13:30 UTC. 1 text and 1 email went out.',
      'Now Wed 25 Nov, 19:00 UTC. 2 texts went out.',
      expect.stringMatching(/^Now Wed 25 Nov, 20:00 UTC\. Nothing went out\./),
      expect.stringMatching(/^Now Wed 25 Nov, 21:00 UTC\. Nothing went out\./),
      expect.stringMatching(/^Now Thu 26 Nov, 21:00 UTC\. \d+ texts? went out\./),
      expect.stringMatching(/^Now Fri 27 Nov, 21:00 UTC\. \d+ texts? went out\./),
    ]);
    expect(statuses[6]).toMatch(
      /^Day 14 reached for everyone \(Ada 2026-12-08, Ben 2026-12-08\)\. Now Tue 8 Dec, 19:00 UTC\./,
    );
    expect(statuses[7]).toBe('Everyone is already past Day 14 (or has no check-ins scheduled).');
    const lost = seen.filter((focus) => focus.tag === 'BODY' || !focus.visible || !focus.focusVisible);
    expect(lost).toEqual([]);
    // Every ring we draw keeps 3:1 against what it is drawn on (the phone's dark glass included).
    const rings = seen.filter((focus) => focus.tag !== 'IFRAME' && focus.ring !== '' && focus.behind !== '');
    const faint = rings
      .map((focus) => ({ ...focus, ratio: contrastRatio(hex(focus.ring), hex(focus.behind)) }))
      .filter((focus) => focus.ratio < 3);
    expect(rings.length).toBeGreaterThan(50);
    expect(faint).toEqual([]);
    const lowest = Math.min(...rings.map((focus) => contrastRatio(hex(focus.ring), hex(focus.behind))));
    console.info(`Lowest focus-ring contrast: ${lowest.toFixed(2)}:1`);
    console.info(`Keyboard walk: ${seen.length} focus stops, none lost.`);
  }, 120_000);
});
