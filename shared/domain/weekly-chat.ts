import type { CheckIn } from './partnership.js';
import type { HistoryEvent } from './ports.js';

/**
 * Once a week, quick daily updates make room for a longer, humane chat. These are the prompts it is
 * seeded with, drawn from what the week's check-ins actually held. Read top to bottom: the first ones
 * that fit the week are used, two or three of them.
 */
export const weeklyChatPromptRules: ReadonlyArray<{ when: keyof WeekFacts; prompt: string }> = [
  { when: 'hadWin', prompt: 'celebrate the win' },
  { when: 'hadNeed', prompt: 'how did help land?' },
  { when: 'hadGrace', prompt: 'what eases heavy days?' },
  { when: 'hadLowMood', prompt: 'what weighed on you?' },
  { when: 'steady', prompt: 'what kept the rhythm?' },
  { when: 'always', prompt: 'what felt easy or hard?' },
  { when: 'always', prompt: 'one thing to try next?' },
];

/** The longest the joined prompts may be (they share the day's check-in text with the invitation to talk). */
export const MAX_PROMPTS_LENGTH = 48;

export interface WeekFacts {
  hadWin: boolean;
  hadNeed: boolean;
  hadGrace: boolean;
  hadLowMood: boolean;
  steady: boolean;
  always: true;
}

/** What the week held for a group of members, from their check-ins and events in [from, to). */
export function weekFacts(
  history: { checkIns: readonly CheckIn[]; events: readonly HistoryEvent[] },
  memberIds: readonly string[],
  from: Date,
  to: Date,
): WeekFacts {
  const inWeek = (at: string) => at >= from.toISOString() && at < to.toISOString();
  const events = history.events.filter((event) => memberIds.includes(event.memberId) && inWeek(event.at));
  const checkIns = history.checkIns.filter(
    (each) => memberIds.includes(each.memberId) && inWeek(each.sentAt),
  );
  const has = (kind: string) => events.some((event) => event.kind === kind);
  return {
    hadWin: has('win'),
    hadNeed: has('need'),
    hadGrace: has('grace') || checkIns.some((each) => each.status === 'grace'),
    hadLowMood: checkIns.some((each) => each.mood !== undefined && each.mood <= 2),
    steady: checkIns.length > 0 && checkIns.every((each) => each.status === 'on_track'),
    always: true,
  };
}

/** Two prompts (three when short) for the week, joined to fit the check-in they ride with. */
export function weeklyChatPrompts(facts: WeekFacts): string {
  const chosen: string[] = [];
  for (const rule of weeklyChatPromptRules) {
    if (!facts[rule.when] || chosen.includes(rule.prompt)) continue;
    const joined = [...chosen, rule.prompt].join('; ');
    if (joined.length > MAX_PROMPTS_LENGTH) continue;
    chosen.push(rule.prompt);
    if (chosen.length === 3) break;
  }
  return chosen.join('; ');
}
