import { describe, expect, it } from 'vitest';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import { needsConfirmation } from '#shared/use-cases/confirmations.js';
import { type CasualReading, casualTexts } from './casual-texts.js';

/** Intents that reach another person or change the plan when they act. */
const REACHING = new Set([
  'need',
  'offer',
  'win',
  'deadline_move',
  'pause',
  'stop',
  'on_it',
  'grace',
  'decision',
  'tweak',
]);

/** How the conversation treats a reply: the same rule converse follows (inferred reaching intents ask first). */
function readingOf(text: string): CasualReading | 'acts' {
  const { intents, evidence } = parseReply(text);
  const inferred = (index: number) => evidence[index] === 'inferred';
  if (intents.some((intent, index) => !inferred(index) && REACHING.has(intent.kind))) return 'acts';
  if (intents.some((intent, index) => inferred(index) && needsConfirmation(intent))) return 'confirm';
  // An inferred "ok" inside a sentence ("no prob, see u at 5") is not read at all.
  const answered = intents.filter((intent, index) => !(inferred(index) && intent.kind === 'accept'));
  return answered.length > 0 ? 'member' : 'nothing';
}

describe('casual texts: never a message to a partner', () => {
  it('has at least 200 casual texts, each written once', () => {
    expect(casualTexts.length).toBeGreaterThanOrEqual(200);
    expect(new Set(casualTexts.map(([text]) => text)).size).toBe(casualTexts.length);
  });

  it.each(casualTexts)('reads %j as %s', (text, expected) => {
    expect(readingOf(text)).toBe(expected);
  });

  it('prints the figures of the table', () => {
    const counts = { nothing: 0, member: 0, confirm: 0, acts: 0 };
    for (const [text] of casualTexts) counts[readingOf(text)] += 1;
    console.log(
      `casual texts: ${casualTexts.length}; no reading (a clarification) ${counts.nothing}; ` +
        `for the member alone ${counts.member}; a confirmation question ${counts.confirm}; acted on ${counts.acts}`,
    );
    expect(counts.acts).toBe(0);
  });
});
