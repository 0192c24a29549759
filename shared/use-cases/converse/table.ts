import type { Intent } from '#shared/domain/conversation/types.js';
import { type KindTable, runByKind } from '../kind-table.js';
import { grace, mood, notToday, onTrack } from './check-in-answers.js';
import type { Said, TurnContext } from './context.js';
import { accept, deadlineMove } from './deadlines.js';
import { decision, tweak } from './decisions.js';
import { help, join, start, status, stop } from './membership.js';
import { need, offer, onIt, win } from './needs-and-offers.js';
import { pause, resume } from './pause-resume.js';

/**
 * One handler for every kind of intent: a new intent does not compile until it has one. `I` is the
 * intents' union (a test adds one to it: test/unit/conversation/intent-table.test.ts).
 */
export type IntentHandlers<I extends { kind: string } = Intent> = KindTable<I, TurnContext, Promise<Said>>;

/** What each intent of a reply does (docs/conversation.md says it in words). */
export const intentHandlers: IntentHandlers = {
  on_track: onTrack,
  accept,
  not_today: notToday,
  grace,
  mood,
  need,
  offer,
  win,
  on_it: onIt,
  deadline_move: deadlineMove,
  pause,
  resume,
  decision,
  tweak,
  status,
  help,
  start,
  join,
  stop,
};

/** Runs one intent through its handler in `table` (the turn's own table, or a test's). */
export function handleIntent<I extends { kind: string }>(
  table: NoInfer<IntentHandlers<I>>,
  ctx: TurnContext,
  intent: I,
): Promise<Said> {
  return runByKind<I, TurnContext, Promise<Said>>(table, ctx, intent);
}
