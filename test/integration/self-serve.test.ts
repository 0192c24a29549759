import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** A distinct number per person of this file: New York (several zones), London (one zone). */
const us = (n: number) => `+1212555${String(3000 + n).padStart(4, '0')}`;
const uk = (n: number) => `+447400${String(100_000 + n).padStart(6, '0')}`;

describe('self-serve setup by text (issue 20)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // 09:00 in New York, 14:00 in London: nobody is in quiet hours.
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Texts us, and answers with the texts we sent that person because of it. */
  const say = async (from: string, body: string) => {
    const before = (await stack.outbox()).sms.length;
    const response = await stack.text(from, body);
    expect(response.status).toBe(200);
    return (await stack.outbox()).sms
      .slice(before)
      .filter((text) => text.to === from)
      .map((text) => text.body);
  };
  const textsTo = async (to: string) =>
    (await stack.outbox()).sms.filter((text) => text.to === to).map((text) => text.body);

  it('takes a stranger from "Hi" to a trial with two partners, each checked in at their own local time the next day', async () => {
    // Prepare
    const ada = us(1);
    const mia = uk(1);
    const sam = us(2);

    // Act: the initiator's dialog
    const asked = [
      await say(ada, 'Hi'),
      await say(ada, 'Ada'),
      await say(ada, 'write 300 words a day'),
      await say(ada, '8.30am'),
      await say(ada, 'New York'),
      await say(ada, 'YES'),
      await say(ada, 'SKIP'),
      await say(ada, 'Mia +44 7400 100001'),
      await say(ada, `Sam ${sam.slice(2, 5)} ${sam.slice(5, 8)} ${sam.slice(8)}`),
      await say(ada, 'DONE'),
    ];
    const miaBefore = (await textsTo(mia)).length;
    const sent = await say(ada, 'SEND');
    const invitations = { mia: (await textsTo(mia)).slice(miaBefore), sam: await textsTo(sam) };

    // Act: the invitees' answers
    const miaAnswers = [
      await say(mia, 'YES'),
      await say(mia, 'run 3 km'),
      await say(mia, '19:00'),
      await say(mia, 'skip'),
    ];
    const samAnswers = [
      await say(sam, 'yes'),
      await say(sam, 'stretch 10 minutes'),
      await say(sam, '7:45'),
      await say(sam, 'Chicago'),
      await say(sam, 'yes'),
      await say(sam, 'sam@example.com'),
    ];
    const started = {
      ada: (await textsTo(ada)).at(-1),
      mia: (await textsTo(mia)).at(-1),
      sam: (await textsTo(sam)).at(-1),
    };
    await stack.advance({ to: '2026-11-26T06:00:00Z' });
    const outbox = (await stack.outbox()).sms;
    const dayOne = (phone: string) =>
      outbox.find((text) => text.to === phone && text.body.startsWith('Day 1 of 14'));

    // Assess: one question at a time, the zone confirmed back, the invitation previewed
    expect(asked.map((texts) => texts.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 3]);
    expect(asked[0]?.[0]).toMatch(/What is your first name\?/);
    expect(asked[1]?.[0]).toMatch(/^Lovely to meet you, Ada!/);
    expect(asked[4]?.[0]).toBe('New York time, 08:30. Right? Reply YES, or send another city to fix it.');
    expect(asked[9]?.[1]).toBe(
      'Ada invites you to a Soft Partner trial for "write 300 words a day": 14 days of 1-min check-ins, grace passes, happy to adapt. YES or NO?',
    );
    expect(sent).toEqual([expect.stringMatching(/^Invitation sent to Mia and Sam!/)]);
    expect(invitations.mia).toEqual([asked[9]?.[1]]);
    expect(invitations.sam).toEqual([asked[9]?.[1]]);
    // Mia's number has one zone (London): she is never asked for it; Sam is.
    expect(miaAnswers.flat().some((text) => /time zone/.test(text))).toBe(false);
    expect(samAnswers[3]).toEqual(['Chicago time, 07:45. Right? Reply YES, or send another city to fix it.']);
    expect(started.ada).toBe(
      'Everyone is in! Your first check-in comes tomorrow at 08:30, Ada. Reply HELP anytime, STOP to opt out.',
    );
    expect(started.mia).toMatch(/tomorrow at 19:00, Mia/);
    expect(started.sam).toMatch(/tomorrow at 07:45, Sam/);
    // Day 1 the next day, at each one's own local time
    expect(dayOne(ada)?.at).toBe('2026-11-25T13:30:00.000Z');
    expect(dayOne(mia)?.at).toBe('2026-11-25T19:00:00.000Z');
    expect(dayOne(sam)?.at).toBe('2026-11-25T13:45:00.000Z');
  });
});
