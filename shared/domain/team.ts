import type { Member } from './partnership.js';

/**
 * The team variants of the method, as data and small pure rules: groups of three or more get a
 * rotating cadence keeper, a support-first stand-up, a shared support board and, from six members,
 * peer circles of about three.
 */
export const teamPlan = {
  /** From this many members a partnership is a team. */
  minMembers: 3,
  /** The cadence keeper changes every this many days, starting on Day 1; everyone hears who it is. */
  keeperRotatesEveryDays: 7,
  /** From this many members the team is split into peer circles. */
  circlesFrom: 6,
  circleSize: 3,
  /** When the support board digest goes out if the team chose no time, in each member's own zone. */
  defaultBoardTime: '18:00',
  /**
   * The texts a team member gets in a day without asking (answers to their own texts aside): the
   * stand-up, which carries the team's news, the keeper of the week and the weekly chat or circle
   * prompt inside it; and the support board on a day someone asked for or offered help.
   */
  dailyTexts: { standUp: 1, supportBoard: 1 },
  /** Day 1 also brings the charter, as a link in a text for those without email. */
  firstDayTexts: { charterLink: 1 },
} as const;

/** The most unprompted texts a team member is planned to get on a trial day. */
export function plannedTexts(day: number): number {
  const daily = Object.values(teamPlan.dailyTexts).reduce((sum, count) => sum + count, 0);
  return daily + (day === 1 ? teamPlan.firstDayTexts.charterLink : 0);
}

/** The days of the trial (and every week after) on which pairs, teams and circles are nudged to a longer chat. */
export const weeklyChatDays = [6, 13] as const;

export function isTeam(members: readonly unknown[]): boolean {
  return members.length >= teamPlan.minMembers;
}

/** Whether a trial day starts a new cadence keeper's week (Day 1, 8, 15 …). */
export function isKeeperRotationDay(day: number): boolean {
  return day >= 1 && (day - 1) % teamPlan.keeperRotatesEveryDays === 0;
}

/** Whether a trial day is a weekly-chat day (Days 6 and 13, then every seven days). */
export function isWeeklyChatDay(day: number): boolean {
  return day >= 1 && day % 7 === weeklyChatDays[0] % 7;
}

/**
 * This week's cadence keeper: members take turns in enrollment order, one week each, skipping anyone
 * who has opted out. Undefined when nobody is left.
 */
export function cadenceKeeper<T extends Pick<Member, 'id' | 'status'>>(
  members: readonly T[],
  day: number,
): T | undefined {
  const present = members.filter((member) => member.status !== 'opted_out');
  if (present.length === 0) return undefined;
  const week = Math.max(0, Math.floor((day - 1) / teamPlan.keeperRotatesEveryDays));
  return present[week % present.length];
}

/**
 * Peer circles: a team of six or more is split into circles of about three, in enrollment order, whose
 * sizes differ by at most one; everyone is in exactly one circle. Smaller teams are one circle.
 */
export function peerCircles<T>(members: readonly T[]): T[][] {
  if (members.length < teamPlan.circlesFrom) return members.length ? [[...members]] : [];
  const count = Math.round(members.length / teamPlan.circleSize);
  const circles: T[][] = Array.from({ length: count }, () => []);
  // Deal members out like cards so the sizes differ by at most one.
  members.forEach((member, index) => {
    circles[index % count]?.push(member);
  });
  return circles;
}
