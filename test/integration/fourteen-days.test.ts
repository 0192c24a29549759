import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

const CY = {
  name: 'Cy',
  phone: '+13125550199',
  timezone: 'America/Chicago',
  checkInTime: '09:00',
  goal: 'stretch',
};

// Three members make a team: its plain check-in is the support stand-up; on Days 6 and 13 the weekly
// chat nudge is that day's check-in.
const CHECK_IN =
  /^(Still on track|What support do you need today|What support today|How can the team help today|Anything the team can do for you today|What would help today|Chat week|Day 1 of 14|Day 3,|Halfway,|Day 14,)/;

describe('a 14-day trial across both daylight-saving changes (London 25 Oct, New York 1 Nov)', () => {
  let stack: Stack;
  let sms: Awaited<ReturnType<Stack['outbox']>>['sms'] = [];

  beforeAll(async () => {
    // Prepare: a pair in New York and London joins on 20 October 2026 at 14:00 UTC, and both reply
    // YES to every check-in before the review; then the clock runs to the end of the trial.
    stack = await startTestStack('2026-10-20T14:00:00Z');
    await stack.enroll({ members: [ADA, BEN, CY] });
    for (const member of [ADA, BEN, CY]) await stack.text(member.phone, 'yes');
    for (let day = 0; day < 15; day++) {
      await stack.advance({ minutes: 24 * 60 });
      // The review (3 November) is answered with a choice below: a YES to it would be CONTINUE.
      if (day < 13) for (const member of [ADA, BEN, CY]) await stack.text(member.phone, 'yes');
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

  it('asks the Day 1, 3, 7 and 14 questions on the right local dates', () => {
    for (const member of [ADA, BEN]) {
      const byDate = new Map(
        sms
          .filter((message) => message.to === member.phone && CHECK_IN.test(message.body))
          .map((message) => [local(message.at, member.timezone).toISODate(), message.body]),
      );
      expect(byDate.get('2026-10-21')).toMatch(/^Day 1 of 14/);
      expect(byDate.get('2026-10-23')).toMatch(/^Day 3,/);
      expect(byDate.get('2026-10-27')).toMatch(/^Halfway,/);
      expect(byDate.get('2026-10-22')).toMatch(
        /^(What support do you need today|What support today|How can the team help today|Anything the team can do for you today|What would help today)/,
      );
      expect(byDate.get('2026-11-03')).toMatch(/^Day 14, .* Reply CONTINUE, TWEAK or PAUSE\.$/);
    }
  });

  it('sends nothing inside anyone’s quiet hours (21:00 to 07:00 local)', () => {
    const scheduled = sms.filter((message) => !/^(Lovely|Welcome)/.test(message.body));
    for (const message of scheduled) {
      const member = [ADA, BEN, CY].find((each) => each.phone === message.to) ?? ADA;
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

  it('follows each member’s own Day-14 choice: CONTINUE, TWEAK with TIME 7:45, and PAUSE', async () => {
    // It is 4 November, 14:00 UTC: the day after the review.
    expect((await stack.text(ADA.phone, 'CONTINUE')).body).toMatch(/Another 14 days together/);
    expect((await stack.text(BEN.phone, 'tweak')).body).toMatch(/Reply TIME 7:45, WEEKDAYS, DAILY/);
    expect((await stack.text(BEN.phone, 'TIME 7:45')).body).toMatch(
      /your check-ins now come at 07:45, from Thu 5 Nov 07:45/,
    );
    expect((await stack.text(CY.phone, 'PAUSE')).body).toMatch(/No more check-ins, and we keep everything/);
    const before = (await stack.outbox()).sms.length;
    await stack.advance({ minutes: 3 * 24 * 60 });
    const after = (await stack.outbox()).sms.slice(before);
    const checkInsOf = (member: { phone: string; timezone: string }) =>
      after
        .filter((message) => message.to === member.phone && CHECK_IN.test(message.body))
        .map((message) => local(message.at, member.timezone).toFormat('yyyy-MM-dd HH:mm'));
    expect(checkInsOf(ADA)).toEqual(['2026-11-05 08:30', '2026-11-06 08:30', '2026-11-07 08:30']);
    expect(checkInsOf(BEN)).toEqual(['2026-11-05 07:45', '2026-11-06 07:45', '2026-11-07 07:45']);
    expect(checkInsOf(CY)).toEqual([]);
    // The others hear Cy's choice once, inside their next check-in, and are not asked to choose again.
    const told = after.filter((message) => /\nCy chose to take a pause\.(\n|$)/.test(message.body));
    expect(told.map((message) => message.to).sort()).toEqual([ADA.phone, BEN.phone].sort());
    for (const message of told) {
      expect(message.body).toMatch(CHECK_IN);
      expect(message.body).not.toMatch(/CONTINUE, TWEAK or PAUSE/);
    }
  });
});
