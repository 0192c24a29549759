import { partnerLabel } from '#shared/domain/partnership.js';
import {
  cadenceKeeper,
  isKeeperRotationDay,
  isTeam,
  isWeeklyChatDay,
  peerCircles,
  teamPlan,
} from '#shared/domain/team.js';
import { checkInTemplateFor } from '#shared/domain/trial-plan.js';
import { weekFacts, weeklyChatPrompts } from '#shared/domain/weekly-chat.js';
import { names } from '#templates/labels.js';
import { excerpt, fill, newsPhrases, PLACEHOLDER_MAX_LENGTH, type SmsTemplate } from '#templates/sms.js';
import type { StepContext } from './context.js';

/**
 * What a check-in day brings besides the check-in, all inside the check-in's one text: a team hears
 * who this week's cadence keeper is on the day the role moves (and, from the second week, how often
 * the team as a whole checked in); on weekly-chat days the check-in itself nudges a pair (or a small
 * team) to a longer chat with prompts from the week, or names a large team's peer circle.
 */
export async function weeklyRituals(
  { deps, members, member, now }: StepContext,
  day: number,
): Promise<{ lines: string[]; question?: SmsTemplate; values?: Record<string, string> }> {
  const present = members.filter((each) => each.status !== 'opted_out');
  const lines: string[] = [];
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  if (isTeam(members) && isKeeperRotationDay(day)) {
    const keeper = cadenceKeeper(members, day);
    if (keeper)
      lines.push(
        keeper.id === member.id
          ? fill(newsPhrases.keeperYou, {})
          : fill(newsPhrases.keeperIs, { name: keeper.name }),
      );
    if (day > 1) {
      // The team as a whole, never who: how many check-ins were answered in the week.
      const history = await deps.store.history(member.partnershipId);
      const ids = present.map((each) => each.id);
      const count = history.checkIns.filter(
        (each) =>
          ids.includes(each.memberId) &&
          each.status !== 'sent' &&
          each.sentAt >= weekAgo.toISOString() &&
          each.sentAt < now.toISOString(),
      ).length;
      if (count > 0) lines.push(fill(newsPhrases.teamWeek, { text: count }));
    }
  }
  if (!isWeeklyChatDay(day) || checkInTemplateFor(day) !== 'checkIn') return { lines };
  if (present.length >= teamPlan.circlesFrom) {
    const circle = peerCircles(present).find((each) => each.some((other) => other.id === member.id)) ?? [];
    const others = circle.filter((each) => each.id !== member.id);
    return {
      lines,
      question: 'circleCheckIn',
      values: { circle: excerpt(names(others), PLACEHOLDER_MAX_LENGTH.circle) },
    };
  }
  const history = await deps.store.history(member.partnershipId);
  const facts = weekFacts(
    history,
    present.map((each) => each.id),
    weekAgo,
    now,
  );
  return {
    lines,
    question: 'weeklyChatCheckIn',
    values: {
      with: isTeam(members) ? 'your team' : partnerLabel(members, member),
      prompts: weeklyChatPrompts(facts),
    },
  };
}
