import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutboxEmail, startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

const ADA_EMAIL = 'ada.reflections-test@example.com';
const DAY_3_WORDS = 'Mornings feel easy, evenings are hard';
const DAY_7_WORDS = 'The daily text is working; a later time would suit me better';

describe('the charter, and Day 3 and Day 7 reflections kept in the member’s words for the Day-14 review', () => {
  let stack: Stack;
  const replies: string[] = [];
  let day14: OutboxEmail | undefined;

  const day = (n: number) => `2026-11-${String(24 + n).padStart(2, '0')}T14:00:00Z`;

  beforeAll(async () => {
    // Prepare: a pair joins on 24 November; Day 1 is the 25th in both zones.
    stack = await startTestStack('2026-11-24T14:00:00Z');
    await stack.enroll({ members: [{ ...ADA, email: ADA_EMAIL }, BEN] });
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
    for (let n = 1; n <= 14; n++) {
      await stack.advance({ to: n <= 6 ? day(n) : `2026-12-${String(n - 6).padStart(2, '0')}T14:00:00Z` });
      await stack.text(BEN.phone, 'yes');
      if (n === 3) replies.push((await stack.text(ADA.phone, DAY_3_WORDS)).body);
      else if (n === 7) {
        replies.push((await stack.text(ADA.phone, DAY_7_WORDS)).body);
        replies.push((await stack.text(ADA.phone, '4')).body);
      } else await stack.text(ADA.phone, n === 5 ? 'grace' : n === 14 ? 'continue' : 'yes');
    }
    day14 = (await stack.outbox()).email.find(
      (email) => email.to === ADA_EMAIL && email.subject.startsWith('Day 14'),
    );
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('thanks the member for words the grammar does not read as a command, instead of asking again', () => {
    expect(replies[0]).toContain('Noted in your own words');
    expect(replies[1]).toContain('Noted in your own words');
  });

  it('reads a number on Day 7 as how supported the member feels', () => {
    expect(replies[2]).toContain('Noted 4/5 for how supported you feel');
  });

  it('brings both answers and the numbers of the fortnight into the Day-14 email, with the decision buttons', () => {
    expect(day14?.text).toContain(DAY_3_WORDS);
    expect(day14?.text).toContain(DAY_7_WORDS);
    expect(day14?.text).toContain('4 out of 5 supported');
    expect(day14?.text).toMatch(/You checked in on \d+ of 14 days/);
    expect(day14?.text).toMatch(/Continue: http:\/\/127\.0\.0\.1:\d+\/email\/action\?token=/);
    expect(day14?.html).not.toMatch(/<svg|display:\s*flex|display:\s*grid/);
  });

  it('texts the charter as a signed link to the member without email on Day 1; the page escapes and shows it', async () => {
    // Prepare
    const texts = (await stack.outbox()).sms.filter((sms) => sms.to === BEN.phone);
    const link = /^Your one-page charter, Ben: (\S+)$/.exec(
      texts.find((sms) => sms.body.startsWith('Your one-page'))?.body ?? '',
    )?.[1];
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/charter\/[0-9a-z]{12}-m2-[0-9a-z]{16}$/);

    // Act
    const page = await stack.open(link ?? '');
    const forged = await stack.open((link ?? '').replace(/-m2-/, '-m1-'));

    // Assess
    expect(page.status).toBe(200);
    expect(page.html).toContain('Your charter, Ben');
    expect(page.html).toContain('Ada: write 300 words; Ben: run 3 km');
    expect(page.html).toContain('2 no-guilt grace days each month');
    expect(forged.status).toBe(400);
    expect(
      (await stack.outbox()).email.filter(
        (email) => email.subject.startsWith('Day 1 of 14') && email.to === ADA_EMAIL,
      ),
    ).toHaveLength(1);
  });
  it('confirms the Day-14 choice by email, with what happens next', async () => {
    const confirmation = (await stack.outbox()).email.find(
      (email) => email.to === ADA_EMAIL && email.subject === 'Noted, Ada: you chose to continue',
    );
    expect(confirmation?.text).toContain('Your check-ins carry on as they are, at 08:30.');
  });
});
