import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

const replies = [
  'yes',
  'grace',
  'GRACE please',
  'STOP',
  'start',
  'pause 1',
  'RESUME',
  '3',
  'status',
  'need a hand',
  'hmm',
];
const action = fc.oneof(
  fc.record({ text: fc.constantFrom(...replies) }),
  fc.record({ advanceHours: fc.integer({ min: 1, max: 40 }) }),
);

describe('the conversation, in random sequences of replies and days', () => {
  let stack: Stack;
  let pair = 0;

  beforeAll(async () => {
    stack = await startTestStack('2026-10-05T12:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('keeps the grace balance within 0..N and texts nobody between an opt-out and START', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 0, max: 3 }),
        async (actions, tokens) => {
          pair += 1;
          const phone = `+1212555${String(1000 + pair).slice(-4)}`;
          const partner = `+1718555${String(1000 + pair).slice(-4)}`;
          const created = (await (
            await stack.enroll({
              graceTokensPerMonth: tokens,
              members: [
                { name: 'Ada', phone, timezone: 'America/New_York', checkInTime: '08:30', goal: 'write' },
                { name: 'Ben', phone: partner, timezone: 'Europe/London', checkInTime: '19:00', goal: 'run' },
              ],
            })
          ).json()) as { id: string };
          await stack.text(phone, 'yes');
          await stack.text(partner, 'yes');
          let optedOutAfter: number | undefined;
          for (const step of actions) {
            if ('advanceHours' in step) {
              await stack.advance({ minutes: step.advanceHours * 60 });
            } else {
              const before = (await stack.outbox()).sms.length;
              if (/^start$/i.test(step.text) && optedOutAfter !== undefined) {
                const silent = (await stack.outbox()).sms
                  .slice(optedOutAfter, before)
                  .filter((message) => message.to === phone);
                expect(silent).toEqual([]);
                optedOutAfter = undefined;
              }
              await stack.text(phone, step.text);
              if (step.text === 'STOP' && optedOutAfter === undefined) {
                const after = await stack.outbox();
                // The one confirmation is the last text to the phone so far; nothing may follow it.
                optedOutAfter = after.sms.map((message) => message.to).lastIndexOf(phone) + 1;
                expect(optedOutAfter).toBeGreaterThan(before);
              }
            }
            const left = (await stack.partnership(created.id)).members[0]?.graceTokensLeft;
            expect(left).toBeGreaterThanOrEqual(0);
            expect(left).toBeLessThanOrEqual(tokens);
          }
          if (optedOutAfter !== undefined) {
            const { sms } = await stack.outbox();
            expect(sms.slice(optedOutAfter).filter((message) => message.to === phone)).toEqual([]);
          }
        },
      ),
      { numRuns: 12, seed: 20261124 },
    );
  }, 120_000);
});
