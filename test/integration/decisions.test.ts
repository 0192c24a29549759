import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Outbox, startTestStack } from '../support/local-http.js';

const ADA = {
  name: 'Ada',
  phone: '+12125550161',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
};
const BEN = {
  name: 'Ben',
  phone: '+447911123461',
  timezone: 'Europe/London',
  checkInTime: '08:00',
  goal: 'run',
};
const DAY_1 = '2026-11-03';
const at = (day: number, time = '14:00') =>
  DateTime.fromISO(`${DAY_1}T${time}:00Z`)
    .plus({ days: day - 1 })
    .toISO() ?? '';
const trialDayOf = (sms: { at: string }, zone: string) =>
  Math.round(
    DateTime.fromISO(DateTime.fromISO(sms.at, { zone }).toISODate() ?? '')
      .diff(DateTime.fromISO(DAY_1), 'days')
      .as('days'),
  ) + 1;

describe('the Day-14 choice: asked once, confirmed once, heard once, one gentle reminder', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let outbox: Outbox;
  const answers: string[] = [];

  beforeAll(async () => {
    // Prepare: a pair joins on 2 November; both say yes every day; on Day 14 Ada chooses CONTINUE
    // (twice, as people do) and Ben never chooses.
    stack = await startTestStack('2026-11-02T14:00:00Z');
    await stack.enroll({ members: [ADA, BEN] });
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
    // Ben answers every check-in but the review itself (a yes to the review would be his choice).
    for (let day = 1; day <= 13; day++) {
      await stack.advance({ to: at(day) });
      await stack.text(ADA.phone, 'yes');
      await stack.text(BEN.phone, 'yes');
    }
    await stack.advance({ to: at(14) });
    answers.push((await stack.text(ADA.phone, 'CONTINUE')).body);
    answers.push((await stack.text(ADA.phone, 'continue')).body);
    for (let day = 15; day <= 18; day++) {
      await stack.advance({ to: at(day) });
      await stack.text(ADA.phone, 'yes');
      await stack.text(BEN.phone, 'yes');
    }
    outbox = await stack.outbox();
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  const unprompted = (member: typeof ADA) =>
    outbox.sms.filter((sms) => sms.to === member.phone && sms.direction === 'outbound-api');

  it('confirms a choice once; saying it again changes nothing and says so', () => {
    expect(answers[0]).toMatch(/Another 14 days together/);
    expect(answers[1]).toMatch(/Your choice is noted already, Ada/);
    const told = outbox.sms.filter((sms) => sms.to === BEN.phone && /Ada chose to continue/.test(sms.body));
    expect(told).toHaveLength(1);
  });

  it('tells the partner inside their next check-in, without asking them to choose by it', () => {
    const told = unprompted(BEN).filter((sms) => /Ada chose to continue/.test(sms.body));
    expect(told.map((sms) => trialDayOf(sms, BEN.timezone))).toEqual([15]);
    expect(told[0]?.body).toMatch(/^Still on track/);
    expect(told[0]?.body).not.toMatch(/CONTINUE/);
  });

  it('never asks a member who has chosen to choose again', () => {
    const after = unprompted(ADA).filter((sms) => trialDayOf(sms, ADA.timezone) > 14);
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after.filter((sms) => /CONTINUE, TWEAK or PAUSE/.test(sms.body))).toEqual([]);
  });

  it('reminds a member who has not chosen once, two days after the review, inside the check-in', () => {
    const reminders = unprompted(BEN).filter((sms) => /CONTINUE, TWEAK or PAUSE/.test(sms.body));
    expect(reminders.map((sms) => trialDayOf(sms, BEN.timezone))).toEqual([14, 16]);
    expect(reminders[1]?.body).toMatch(/^Still on track.*\nNo rush: whenever you like/s);
    const perDay = unprompted(BEN).filter((sms) => trialDayOf(sms, BEN.timezone) === 16);
    expect(perDay).toHaveLength(1);
  });
});
