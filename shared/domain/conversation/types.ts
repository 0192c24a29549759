/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** How a member asks to move their deadline. */
export type DeadlineMove =
  /** "move to friday" (nextWeek false), "next mon" / "move to next friday" (nextWeek true). */
  | { kind: 'weekday'; weekday: Weekday; nextWeek: boolean }
  /** "push 2 days", "+2d", "extend by a week" (7), "a fortnight" (14). Always a positive whole number. */
  | { kind: 'days'; days: number }
  /** "2026-12-03" (ISO, the year is checked then dropped), "dec 3", "3 dec", "3rd of december". */
  | { kind: 'date'; month: number; day: number };

export type MoodScore = 1 | 2 | 3 | 4 | 5;

/** The Day-14 decision. (PAUSE at the decision stays the `pause` intent; the caller reads it as the pause choice.) */
export type DecisionChoice = 'continue' | 'tweak';

/** What a member changes with a tweak command. */
export type TweakChange =
  /** "TIME 7:45", "time 19:30", "TIME 7:45pm" → "19:45", "TIME 7am" → "07:00": 24-hour, zero-padded HH:MM. */
  | { kind: 'time'; time: string }
  /** WEEKDAYS, "weekdays only". */
  | { kind: 'weekdays' }
  /** DAILY, "every day". */
  | { kind: 'daily' }
  /**
   * "QUIET 22:00-06:30", "quiet 22:00 to 6:30", "QUIET 10pm-7am", "quiet hours 21:30-07:00": no texts
   * from `start` to `end` (24-hour, zero-padded HH:MM; they differ; the span may cross midnight).
   */
  | { kind: 'quiet'; start: string; end: string }
  /** "GOAL <text>": the member's own words, trimmed, at most 60 characters. */
  | { kind: 'goal'; text: string };

export type Intent =
  | { kind: 'on_track' }
  | { kind: 'not_today' }
  | { kind: 'grace' }
  | { kind: 'need'; text: string }
  /** Help a member offers the others ("I can help with the slides"); it goes on the support board. */
  | { kind: 'offer'; text: string }
  | { kind: 'deadline_move'; move: DeadlineMove }
  | { kind: 'win'; text: string }
  | { kind: 'pause'; days?: number }
  | { kind: 'resume' }
  | { kind: 'mood'; score: MoodScore }
  | { kind: 'status' }
  | { kind: 'help' }
  | { kind: 'stop' }
  | { kind: 'start' }
  /** JOIN: yes to an invitation, said apart from the YES that answers a check-in elsewhere. */
  | { kind: 'join' }
  | { kind: 'on_it' }
  | { kind: 'accept' }
  | { kind: 'decision'; choice: DecisionChoice }
  | { kind: 'tweak'; change: TweakChange };

export type IntentKind = Intent['kind'];

/** Every intent kind, in no particular order. */
export const INTENT_KINDS: readonly IntentKind[] = [
  'on_track',
  'not_today',
  'grace',
  'need',
  'offer',
  'deadline_move',
  'win',
  'pause',
  'resume',
  'mood',
  'status',
  'help',
  'stop',
  'start',
  'on_it',
  'accept',
  'decision',
  'tweak',
];

/**
 * How sure a reading is. Explicit: the member used the intent's own word or shape ("NEED …", "WIN …",
 * "PAUSE 3", "move to friday", "mood 4", a bare digit). Inferred: free text that merely contains it
 * ("Sir, I need …", "shipped!", "dec 3"); what reaches someone else or changes the plan is then confirmed first.
 */
export type Evidence = 'explicit' | 'inferred';

/**
 * What a reply said. `intents` is empty when nothing was understood; `evidence` holds, for each intent,
 * how sure the reading is; `text` is the part that was read.
 */
export interface ParsedReply {
  intents: Intent[];
  evidence: Evidence[];
  text: string;
}
