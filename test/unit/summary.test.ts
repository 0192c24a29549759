import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CheckIn, Member, Need } from '#shared/domain/partnership.js';
import type { HistoryEvent } from '#shared/domain/ports.js';
import { type MemberSummary, summarizeTrial, type TrialHistory } from '#shared/domain/summary.js';

/*
 * Every trial below starts at 2026-10-20T14:00Z: 10:00 in New York, 15:00 in London, so for both Ada and
 * Ben Day 0 is Tue 20 Oct, Day 1 is Wed 21 Oct, Day 11 is Sat 31 Oct, Day 12 is Sun 1 Nov and Day 14 is
 * Tue 3 Nov. London leaves summer time on 25 Oct and New York on 1 Nov, inside the trial on purpose.
 * Every expected number is counted by hand from the script of the test it sits in.
 */
const STARTED_AT = '2026-10-20T14:00:00.000Z';
const GRACE_PER_MONTH = 2;

function member(id: string, name: string, timezone: string, checkInTime: string, more: Partial<Member> = {}) {
  const base: Member = {
    id,
    partnershipId: 'ptn_1',
    name,
    phone: '+12125550101',
    timezone,
    checkInTime,
    goal: 'a small daily step',
    cadence: 'daily',
    checkInBy: 'sms',
    status: 'active',
    joinedAt: '2026-10-20T13:00:00.000Z',
  };
  return { ...base, ...more };
}

const ada = member('ada', 'Ada', 'America/New_York', '08:30');
const ben = member('ben', 'Ben', 'Europe/London', '19:00');

/** One character per day from Day 1: Y on track, A answered otherwise, G grace, . sent and never answered, - no check-in. */
type DayScript = string;

/** Scripts a partnership's trial day by day, recording what the conversation records. */
class TrialScript {
  private readonly checkIns: CheckIn[] = [];
  private readonly events: HistoryEvent[] = [];
  private readonly needs: Need[] = [];

  constructor(private readonly members: Member[] = [ada, ben]) {}

  /** The member's local date on trial day `day` (Day 0 is the local date at STARTED_AT). */
  localDate(who: Member, day: number): string {
    const day0 = DateTime.fromISO(STARTED_AT, { zone: who.timezone }).startOf('day');
    return day0.plus({ days: day }).toISODate() ?? '';
  }

  /** The instant a member's local wall-clock time (their check-in time by default) falls on trial day `day`. */
  at(who: Member, day: number, time = who.checkInTime, plusMinutes = 0): string {
    const local = DateTime.fromISO(`${this.localDate(who, day)}T${time}`, { zone: who.timezone });
    return local.plus({ minutes: plusMinutes }).toUTC().toISO() ?? '';
  }

  /** Check-ins and replies, one day per character; `answeredAt` moves a reply to another local time that day. */
  days(
    who: Member,
    script: DayScript,
    options: { moods?: Record<number, number>; answeredAt?: Record<number, string> } = {},
  ): this {
    [...script].forEach((symbol, index) => {
      const day = index + 1;
      if (symbol === '-') return;
      const sentAt = this.at(who, day);
      const answer = options.answeredAt?.[day];
      const answeredAt = answer ? this.at(who, day, answer) : this.at(who, day, who.checkInTime, 7);
      const status =
        symbol === 'Y' ? 'on_track' : symbol === 'G' ? 'grace' : symbol === 'A' ? 'answered' : 'sent';
      const mood = options.moods?.[day];
      this.checkIns.push({
        partnershipId: 'ptn_1',
        memberId: who.id,
        localDate: this.localDate(who, day),
        status,
        sentAt,
        ...(status === 'sent' ? {} : { answeredAt }),
        ...(mood === undefined ? {} : { mood }),
      });
      if (status === 'on_track') this.event(who, answeredAt, 'on_track');
      if (status === 'grace') this.event(who, answeredAt, 'grace', { left: 0 });
      if (mood !== undefined) this.event(who, answeredAt, 'mood', { score: mood });
    });
    return this;
  }

