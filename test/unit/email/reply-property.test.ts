import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReplyEmail } from '#shared/adapters/mime-reply.js';
import { ourWordsFor, ownWords } from '#shared/adapters/reply-history.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import { clientStyles, sentEmail } from '../../fixtures/email/clients.js';

/** Words members write: every intent's keywords, numbers, times, emoji and plain words around them. */
const WORDS = [
  'yes',
  'yep',
  'done',
  'grace',
  'need',
  'help',
  'mood',
  'pause',
  'stop',
  'win',
  'thanks',
  'Thanks!',
  'on',
  'track',
  'today',
  'feeling',
  'great',
  'meh',
  'tired',
  'draft',
  'call',
  'tonight',
  'move',
  'to',
  'friday',
  'tomorrow',
  'the',
  'a',
  'my',
  'with',
  'of',
  'for',
  'and',
  'but',
  'run',
  'ok',
  'continue',
  'tweak',
  'time',
  'status',
  'resume',
  'finished',
  'chapter',
  'feedback',
  'please',
  'Ada',
  'Ben',
  '1',
  '2',
  '3',
  '4',
  '5',
  '7:30',
  '20',
  '🎉',
  '👍',
  '!',
  '?',
  ',',
  'état',
  'grâce',
  'はい',
  'да',
];

const line = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 })
  .map((words) => words.join(' '));
/** What the member typed: nothing at all (an untouched quote), or one to three lines. */
const replyText = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')) },
);
const name = fc.constantFrom('Ada', 'Ben', 'Zoë', 'Ólafur', '李雷', 'Mary-Jane', 'Jo');
const goal = fc.constantFrom(
  'write 300 words',
  'run 3 km',
  'grace under pressure',
  'stop snacking after 9pm',
  'need-free mornings',
  'pause less, move more',
  'learn 20 kanji a day',
);
const template = fc.constantFrom('checkIn', 'day3', 'day7', 'day14', 'day1', 'charter', 'reply' as const);

describe('any email we send, quoted by any client around any reply', () => {
  it('parses to exactly what the reply text alone parses to', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          template,
          name,
          goal,
          partner: name,
          style: fc.constantFrom(...clientStyles),
          reply: replyText,
        }),
        async ({ template, name, goal, partner, style, reply }) => {
          // Prepare
          const sent = await sentEmail({ template, name, goal, partner });
          const raw = style.write(sent, reply);

          // Act
          const parsed = await parseReplyEmail(raw);
          const own = ownWords(parsed.body, ourWordsFor({ name, goal, partner }));

          // Assess: the words alone, so the same intents through the same grammar.
          const alone = parseReply(reply).intents;
          expect(parseReply(own).intents).toEqual(alone);
          expect(parseReply(parsed.text).intents).toEqual(alone);
          expect(own.replace(/\s+/g, ' ')).toBe(reply.trim().replace(/\s+/g, ' '));
        },
      ),
      // Seeded, so CI is repeatable; a counterexample found with another seed becomes a case of its own.
      { numRuns: 300, seed: 20261202 },
    );
  }, 120_000);
});
