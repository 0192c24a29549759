import { dayLabel } from './calendar.js';
import { graceMonth, graceTokensLeft } from './grace-ledger.js';
import type { CheckIn, Member, Need, Partnership } from './partnership.js';
import type { HistoryEvent } from './ports.js';
import { localDateOf, nextLocalDate, trialPlan } from './trial-plan.js';

/**
 * The Day-14 review, as numbers: what two weeks looked like for one member, read from stored history.
 * Pure: it reads only what it is given (no clock, no store), so the same history always gives the same summary.
 */

/** Everything the store holds about one partnership's trial. */
export interface TrialHistory {
  partnership: Pick<Partnership, 'id' | 'graceTokensPerMonth' | 'startedAt'>;
  members: Member[];
  /** Every member's check-ins. */
  checkIns: CheckIn[];
  /** Every member's events, in any order. */
  events: HistoryEvent[];
  needs: Need[];
}

/**
 * How a day of the trial went: `answered` is any reply to the check-in that did not say on track (a
 * reflection, a score, a win, a need …); `review` is the last day's check-in, the review itself, which
 * the Day-14 email goes out with and so is never counted as unanswered.
 */
export type DayStatus =
  | 'on_track'
  | 'answered'
  | 'grace'
  | 'paused'
  | 'review'
  | 'unanswered'
  | 'no_check_in';

export interface DaySummary {
  day: number;
  localDate: string;
  status: DayStatus;
  mood?: number;
}

export interface MemberSummary {
  memberId: string;
  name: string;
  checkInsSent: number;
  checkInsAnswered: number;
  /** Days the member replied to their check-in (on track, answered or grace), of `days.length`. */
  daysCheckedIn: number;
  onTrackDays: number;
  /** Grace tokens spent during the trial. */
  graceUsed: number;
  /** Tokens left in the month of the last trial day (the member's local month), never below zero. */
  graceLeft: number;
  pauses: number;
  deadlinesMoved: number;
  needsRaised: number;
  /** Needs a partner said ON IT to. */
  needsAnswered: number;
  /** One per check-in that carried a mood, in date order. */
  moods: Array<{ localDate: string; score: number }>;
  reflections: { day3?: string; day7?: string; supportScore?: number };
  /** Kind things partners did for this member, newest last, at most 3: e.g. "Ben took on your need: a quiet hour on Sunday". Never about a partner's slips. */
  partnerHighlights: string[];
  /** Exactly lengthDays entries, Day 1 first, in the member's own local dates. */
  days: DaySummary[];
  /** The member opted out during the trial (or is opted out now). */
  optedOut: boolean;
}

const MAX_HIGHLIGHTS = 3;
/** The days a member replied to their check-in: a grace day is a reply too, never a gap. */
const CHECKED_IN: ReadonlySet<DayStatus> = new Set<DayStatus>(['on_track', 'answered', 'grace']);

