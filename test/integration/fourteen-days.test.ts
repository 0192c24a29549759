import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

const CHECK_IN = /^(Still on track|Day 1 of 14|Day 3,|Halfway,)/;

describe('a 14-day trial across both daylight-saving changes (London 25 Oct, New York 1 Nov)', () => {
  let stack: Stack;
  let sms: Awaited<ReturnType<Stack['outbox']>>['sms'] = [];

  beforeAll(async () => {
    // Prepare: a pair in New York and London joins on 20 October 2026 at 14:00 UTC, and both reply
    // YES to every check-in; then the clock runs to the end of the trial.
    stack = await startTestStack('2026-10-20T14:00:00Z');
    await stack.enroll({ members: [ADA, BEN] });
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
    for (let day = 0; day < 15; day++) {
      await stack.advance({ minutes: 24 * 60 });
      await stack.text(ADA.phone, 'yes');
      await stack.text(BEN.phone, 'yes');
    }
    sms = (await stack.outbox()).sms;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const local = (at: string, zone: string) => DateTime.fromISO(at, { zone });

  it.each([
    [ADA, '08:30'],
    [BEN, '19:00'],
  ])('texts $name one check-in on each of the 14 local days, at the local check-in time', (member, time) => {
    const checkIns = sms.filter((message) => message.to === member.phone && CHECK_IN.test(message.body));
    const days = checkIns.slice(0, 14).map((message) => local(message.at, member.timezone));
    expect(days.map((at) => at.toISODate())).toEqual(
      Array.from({ length: 14 }, (_, index) =>
        DateTime.fromISO('2026-10-21').plus({ days: index }).toISODate(),
      ),
    );
    expect(new Set(days.map((at) => at.toFormat('HH:mm')))).toEqual(new Set([time]));
  });

  it('asks the Day 1, Day 3 and Day 7 questions on the right local dates', () => {
    for (const member of [ADA, BEN]) {
      const byDate = new Map(
        sms
          .filter((message) => message.to === member.phone && CHECK_IN.test(message.body))
          .map((message) => [local(message.at, member.timezone).toISODate(), message.body]),
      );
      expect(byDate.get('2026-10-21')).toMatch(/^Day 1 of 14/);
      expect(byDate.get('2026-10-23')).toMatch(/^Day 3,/);
      expect(byDate.get('2026-10-27')).toMatch(/^Halfway,/);
      expect(byDate.get('2026-10-22')).toMatch(/^Still on track/);
    }
  });

  it('sends nothing inside anyone’s quiet hours (21:00 to 07:00 local)', () => {
    const scheduled = sms.filter((message) => !/^(Lovely|Welcome)/.test(message.body));
    for (const message of scheduled) {
      const member = message.to === ADA.phone ? ADA : BEN;
      const hour = local(message.at, member.timezone).hour;
      expect(hour >= 7 && hour < 21, `${message.body} at ${message.at}`).toBe(true);
    }
  });

  it('sends no check-in twice', () => {
    const keys = sms
      .filter((message) => CHECK_IN.test(message.body))
      .map(
        (message) =>
          `${message.to}@${local(message.at, message.to === ADA.phone ? ADA.timezone : BEN.timezone).toISODate()}`,
      );
    expect(new Set(keys).size).toBe(keys.length);
  });
});
