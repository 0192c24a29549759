import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageBudget } from '#shared/domain/message-budget.js';
import { type Outbox, startTestStack } from '../support/local-http.js';

interface Scripted {
  name: string;
  phone: string;
  timezone: string;
  checkInTime: string;
  goal: string;
  email?: string;
  /** What the member replies on trial days 1 to 14, at 14:00 UTC (after every check-in of the day). */
  says: Record<number, string>;
}

const JOINED = '2026-11-02T14:00:00Z';
const DAY_1 = '2026-11-03';
const everyDay = (special: Record<number, string>) =>
  Object.fromEntries(Array.from({ length: 14 }, (_, index) => [index + 1, special[index + 1] ?? 'yes']));

/** The pair: Ada answers every day with a mix of yes, her own words, a score, a win, a need and a grace day. */
const PAIR: Scripted[] = [
  {
    name: 'Ada',
    phone: '+12125550141',
    timezone: 'America/New_York',
    checkInTime: '08:30',
    goal: 'write 300 words',
    email: 'ada.budget@example.com',
    says: everyDay({
      2: 'yep',
      3: 'Mornings are easy, evenings are hard',
      4: 'WIN finished the first chapter',
      5: 'need feedback on the intro',
      7: '4',
      9: 'sure thing, done',
      10: 'grace',
      11: 'OFFER a second pair of eyes',
      14: 'CONTINUE',
    }),
  },
  {
    name: 'Ben',
    phone: '+447911123441',
    timezone: 'Europe/London',
    checkInTime: '08:00',
    goal: 'run 3 km',
    says: everyDay({
      3: 'Evenings are easier than mornings for me',
      5: 'ON IT',
      7: '5',
      9: 'WIN ran the long loop without stopping',
      14: 'CONTINUE',
    }),
  },
];

/** A team of four: a need, an offer, wins and a grace day among the yeses. */
const TEAM: Scripted[] = [
  {
    name: 'Cal',
    phone: '+13125550141',
    timezone: 'America/Chicago',
    checkInTime: '07:30',
    goal: 'stretch',
    says: everyDay({
      4: 'need someone to read my cover letter',
      8: 'WIN sent the application',
      14: 'CONTINUE',
    }),
  },
  {
    name: 'Dot',
    phone: '+447911123442',
    timezone: 'Europe/London',
    checkInTime: '09:00',
    goal: 'read a chapter',
    says: everyDay({ 5: 'ON IT', 6: 'OFFER a code review', 7: '4', 14: 'CONTINUE' }),
  },
  {
    name: 'Eli',
    phone: '+12125550142',
    timezone: 'America/New_York',
    checkInTime: '08:00',
    goal: 'practise piano',
    says: everyDay({ 3: 'Short sessions are easy, long ones are hard', 10: 'grace', 14: 'TWEAK' }),
  },
  {
    name: 'Fay',
    phone: '+12125550143',
    timezone: 'America/New_York',
    checkInTime: '07:45',
    goal: 'walk 20 minutes',
    email: 'fay.budget@example.com',
    says: everyDay({ 6: 'WIN walked to work every day', 12: 'not today', 14: 'CONTINUE' }),
  },
];

/** Enrolls a group, has everyone join, and plays 14 days in which everyone replies every day. */
async function playFortnight(group: Scripted[]) {
  const stack = await startTestStack(JOINED);
  const response = await stack.enroll({ members: group.map(({ says: _says, ...member }) => member) });
  const { id } = (await response.json()) as { id: string };
  for (const member of group) await stack.text(member.phone, 'yes');
  for (let day = 1; day <= 14; day++) {
    await stack.advance({
      to:
        DateTime.fromISO(`${DAY_1}T14:00:00Z`)
          .plus({ days: day - 1 })
          .toISO() ?? '',
    });
    for (const member of group) await stack.text(member.phone, member.says[day] ?? 'yes');
  }
  // The evening of Day 14 (boards and anything due that day go out).
  await stack.advance({ to: DateTime.fromISO(`${DAY_1}T23:59:00Z`).plus({ days: 13 }).toISO() ?? '' });
  return { stack, id, outbox: await stack.outbox() };
}

const trialDayOf = (localDate: string) =>
  Math.round(DateTime.fromISO(localDate).diff(DateTime.fromISO(DAY_1), 'days').days) + 1;

/** Unprompted texts (outbound-api) a member got on each trial day, Day 1 to 14, in their own dates. */
function perDay(outbox: Outbox, member: Scripted): number[] {
  const counts = Array.from({ length: 14 }, () => 0);
  for (const sms of outbox.sms) {
    if (sms.to !== member.phone || sms.direction !== 'outbound-api') continue;
    const day = trialDayOf(DateTime.fromISO(sms.at, { zone: member.timezone }).toISODate() ?? '');
    if (day >= 1 && day <= 14) counts[day - 1] = (counts[day - 1] ?? 0) + 1;
  }
  return counts;
}

function figures(outbox: Outbox, group: Scripted[]) {
  return group.map((member) => {
    const days = perDay(outbox, member);
    const total = days.reduce((sum, each) => sum + each, 0);
    return {
      name: member.name,
      average: Math.round((total / 14) * 100) / 100,
      maxAfterDay1: Math.max(...days.slice(1)),
      days: days.join(' '),
    };
  });
}

