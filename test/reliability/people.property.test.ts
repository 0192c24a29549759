import fc from 'fast-check';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, TWILIO_AUTH_TOKEN } from '../support/local-http.js';
import { figure } from './figures.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** Three partnerships over four people: P0 is in A and B, P1 in A and C. */
const PARTNERSHIPS = { A: [0, 1], B: [2, 0], C: [1, 3] } as const;
type Name = keyof typeof PARTNERSHIPS;

const action = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ enroll: fc.constantFrom<Name>('A', 'B', 'C'), bothJoin: fc.boolean() }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      person: fc.integer({ min: 0, max: 3 }),
      text: fc.constantFrom('yes', 'JOIN', 'grace', '1 yes', '2 grace', 'status', 'hmm'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      person: fc.integer({ min: 0, max: 3 }),
      optOut: fc.constantFrom('STOP', 'please stop texting me', 'OptOutType'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ person: fc.integer({ min: 0, max: 3 }), start: fc.constant(true) }) },
  { weight: 2, arbitrary: fc.record({ advanceHours: fc.integer({ min: 1, max: 30 }) }) },
);

describe('people across three partnerships, in random sequences (issue 18)', () => {
  let stack: Stack;
  let run = 0;
  const tally = {
    runs: 0,
    actions: 0,
    refused409: 0,
    textsToSuppressed: 0,
    textsChecked: 0,
    activeChecked: 0,
    activeWithoutCheckIn: 0,
  };

  beforeAll(async () => {
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const now = async () => ((await (await fetch(`${stack.url}/local/clock`)).json()) as { now: string }).now;
  const optOutByTwilio = (from: string, sid: string) => {
    const url = `${stack.url}/webhooks/twilio/sms`;
    const form = { MessageSid: sid, From: from, To: '+15005550006', Body: 'halt', OptOutType: 'STOP' };
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, form),
      },
      body: new URLSearchParams(form).toString(),
    });
  };

  it('never texts a suppressed person, and every active membership of a started partnership gets its check-in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
        run += 1;
        tally.runs += 1;
        const phones = [0, 1, 2, 3].map((n) => `+1212555${String(3000 + run * 10 + n).padStart(4, '0')}`);
        const ids: Partial<Record<Name, string>> = {};
        /** When each person's suppression began (virtual time), while it lasts; and the intervals that ended. */
        const suppressedSince = new Map<number, string>();
        const intervals: Array<{ phone: string; from: string; to: string }> = [];

        for (const [index, step] of actions.entries()) {
          tally.actions += 1;
          if ('enroll' in step) {
            if (ids[step.enroll]) continue;
            const members = PARTNERSHIPS[step.enroll].map((n, position) => ({
              name: `P${n}`,
              phone: phones[n],
              timezone: 'America/New_York',
              checkInTime: position === 0 ? '08:30' : '09:00',
              goal: `${step.enroll.toLowerCase()} goal ${n}`,
            }));
            const response = await stack.enroll({ members });
            const anySuppressed = PARTNERSHIPS[step.enroll].some((n) => suppressedSince.has(n));
            if (anySuppressed) {
              expect(response.status).toBe(409);
              tally.refused409 += 1;
            } else {
              expect(response.status).toBe(201);
              ids[step.enroll] = ((await response.json()) as { id: string }).id;
              // Often both say JOIN at once (it joins an invitation whether or not they are in another).
              if (step.bothJoin) for (const each of members) await stack.text(each.phone ?? '', 'JOIN');
            }
          } else if ('advanceHours' in step) {
            await stack.advance({ minutes: step.advanceHours * 60 });
          } else if ('optOut' in step) {
            const phone = phones[step.person] ?? '';
            const sid = `SMprop${String(run).padStart(6, '0')}${String(index).padStart(20, '0')}`;
            const response =
              step.optOut === 'OptOutType'
                ? await optOutByTwilio(phone, sid)
                : await stack.text(phone, step.optOut);
            expect(response.status).toBe(200);
            if (!suppressedSince.has(step.person)) suppressedSince.set(step.person, await now());
          } else if ('start' in step) {
            const phone = phones[step.person] ?? '';
            expect((await stack.text(phone, 'START')).status).toBe(200);
            const since = suppressedSince.get(step.person);
            if (since) intervals.push({ phone, from: since, to: await now() });
            suppressedSince.delete(step.person);
          } else {
            expect((await stack.text(phones[step.person] ?? '', step.text)).status).toBe(200);
          }
        }

        // Two days later, every active member of a started partnership has had a check-in (the first one
        // comes the day after the partnership starts, so up to 48 hours on).
        const checkpoint = await now();
        await stack.advance({ minutes: 50 * 60 });
        const end = await now();
        for (const [n, since] of suppressedSince)
          intervals.push({ phone: phones[n] ?? '', from: since, to: end });
        for (const id of Object.values(ids)) {
          const view = (await stack.partnership(id)) as Awaited<ReturnType<Stack['partnership']>> & {
            startedAt?: string;
          };
          if (!view.startedAt) continue;
          for (const member of view.members) {
            if (member.status !== 'active') continue;
            const recent = member.checkIns.filter(
              (checkIn) => ((checkIn as { sentAt?: string }).sentAt ?? '') > checkpoint,
            );
            tally.activeChecked += 1;
            if (recent.length === 0) tally.activeWithoutCheckIn += 1;
            expect(recent.length).toBeGreaterThan(0);
          }
        }
        // Nothing we sent of our own accord reached a person while they were suppressed.
        const sms = (await stack.outbox()).sms.filter((text) => text.direction === 'outbound-api');
        const leaked = sms.filter((text) =>
          intervals.some((each) => each.phone === text.to && text.at > each.from && text.at < each.to),
        );
        tally.textsToSuppressed += leaked.length;
        tally.textsChecked += sms.filter((text) => phones.includes(text.to)).length;
        expect(leaked.map((text) => text.body)).toEqual([]);
      }),
      { numRuns: 20, seed: 18, endOnFailure: true },
    );
    figure(
      'People',
      'random runs / actions over 3 partnerships sharing people',
      `${tally.runs} / ${tally.actions}`,
    );
    figure('People', 're-enrollments of a suppressed person refused (409)', tally.refused409);
    figure('People', 'texts we sent to these people, checked', tally.textsChecked);
    figure('People', 'texts to a suppressed person', tally.textsToSuppressed);
    figure('People', 'active memberships of a started partnership checked', tally.activeChecked);
    figure(
      'People',
      'active memberships of a started partnership without a check-in',
      tally.activeWithoutCheckIn,
    );
    // Not vacuous: the runs started partnerships, refused suppressed people and sent texts.
    expect(tally.activeChecked).toBeGreaterThan(0);
    expect(tally.refused409).toBeGreaterThan(0);
    expect(tally.textsChecked).toBeGreaterThan(0);
  }, 600_000);
});