/** Summarises one member's trial: counts, their own words, partners' kindness and a status for every day. */
export function summarizeTrial(
  history: TrialHistory,
  memberId: string,
  options: { lengthDays?: number } = {},
): MemberSummary {
  const { partnership } = history;
  const lengthDays = options.lengthDays ?? trialPlan.lengthDays;
  if (!Number.isInteger(lengthDays) || lengthDays < 1) {
    throw new Error(
      `summarizeTrial: lengthDays must be a whole number of days, at least 1 (got ${lengthDays})`,
    );
  }
  const member = history.members.find((each) => each.id === memberId);
  if (!member) {
    throw new Error(`summarizeTrial: partnership "${partnership.id}" has no member "${memberId}"`);
  }
  if (!partnership.startedAt) {
    throw new Error(
      `summarizeTrial: partnership "${partnership.id}" has not started (no startedAt), so there is no trial to summarise`,
    );
  }

  const zone = member.timezone;
  const startedAt = Date.parse(partnership.startedAt);
  const localDate = (at: string) => localDateOf(new Date(at), zone);
  const dates = trialDates(localDateOf(new Date(startedAt), zone), lengthDays);
  const lastDate = dates[dates.length - 1] ?? '';
  /** From the moment everyone had joined to the end of the last trial day, in the member's zone. */
  const inTrial = (at: string) => Date.parse(at) >= startedAt && localDate(at) <= lastDate;

  const events = [...history.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const own = events.filter((event) => event.memberId === memberId);
  const ownInTrial = own.filter((event) => inTrial(event.at));
  const nameOf = (id: string) => history.members.find((each) => each.id === id)?.name ?? 'A partner';

  const checkIns = new Map(
    history.checkIns
      .filter((checkIn) => checkIn.memberId === memberId && dates.includes(checkIn.localDate))
      .map((checkIn) => [checkIn.localDate, checkIn]),
  );
  const answered = [...checkIns.values()].filter((checkIn) => checkIn.status !== 'sent');
  const paused = pausedOn(own, localDate);

  const days = dates.map((date, index): DaySummary => {
    const checkIn = checkIns.get(date);
    const status: DayStatus =
      checkIn && checkIn.status !== 'sent'
        ? checkIn.status
        : paused(date)
          ? 'paused'
          : checkIn
            ? date === lastDate
              ? 'review'
              : 'unanswered'
            : 'no_check_in';
    return {
      day: index + 1,
      localDate: date,
      status,
      ...(checkIn?.mood === undefined ? {} : { mood: checkIn.mood }),
    };
  });

  const lastMonth = lastDate.slice(0, 7);
  const graceEvents = own.filter((event) => event.kind === 'grace' && localDate(event.at) <= lastDate);
  const spentInLastMonth = graceEvents.filter((event) => graceMonth(new Date(event.at), zone) === lastMonth);

  const ownNeeds = history.needs.filter((need) => need.memberId === memberId && inTrial(need.raisedAt));

  return {
    memberId,
    name: member.name,
    checkInsSent: checkIns.size,
    checkInsAnswered: answered.length,
    daysCheckedIn: days.filter((day) => CHECKED_IN.has(day.status)).length,
    onTrackDays: answered.filter((checkIn) => checkIn.status === 'on_track').length,
    graceUsed: graceEvents.filter((event) => inTrial(event.at)).length,
    graceLeft: graceTokensLeft(partnership.graceTokensPerMonth, spentInLastMonth.length),
    pauses: ownInTrial.filter(startsPause).length,
    deadlinesMoved:
      ownInTrial.filter((event) => event.kind === 'deadline_stood').length +
      events.filter(
        (event) => event.kind === 'deadline_agreed' && event.data?.for === memberId && inTrial(event.at),
      ).length,
    needsRaised: ownNeeds.length,
    needsAnswered: ownNeeds.filter((need) => need.status === 'on_it').length,
    moods: days.flatMap(({ localDate: date, mood }) =>
      mood === undefined ? [] : [{ localDate: date, score: mood }],
    ),
    reflections: reflectionsOf(ownInTrial),
    partnerHighlights: highlightsFor(memberId, ownNeeds, events, inTrial, nameOf),
    days,
    optedOut: member.status === 'opted_out' || ownInTrial.some((event) => event.kind === 'opted_out'),
  };
}

/** The local dates of Day 1 to Day lengthDays, numbered as trialDay numbers them: the start date is Day 0. */
function trialDates(startLocalDate: string, lengthDays: number): string[] {
  const dates: string[] = [];
  for (let date = nextLocalDate(startLocalDate); dates.length < lengthDays; date = nextLocalDate(date)) {
    dates.push(date);
  }
  return dates;
}

const startsPause = (event: HistoryEvent) =>
  event.kind === 'pause' || (event.kind === 'decision' && event.data?.choice === 'pause');

/**
 * Whether the member was paused on a local date. A pause covers its own day (a pause sent after that
 * day's check-in leaves the check-in's answer showing) up to, not including, the day it ended: its
 * `until`, an earlier RESUME, a new pause or opting out.
 */
function pausedOn(ownEvents: HistoryEvent[], localDate: (at: string) => string): (date: string) => boolean {
  const periods: Array<{ from: string; until?: string }> = [];
  let open: { from: string; until?: string } | undefined;
  const close = (date: string) => {
    if (open && (open.until === undefined || date < open.until)) open.until = date;
    open = undefined;
  };
  for (const event of ownEvents) {
    const date = localDate(event.at);
    if (startsPause(event)) {
      close(date);
      const until = event.data?.until;
      open = typeof until === 'string' ? { from: date, until } : { from: date };
      periods.push(open);
    } else if (event.kind === 'resume' || event.kind === 'opted_out') {
      close(date);
    }
  }
  return (date) =>
    periods.some((period) => period.from <= date && (period.until === undefined || date < period.until));
}

function reflectionsOf(ownEvents: HistoryEvent[]): MemberSummary['reflections'] {
  const reflections: MemberSummary['reflections'] = {};
  // Events are in time order, so a later answer to the same question replaces an earlier one.
  for (const { kind, data } of ownEvents) {
    if (kind === 'reflection' && typeof data?.text === 'string' && data.text.trim()) {
      if (data.day === 3) reflections.day3 = data.text.trim();
      if (data.day === 7) reflections.day7 = data.text.trim();
    }
    if (kind === 'support_score' && typeof data?.score === 'number') reflections.supportScore = data.score;
  }
  return reflections;
}

/** Partners' kindness towards this member, newest last: needs taken on, deadlines agreed, help offered. */
function highlightsFor(
  memberId: string,
  ownNeeds: Need[],
  events: HistoryEvent[],
  inTrial: (at: string) => boolean,
  nameOf: (id: string) => string,
): string[] {
  const found: Array<{ at: string; text: string }> = [];
  for (const need of ownNeeds) {
    const { acknowledgedBy, acknowledgedAt } = need;
    if (acknowledgedBy && acknowledgedBy !== memberId && acknowledgedAt && inTrial(acknowledgedAt)) {
      found.push({
        at: acknowledgedAt,
        text: `${nameOf(acknowledgedBy)} took on your need: ${need.text.trim()}`,
      });
    }
  }
  for (const { memberId: from, kind, at, data } of events) {
    if (from === memberId || !inTrial(at)) continue;
    if (kind === 'deadline_agreed' && data?.for === memberId && typeof data.date === 'string') {
      const date = dayLabel(data.date);
      found.push({ at, text: `${nameOf(from)} agreed to move your deadline to ${date}` });
    }
    if (kind === 'offer' && typeof data?.text === 'string' && data.text.trim()) {
      found.push({ at, text: `${nameOf(from)} offered to help: ${data.text.trim()}` });
    }
  }
  return found
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .slice(-MAX_HIGHLIGHTS)
    .map(({ text }) => text);
}