/** The words a member said about themself: their need, offer and win, as they wrote them. */
const ownWords = (member: Scripted) =>
  Object.values(member.says)
    .filter((text) => /^(need|offer|win)\b/i.test(text))
    .map((text) => text.replace(/^(need|offer|win)\s+/i, ''));

describe.each([
  ['a pair', PAIR],
  ['a team of four', TEAM],
])('the message budget over 14 days for %s where everyone replies every day', (label, group) => {
  let played: Awaited<ReturnType<typeof playFortnight>>;

  beforeAll(async () => {
    played = await playFortnight(group);
  }, 240_000);
  afterAll(async () => {
    await played?.stack.close();
  });

  it('keeps each member within 1.5 unprompted texts a day on average and 3 on any day after Day 1', () => {
    // Act
    const measured = figures(played.outbox, group);
    console.log(`message budget, ${label}:\n${measured.map((each) => JSON.stringify(each)).join('\n')}`);

    // Assess
    for (const each of measured) {
      expect(each.average, each.name).toBeLessThanOrEqual(messageBudget.targets.averagePerDay);
      expect(each.maxAfterDay1, each.name).toBeLessThanOrEqual(messageBudget.targets.maxOnOneDayAfterDay1);
    }
  });

  it('varies its answers: no member reads the same answer more than 3 times in the fortnight', () => {
    // Act
    const most = group.map((member) => {
      const answers = played.outbox.sms
        .filter((sms) => sms.to === member.phone && sms.direction === 'outbound-reply')
        .map((sms) => sms.body);
      const counts = new Map<string, number>();
      for (const body of answers) counts.set(body, (counts.get(body) ?? 0) + 1);
      return { name: member.name, answers: answers.length, mostRepeated: Math.max(...counts.values()) };
    });
    console.log(`answers, ${label}: ${JSON.stringify(most)}`);

    // Assess
    for (const each of most) {
      expect(each.answers, each.name).toBeGreaterThanOrEqual(14);
      expect(each.mostRepeated, each.name).toBeLessThanOrEqual(3);
    }
  });

  it('never texts a member their own need, offer or win', () => {
    for (const member of group) {
      const received = played.outbox.sms.filter(
        (sms) => sms.to === member.phone && sms.direction === 'outbound-api',
      );
      for (const words of ownWords(member)) {
        expect(
          received.filter((sms) => sms.body.includes(words)).map((sms) => sms.body),
          words,
        ).toEqual([]);
      }
    }
  });

  it('shares each partner’s win in their own words, inside a check-in', () => {
    for (const member of group) {
      const wins = group
        .filter((other) => other !== member)
        .flatMap((other) => Object.values(other.says).filter((text) => /^WIN /.test(text)))
        .map((text) => text.replace(/^WIN /, ''));
      const received = played.outbox.sms.filter((sms) => sms.to === member.phone).map((sms) => sms.body);
      for (const win of wins) {
        expect(
          received.filter((body) => body.includes(`"${win}"`)),
          win,
        ).toHaveLength(1);
      }
    }
  });

  it('marks every day answered or better for everyone, and the Day-14 email says 13 of 14 days', async () => {
    // Act
    const view = await played.stack.partnership(played.id);
    const addresses = group.map((member) => member.email);
    const emailed = played.outbox.email.filter(
      (email) => addresses.includes(email.to) && /checked in on/.test(email.text),
    );

    // Assess: Days 1 to 13 were answered (yes, words, a score, a win, a need, grace, not today); the
    // review of Day 14 was sent before its answer, which is not counted against anyone.
    for (const member of view.members) {
      const statuses = member.checkIns
        .filter((checkIn) => trialDayOf(checkIn.localDate) <= 13)
        .map((checkIn) => checkIn.status);
      expect(statuses, member.name).toHaveLength(13);
      expect(
        statuses.filter((status) => !['on_track', 'answered', 'grace'].includes(status)),
        member.name,
      ).toEqual([]);
    }
    if (label === 'a pair') {
      // Ada's own words (Day 3), win (4), need (5), score (7) and offer (11) answered without saying on
      // track; her grace day (10) shows as grace.
      const ada = view.members.find((member) => member.name === 'Ada');
      const byDay = new Map(ada?.checkIns.map((checkIn) => [trialDayOf(checkIn.localDate), checkIn.status]));
      expect([3, 4, 5, 7, 10, 11].map((day) => byDay.get(day))).toEqual([
        'answered',
        'answered',
        'answered',
        'answered',
        'grace',
        'answered',
      ]);
    }
    const withEmail = group.filter((member) => member.email);
    expect(emailed.map((email) => email.to).sort()).toEqual(withEmail.map((member) => member.email).sort());
    for (const email of emailed) expect(email.text).toContain('You checked in on 13 of 14 days');
  });

  it('sends no "Partner news" text and no roll call of who is on track', () => {
    const texts = played.outbox.sms.filter((sms) => group.some((member) => member.phone === sms.to));
    expect(texts.filter((sms) => /Partner news|is on track/.test(sms.body))).toEqual([]);
    if (group.length > 2) {
      // A team never hears who checked in, only the team as a whole.
      const names = group.map((member) => member.name).join('|');
      expect(texts.filter((sms) => new RegExp(`\\b(${names}) checked in`).test(sms.body))).toEqual([]);
    }
  });
});
