import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyEmail, startTestStack, TWILIO_AUTH_TOKEN } from '../support/local-http.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** A distinct New York number per person of this file. */
const phone = (n: number) => `+1212555${String(2000 + n).padStart(4, '0')}`;
const person = (n: number, extra: Record<string, unknown> = {}) => ({
  name: `P${n}`,
  phone: phone(n),
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: `goal ${n}`,
  ...extra,
});

describe('people across partnerships (issue 18)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const enrolled = async (body: unknown) => {
    const response = await stack.enroll(body);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const textsTo = async (to: string) => (await stack.outbox()).sms.filter((text) => text.to === to);

  describe('numbers worth texting', () => {
    it.each([
      ['a US premium-rate number', '+19005551234'],
      ['a UK premium-rate number', '+448712345678'],
      ['a French premium-rate number', '+33899123456'],
      ['a French shared-cost number', '+33810123456'],
      ['a number in a country we do not text', '+5511987654321'],
    ])('refuses %s with a 400 naming members.1.phone, inviting nobody', async (_what, number) => {
      // Prepare
      const before = (await stack.outbox()).sms.length;

      // Act
      const response = await enrolled({ members: [person(1), person(2, { phone: number })] });

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([{ path: 'members.1.phone', message: expect.any(String) }]);
      await stack.advance({ minutes: 1 });
      expect((await stack.outbox()).sms.length).toBe(before);
    });
  });

  describe('text hygiene', () => {
    it('cleans control characters, noncharacters, bidi overrides and zero-width marks from every field, never answering 5xx', async () => {
      // Prepare: every field of the enrollment carries characters that hide or break text.
      const response = await enrolled({
        organiser: 'Text\u0007 Sam\u202E',
        members: [
          person(10, { name: 'Kim\u0001', goal: 'run\uFFFE 5k\u200B' }),
          person(11, { name: 'Lu\u202Ee\u0085', goal: 'Cafe\u0301 visits' }),
        ],
      });
      expect(response.status).toBe(201);
      const id = String(response.body.id);

      // Act: Kim and Lu join, then send free text with the same characters.
      const answers = [
        await stack.text(phone(10), 'YES\u0001'),
        await stack.text(phone(11), 'yes'),
        await stack.text(phone(10), 'GOAL run\uFFFE 5k'),
        await stack.text(phone(11), 'NEED a\u0000 call\u2066 tonight\uFEFF'),
        await stack.text(phone(10), 'WIN did it\u202D\u0008'),
      ];
      await stack.advance({ minutes: 5 });

      // Assess
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      const view = await stack.partnership(id);
      expect(view.members.map((member) => member.name)).toEqual(['Kim', 'Lue']);
      expect(view.members.map((member) => member.status)).toEqual(['active', 'active']);
      const goals = view.members.map((member) => (member as unknown as { goal: string }).goal);
      expect(goals).toEqual(['run 5k', 'Caf\u00e9 visits']);
      const sent = [...(await textsTo(phone(10))), ...(await textsTo(phone(11)))].map((text) => text.body);
      expect(sent.length).toBeGreaterThan(0);
      for (const body of sent)
        expect(body).not.toMatch(/[^\P{Cc}\n]|[\u202A-\u202E\u2066-\u2069\u200B\uFEFF\uFFFE]/u);
    });

    it('answers an emailed reply whose subject is 1,500 characters long', async () => {
      // Prepare: Ada checks in by email and has had her Day 1 check-in.
      const email = 'long.subject@example.com';
      const response = await enrolled({
        members: [person(20, { email, checkInBy: 'email' }), person(21)],
      });
      await stack.text(phone(20), 'yes');
      await stack.text(phone(21), 'yes');
      await stack.advance({ to: '2026-11-25T14:00:00Z' });
      const day1 = (await stack.outbox()).email.filter((each) => each.to === email).at(-1);
      const raw = replyEmail({ from: email, to: day1?.replyTo ?? '', text: 'yes' }).replace(
        'Subject: Re: Still on track today?',
        `Subject: Re: ${'long '.repeat(300)}`,
      );

      // Act
      const result = await stack.emailIn(raw, { messageId: 'seslongsubject01' });
      await stack.advance({ minutes: 1 });

      // Assess
      expect(response.status).toBe(201);
      expect(result.body.outcome.result).toBe('applied');
      const answer = (await stack.outbox()).email.filter((each) => each.to === email).at(-1);
      expect(answer?.subject.length).toBeLessThanOrEqual(210);
      expect(answer?.subject.startsWith('Re: long long')).toBe(true);
    });
  });

  describe('webhook form hygiene', () => {
    it('refuses a signed form that repeats a key with 400, storing nothing', async () => {
      // Prepare: a form Twilio never sends, correctly signed.
      const url = `${stack.url}/webhooks/twilio/sms`;
      const entries: Array<[string, string]> = [
        ['MessageSid', 'SMrepeated000000000000000000000001'],
        ['From', phone(10)],
        ['To', '+15005550006'],
        ['Body', 'STOP'],
        ['Body', 'yes'],
      ];
      const signature = getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, {
        MessageSid: 'SMrepeated000000000000000000000001',
        From: phone(10),
        To: '+15005550006',
        Body: ['STOP', 'yes'],
      } as unknown as Record<string, string>);

      // Act
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(entries).toString(),
      });

      // Assess: refused, and the same sid is still new (nothing was stored under it).
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ issues: [{ path: 'Body' }] });
      const again = await stack.text(phone(10), 'hello', {
        messageSid: 'SMrepeated000000000000000000000001',
      });
      expect(again.status).toBe(200);
      expect(again.body).toContain('<Message>');
    });
  });
});
