/**
 * Words and labels members read inside our texts and emails: days, check-in times, the Day-14 choices.
 * Copy, like templates/sms.ts: the use cases fill them in, none of them spells one out.
 */
import { dayLabel as calendarDayLabel, dayTimeLabelOf, localMs, zoned } from '#shared/domain/calendar.js';
import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { Member } from '#shared/domain/partnership.js';
import { wallClockInstant } from '#shared/domain/trial-plan.js';

/** A local date as members read it: "Thu 22 Oct". */
export const dayLabel = (date: string): string => calendarDayLabel(date);

/** A member's check-in on a local date, in their own time: "Tue 6 Oct 19:00". */
export function checkInLabel(member: Member, localDate: string): string {
  return dayTimeLabelOf(
    localMs(zoned(wallClockInstant(localDate, member.checkInTime, member.timezone), member.timezone)),
  );
}

/** When the member's next check-in will come, in their own words of time. */
export function nextCheckInLabel(member: Member, now: Date): string {
  return checkInLabel(
    member,
    member.status === 'paused' && member.pausedUntil ? member.pausedUntil : nextCheckInDate(member, now),
  );
}

/** How a Day-14 choice is named to members: the partners' news ("Ada chose to take a pause") and the email. */
export const CHOICE_WORDS = { continue: 'continue', tweak: 'tweak things', pause: 'take a pause' } as const;

export type Choice = keyof typeof CHOICE_WORDS;

/** What happens next after each Day-14 choice, for the confirmation email. */
export function decisionNextSteps(member: Pick<Member, 'checkInTime'>, choice: Choice): string {
  if (choice === 'continue')
    return `Another 14 days together. Your check-ins carry on as they are, at ${member.checkInTime}.`;
  if (choice === 'tweak')
    return 'Reply TIME 7:45, WEEKDAYS, DAILY, or GOAL and your new goal, and we will change it at once.';
  return 'No more check-ins until you reply RESUME. We keep everything, including your grace days.';
}

/** One line of a team's support board: a need raised, or help offered. */
export const boardLines = {
  need: (name: string, text: string) => `${name} needs ${text}`,
  offer: (name: string, text: string) => `${name} can help: ${text}`,
};

/** People named in a line: "Ada", "Ada and Ben", "Ada, Ben and Cy". */
export const names = (people: ReadonlyArray<{ name: string }>): string =>
  people.length <= 1
    ? (people[0]?.name ?? '')
    : `${people
        .slice(0, -1)
        .map((each) => each.name)
        .join(', ')} and ${people.at(-1)?.name}`;