  event(who: Member, at: string, kind: string, data?: Record<string, unknown>): this {
    this.events.push({ memberId: who.id, kind, at, ...(data ? { data } : {}) });
    return this;
  }

  /** A need raised at `at`; with `takenOn`, a partner said ON IT at that instant. */
  need(who: Member, at: string, text: string, takenOn?: { by: Member; at: string }): this {
    const id = `${at}#${who.id}`;
    this.needs.push({
      id,
      partnershipId: 'ptn_1',
      memberId: who.id,
      text,
      raisedAt: at,
      status: takenOn ? 'on_it' : 'open',
      ...(takenOn ? { acknowledgedBy: takenOn.by.id, acknowledgedAt: takenOn.at } : {}),
    });
    this.event(who, at, 'need', { needId: id });
    if (takenOn) this.event(takenOn.by, takenOn.at, 'on_it', { needId: id });
    return this;
  }

  /** The stored history; events and check-ins come back in reverse, as a store may list them. */
  build(members: Member[] = this.members): TrialHistory {
    return {
      partnership: { id: 'ptn_1', graceTokensPerMonth: GRACE_PER_MONTH, startedAt: STARTED_AT },
      members,
      checkIns: [...this.checkIns].reverse(),
      events: [...this.events].reverse(),
      needs: [...this.needs].reverse(),
    };
  }
}

const SYMBOL = {
  on_track: 'Y',
  answered: 'A',
  grace: 'G',
  paused: 'P',
  review: 'R',
  unanswered: '.',
  no_check_in: '-',
} as const;
/** A summary's days as one character each: Y on track, A answered, G grace, P paused, R the review awaiting its answer, . unanswered, - no check-in. */
const statusLine = (summary: MemberSummary) => summary.days.map((day) => SYMBOL[day.status]).join('');

