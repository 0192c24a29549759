import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyCases } from '../fixtures/email/cases.js';
import { startTestStack } from '../support/local-http.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** The address every fixture was written to; each test run swaps in a real signed one. */
const FIXTURE_REPLY_ADDRESS = 'reply+ab12cd34ef56-m1-20261124-0123456789abcdef@in.example.org';
const FIXTURE_SENDER = 'ada@example.com';

/** Replies that change nothing the member must know: the email twin gets no email back for them. */
const PLAIN = new Set(['yes', 'Yes! on track', 'mood 4']);

/** Four distinct New York numbers per case: the replier and partner of the email twin and of the SMS twin. */
const phone = (n: number) => `+1212555${String(100 + n).padStart(4, '0')}`;

const pair = (ada: string, ben: string, email?: string) => ({
  members: [
    {
      name: 'Ada',
      phone: ada,
      timezone: 'America/New_York',
      checkInTime: '08:30',
      goal: 'write 300 words',
      ...(email ? { email, checkInBy: 'email' } : {}),
    },
    { name: 'Ben', phone: ben, timezone: 'Europe/London', checkInTime: '19:00', goal: 'run 3 km' },
  ],
});

describe('replies written by Gmail, Outlook and Apple Mail, in several languages', () => {
  let stack: Stack;
  const twins: Array<{ emailId: string; smsId: string; phones: string[] }> = [];

  beforeAll(async () => {
    // Prepare: for every fixture, two identical partnerships; Ada checks in by email in one, by text in the other.
    stack = await startTestStack('2026-11-24T14:00:00Z');
    for (const [index] of replyCases.entries()) {
      const phones = [0, 1, 2, 3].map((offset) => phone(index * 4 + offset));
      const [emailAda = '', emailBen = '', smsAda = '', smsBen = ''] = phones;
      const emailId = (
        (await (await stack.enroll(pair(emailAda, emailBen, FIXTURE_SENDER))).json()) as { id: string }
      ).id;
      const smsId = ((await (await stack.enroll(pair(smsAda, smsBen))).json()) as { id: string }).id;
      for (const each of phones) await stack.text(each, 'yes');
      twins.push({ emailId, smsId, phones });
    }
    // Day 2 of the trial in New York: both Adas have had today's check-in.
    await stack.advance({ to: '2026-11-26T14:00:00Z' });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  /** What a reply can change, for both members, without ids, phones or timestamps. */
  const stateOf = async (id: string) =>
    (await stack.partnership(id)).members.map((member) => ({
      status: member.status,
      graceTokensLeft: member.graceTokensLeft,
      pausedUntil: member.pausedUntil,
      pendingDecision: member.pendingDecision,
      checkIns: member.checkIns.map(({ localDate, status, mood }) => ({ localDate, status, mood })),
      settings: JSON.stringify(
        Object.fromEntries(
          Object.entries(member).filter(([key]) =>
            ['checkInTime', 'cadence', 'goal', 'deadline'].includes(key),
          ),
        ),
      ),
    }));

  it.each(replyCases.map((each, index) => ({ ...each, index })))(
    '$client: "$text" by email changes what "$text" by text changes, and gets the same answer unless it is a plain one',
    async ({ file, text, index }) => {
      // Prepare: the fixture, addressed to the reply address of Ada's latest check-in email.
      const twin = twins[index];
      if (!twin) throw new Error('missing twin');
      const [, emailBen = '', smsAda = '', smsBen = ''] = twin.phones;
      const emails = (await stack.outbox()).email.filter((email) => email.to === FIXTURE_SENDER);
      const replyTo = emails
        .filter((email) => email.replyTo?.includes(`+${twin.emailId}-m1-`))
        .at(-1)?.replyTo;
      expect(replyTo).toBeTruthy();
      const raw = readFileSync(new URL(`../fixtures/email/${file}`, import.meta.url), 'utf8').replaceAll(
        FIXTURE_REPLY_ADDRESS,
        replyTo ?? '',
      );
      const textsBefore = (await stack.outbox()).sms.length;
      const answersBefore = (await stack.outbox()).email.filter(
        (email) => email.to === FIXTURE_SENDER && email.subject.startsWith('Re:'),
      ).length;

      // Act
      const emailed = await stack.emailIn(raw);
      const texted = await stack.text(smsAda, text);

      // Assess: the same state, the same answer, the same news for the partner.
      expect(emailed.body.outcome.result).toBe('applied');
      expect(await stateOf(twin.emailId)).toEqual(await stateOf(twin.smsId));
      const smsAnswer = [...texted.body.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) => match[1]);
      // Our answer in the thread (a decision also brings its confirmation email after it).
      const answers = (await stack.outbox()).email.filter(
        (email) => email.to === FIXTURE_SENDER && email.subject.startsWith('Re:'),
      );
      const emailAnswer = answers.at(-1);
      expect(smsAnswer.length).toBeGreaterThan(0);
      expect(answers.length - answersBefore).toBe(PLAIN.has(text) ? 0 : 1);
      for (const line of PLAIN.has(text) ? [] : smsAnswer) {
        expect(emailAnswer?.text).toContain(
          line?.replaceAll('&apos;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
        );
      }
      const newTexts = (await stack.outbox()).sms.slice(textsBefore);
      expect(newTexts.filter((sms) => sms.to === emailBen).map((sms) => sms.body)).toEqual(
        newTexts.filter((sms) => sms.to === smsBen).map((sms) => sms.body),
      );
    },
  );
});