describe('trial summary', () => {
  it('counts a perfect run as 14 of 14 on track with both grace days still there', () => {
    // Prepare
    const history = new TrialScript().days(ada, 'YYYYYYYYYYYYYY').build();

    // Act
    const summary = summarizeTrial(history, 'ada');

    // Assess
    expect(summary).toMatchObject({
      memberId: 'ada',
      name: 'Ada',
      checkInsSent: 14,
      checkInsAnswered: 14,
      onTrackDays: 14,
      graceUsed: 0,
      graceLeft: 2,
      pauses: 0,
      deadlinesMoved: 0,
      needsRaised: 0,
      needsAnswered: 0,
      moods: [],
      reflections: {},
      partnerHighlights: [],
      optedOut: false,
    });
    expect(statusLine(summary)).toBe('YYYYYYYYYYYYYY');
  });

  it('numbers Day 1 to Day 14 from the local day after the partnership started, in the member’s own dates', () => {
    // Prepare
    const history = new TrialScript().days(ada, 'YYYYYYYYYYYYYY').build();

    // Act
    const { days } = summarizeTrial(history, 'ada');

    // Assess
    expect(days).toHaveLength(14);
    expect(days[0]).toEqual({ day: 1, localDate: '2026-10-21', status: 'on_track' });
    expect(days[10]).toEqual({ day: 11, localDate: '2026-10-31', status: 'on_track' });
    expect(days[13]).toEqual({ day: 14, localDate: '2026-11-03', status: 'on_track' });
  });

  it('starts a member in Auckland a day later, because 14:00 UTC is already the next morning there', () => {
    // Prepare: 2026-10-20T14:00Z is 03:00 on Wed 21 Oct in Auckland (UTC+13), so that is Day 0.
    const kiri = member('kiri', 'Kiri', 'Pacific/Auckland', '07:00');
    const history = new TrialScript([ada, kiri]).days(kiri, 'YYYYYYYYYYYYYY').build();

    // Act
    const summary = summarizeTrial(history, 'kiri');

    // Assess
    expect(summary.days[0]?.localDate).toBe('2026-10-22');
    expect(summary.days[13]?.localDate).toBe('2026-11-04');
    expect(summary.checkInsSent).toBe(14);
  });

  it('covers as many days as asked for, and leaves out check-ins after the last one', () => {
    // Prepare: 15 days of check-ins; the 15th (Wed 4 Nov) is after a 14-day trial.
    const history = new TrialScript().days(ada, 'YYYYYYYYYYYYYYY').build();

    // Act
    const fourteen = summarizeTrial(history, 'ada');
    const twentyEight = summarizeTrial(history, 'ada', { lengthDays: 28 });

    // Assess
    expect(fourteen.checkInsSent).toBe(14);
    expect(twentyEight.days).toHaveLength(28);
    expect(twentyEight.days[27]).toEqual({ day: 28, localDate: '2026-11-17', status: 'no_check_in' });
    expect(twentyEight.checkInsSent).toBe(15);
  });

  it('shows two grace days as grace (checked in, not gaps), the review day as awaiting its answer, and leaves no grace this month', () => {
    // Prepare: GRACE on Sun 1 Nov and Mon 2 Nov; on Tue 3 Nov, the review, no answer has come yet.
    const history = new TrialScript().days(ada, 'YYYYYYYYYYYGG.').build();

    // Act
    const summary = summarizeTrial(history, 'ada');

    // Assess
    expect(summary).toMatchObject({
      checkInsSent: 14,
      checkInsAnswered: 13,
      daysCheckedIn: 13,
      onTrackDays: 11,
      graceUsed: 2,
      graceLeft: 0,
    });
    expect(statusLine(summary)).toBe('YYYYYYYYYYYGGR');
  });

  it('counts only grace spent in the last day’s own local month as used up, whatever UTC says', () => {
    // Prepare: GRACE at 23:30 on Sat 31 Oct in New York (03:30 UTC on 1 Nov) and at 08:37 on Mon 2 Nov.
    const history = new TrialScript()
      .days(ada, 'YYYYYYYYYYGYGY', { answeredAt: { 11: '23:30' } })
      .days(ben, 'GGYYYYYYYYYYYY')
      .build();

    // Act
    const adaSummary = summarizeTrial(history, 'ada');
    const benSummary = summarizeTrial(history, 'ben');

    // Assess: Ada spent one in October and one in November; Ben spent both in October.
    expect(adaSummary).toMatchObject({ graceUsed: 2, graceLeft: 1 });
    expect(benSummary).toMatchObject({ graceUsed: 2, graceLeft: 2 });
  });

  it('shows a 3-day pause as paused to rest, and the check-ins after RESUME as usual', () => {
    // Prepare: PAUSE 3 at 07:00 on Day 5 (Sun 25 Oct), before that day's check-in; back on Day 8 (Wed 28 Oct).
    const script = new TrialScript().days(ada, 'YYYY---YYYYYYY');
    script
      .event(ada, script.at(ada, 5, '07:00'), 'pause', { days: 3, until: '2026-10-28' })
      .event(ada, script.at(ada, 8), 'resume');

    // Act
    const summary = summarizeTrial(script.build(), 'ada');

    // Assess
    expect(statusLine(summary)).toBe('YYYYPPPYYYYYYY');
    expect(summary).toMatchObject({ checkInsSent: 11, checkInsAnswered: 11, onTrackDays: 11, pauses: 1 });
  });

  it('ends a pause early when the member says RESUME', () => {
    // Prepare: PAUSE 7 at noon on Day 3 (until Fri 30 Oct); RESUME at noon on Day 5, check-ins back that evening.
    const script = new TrialScript().days(ben, 'YY--YYYYYYYYYY');
    script
      .event(ben, script.at(ben, 3, '12:00'), 'pause', { days: 7, until: '2026-10-30' })
      .event(ben, script.at(ben, 5, '12:00'), 'resume');

    // Act
    const summary = summarizeTrial(script.build(), 'ben');

    // Assess
    expect(statusLine(summary)).toBe('YYPPYYYYYYYYYY');
    expect(summary).toMatchObject({ checkInsSent: 12, onTrackDays: 12, pauses: 1 });
  });

  it('shows the evening’s unanswered check-in as paused when the member paused instead of answering', () => {
    // Prepare: Day 6's check-in goes out at 19:00; at 20:00 Ben says PAUSE 2 (until Wed 28 Oct, Day 8).
    const script = new TrialScript().days(ben, 'YYYYY.-YYYYYYY');
    script.event(ben, script.at(ben, 6, '20:00'), 'pause', { days: 2, until: '2026-10-28' });

    // Act
    const summary = summarizeTrial(script.build(), 'ben');

    // Assess
    expect(statusLine(summary)).toBe('YYYYYPPYYYYYYY');
    expect(summary).toMatchObject({ checkInsSent: 13, checkInsAnswered: 12, onTrackDays: 12, pauses: 1 });
  });

  it('shows no check-ins after a member opts out on Day 8, and says they opted out', () => {
    // Prepare: Ben answers Days 1 to 8, then texts STOP at 21:00 on Day 8 (Wed 28 Oct).
    const script = new TrialScript().days(ben, 'YYYYYYYY').days(ada, 'YYYYYYYYYYYYYY');
    script.event(ben, script.at(ben, 8, '21:00'), 'opted_out');
    const history = script.build([ada, { ...ben, status: 'opted_out' }]);

    // Act
    const benSummary = summarizeTrial(history, 'ben');
    const adaSummary = summarizeTrial(history, 'ada');

    // Assess
    expect(statusLine(benSummary)).toBe('YYYYYYYY------');
    expect(benSummary).toMatchObject({
      checkInsSent: 8,
      checkInsAnswered: 8,
      onTrackDays: 8,
      optedOut: true,
    });
    expect(adaSummary.optedOut).toBe(false);
  });

  it('counts fourteen check-ins with no replies as sent, none answered, every day but the review unanswered', () => {
    // Prepare
    const history = new TrialScript().days(ada, '..............').build();

    // Act
    const summary = summarizeTrial(history, 'ada');

    // Assess
    expect(summary).toMatchObject({
      checkInsSent: 14,
      checkInsAnswered: 0,
      daysCheckedIn: 0,
      onTrackDays: 0,
      graceUsed: 0,
      graceLeft: 2,
      pauses: 0,
      moods: [],
    });
    expect(statusLine(summary)).toBe('.............R');
  });

  it('shows a weekdays-only member’s weekends as days without a check-in', () => {
    // Prepare: Sat 24 and Sun 25 Oct are Days 4 and 5; Sat 31 Oct and Sun 1 Nov are Days 11 and 12.
    const history = new TrialScript([ada, { ...ben, cadence: 'weekdays' }])
      .days(ben, 'YYY--YYYYY--YY')
      .build();

    // Act
    const summary = summarizeTrial(history, 'ben');

    // Assess
    expect(statusLine(summary)).toBe('YYY--YYYYY--YY');
    expect(summary).toMatchObject({ checkInsSent: 10, checkInsAnswered: 10, onTrackDays: 10 });
  });

  it('picks up the member’s own Day 3 and Day 7 words and support score, the latest answer winning', () => {
    // Prepare
    const script = new TrialScript().days(ada, 'YYYYYYYYYYYYYY');
    script
      .event(ada, script.at(ada, 3, '09:00'), 'reflection', { day: 3, text: 'Mornings are easy.' })
      .event(ada, script.at(ada, 4, '09:00'), 'reflection', {
        day: 3,
        text: 'Mornings are easy; Sundays are hard.',
      })
      .event(ada, script.at(ada, 7, '09:00'), 'reflection', { day: 7, text: 'The 08:30 text works.' })
      .event(ada, script.at(ada, 7, '09:01'), 'support_score', { score: 4 })
      .event(ben, script.at(ben, 3, '20:00'), 'reflection', { day: 3, text: 'Rain makes running hard.' })
      .event(ben, script.at(ben, 7, '20:00'), 'support_score', { score: 2 });

    // Act
    const summary = summarizeTrial(script.build(), 'ada');

    // Assess
    expect(summary.reflections).toEqual({
      day3: 'Mornings are easy; Sundays are hard.',
      day7: 'The 08:30 text works.',
      supportScore: 4,
    });
  });

  it('counts needs raised and those a partner said ON IT to, for each member separately', () => {
    // Prepare: Ada asks twice and Ben takes on the first; Ben asks once and it is still open.
    const script = new TrialScript().days(ada, 'YYYYYYYYYYYYYY').days(ben, 'YYYYYYYYYYYYYY');
    script
      .need(ada, script.at(ada, 2, '09:00'), 'a quiet hour on Sunday', {
        by: ben,
        at: script.at(ben, 2, '19:30'),
      })
      .need(ada, script.at(ada, 9, '09:00'), 'someone to read chapter two')
      .need(ben, script.at(ben, 5, '19:10'), 'a running buddy on Saturday');

    // Act
    const adaSummary = summarizeTrial(script.build(), 'ada');
    const benSummary = summarizeTrial(script.build(), 'ben');

    // Assess
    expect(adaSummary).toMatchObject({ needsRaised: 2, needsAnswered: 1 });
    expect(benSummary).toMatchObject({ needsRaised: 1, needsAnswered: 0 });
  });

  it('phrases a partner’s kindness warmly and never mentions what a partner left undone', () => {
    // Prepare: Ben takes on Ada's need; Ada does not take on Ben's.
    const script = new TrialScript();
    script
      .need(ada, script.at(ada, 2, '09:00'), 'a quiet hour on Sunday', {
        by: ben,
        at: script.at(ben, 2, '19:30'),
      })
      .need(ben, script.at(ben, 5, '19:10'), 'a running buddy on Saturday');

    // Act
    const adaSummary = summarizeTrial(script.build(), 'ada');
    const benSummary = summarizeTrial(script.build(), 'ben');

    // Assess
    expect(adaSummary.partnerHighlights).toEqual(['Ben took on your need: a quiet hour on Sunday']);
    expect(benSummary.partnerHighlights).toEqual([]);
  });

  it('keeps the three newest partner highlights, newest last', () => {
    // Prepare: four kind acts by Ben, on Days 2, 6, 9 and 11.
    const script = new TrialScript();
    script
      .need(ada, script.at(ada, 2, '09:00'), 'a quiet hour on Sunday', {
        by: ben,
        at: script.at(ben, 2, '19:30'),
      })
      .event(ada, script.at(ada, 6, '09:00'), 'deadline_proposed', { date: '2026-11-10' })
      .event(ben, script.at(ben, 6, '19:05'), 'deadline_agreed', { date: '2026-11-10', for: 'ada' })
      .event(ben, script.at(ben, 9, '19:05'), 'offer', { text: 'happy to proofread on Friday' })
      .need(ada, script.at(ada, 10, '09:00'), 'someone to read chapter two', {
        by: ben,
        at: script.at(ben, 11, '19:20'),
      });

    // Act
    const summary = summarizeTrial(script.build(), 'ada');

    // Assess
    expect(summary.partnerHighlights).toEqual([
      'Ben agreed to move your deadline to Tue 10 Nov',
      'Ben offered to help: happy to proofread on Friday',
      'Ben took on your need: someone to read chapter two',
    ]);
  });

  it('lists moods in date order and shows each on its day', () => {
    // Prepare
    const history = new TrialScript()
      .days(ada, 'YYYYYYYYYYYYYY', { moods: { 9: 5, 2: 4, 5: 2 } })
      .days(ben, 'YYYYYYYYYYYYYY', { moods: { 1: 1 } })
      .build();

    // Act
    const summary = summarizeTrial(history, 'ada');

    // Assess
    expect(summary.moods).toEqual([
      { localDate: '2026-10-22', score: 4 },
      { localDate: '2026-10-25', score: 2 },
      { localDate: '2026-10-29', score: 5 },
    ]);
    expect(summary.days[1]).toEqual({ day: 2, localDate: '2026-10-22', status: 'on_track', mood: 4 });
    expect(summary.days[0]).toEqual({ day: 1, localDate: '2026-10-21', status: 'on_track' });
  });

  it('counts a deadline moved for its owner, whether a partner said OK or the proposal stood', () => {
    // Prepare: Ben agrees to Ada's new deadline on Day 6; Ben's own proposal on Day 10 stands a day later.
    const script = new TrialScript();
    script
      .event(ada, script.at(ada, 6, '09:00'), 'deadline_proposed', { date: '2026-11-10' })
      .event(ben, script.at(ben, 6, '19:05'), 'deadline_agreed', { date: '2026-11-10', for: 'ada' })
      .event(ben, script.at(ben, 10, '19:05'), 'deadline_proposed', { date: '2026-11-12' })
      .event(ada, script.at(ada, 10, '15:00'), 'deadline_countered', { date: '2026-11-14' })
      .event(ben, script.at(ben, 11, '19:05'), 'deadline_stood', { date: '2026-11-14' });

    // Act
    const adaSummary = summarizeTrial(script.build(), 'ada');
    const benSummary = summarizeTrial(script.build(), 'ben');

    // Assess
    expect(adaSummary.deadlinesMoved).toBe(1);
    expect(benSummary.deadlinesMoved).toBe(1);
  });

  it('counts every kind of reply as a day checked in: 13 of 14 when the review has no answer yet', () => {
    // Prepare: yes on most days; a reflection (Day 3), a score (Day 7), a win (Day 9) and a need (Day 11)
    // answered those days without saying on track.
    const history = new TrialScript().days(ada, 'YYAYYYAYAYAYYR').build();

    // Act
    const summary = summarizeTrial(history, 'ada');

    // Assess
    expect(summary).toMatchObject({
      checkInsSent: 14,
      checkInsAnswered: 13,
      daysCheckedIn: 13,
      onTrackDays: 9,
    });
    expect(statusLine(summary)).toBe('YYAYYYAYAYAYYR');
  });

  it('counts 14 of 14 when the review day is answered too, while an earlier silent day stays unanswered', () => {
    // Prepare
    const answered = new TrialScript().days(ada, 'YYAYYYAYAYAYYA').build();
    const earlierGap = new TrialScript().days(ada, 'YYAY.YAYAYAYY.').build();

    // Act
    const [all, gap] = [summarizeTrial(answered, 'ada'), summarizeTrial(earlierGap, 'ada')];

    // Assess
    expect(all.daysCheckedIn).toBe(14);
    expect(statusLine(all)).toBe('YYAYYYAYAYAYYA');
    expect(gap.daysCheckedIn).toBe(12);
    expect(statusLine(gap)).toBe('YYAY.YAYAYAYYR');
  });

  it('refuses a member who is not in the partnership, naming them', () => {
    // Prepare
    const history = new TrialScript().build();

    // Act
    const act = () => summarizeTrial(history, 'zoe');

    // Assess
    expect(act).toThrow('partnership "ptn_1" has no member "zoe"');
  });

  it('refuses a partnership that has not started, since it has no Day 1', () => {
    // Prepare
    const history = new TrialScript().build();
    const notStarted = { ...history, partnership: { id: 'ptn_1', graceTokensPerMonth: 2 } };

    // Act
    const act = () => summarizeTrial(notStarted, 'ada');

    // Assess
    expect(act).toThrow('partnership "ptn_1" has not started (no startedAt)');
  });
});
