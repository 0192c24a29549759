import { describe, expect, it } from 'vitest';
import { type Intent, parseReply } from '#shared/domain/conversation/grammar.js';
import { phrasings } from './phrasings.js';

describe('parseReply: real-world phrasings', () => {
  it('has a table of at least 150 phrasings, each written once', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(150);
    expect(new Set(phrasings.map(([text]) => text)).size).toBe(phrasings.length);
  });

  it.each(phrasings)('reads %j', (text: string, intents: readonly Intent[]) => {
    const reply = parseReply(text);
    expect(reply.intents).toEqual(intents);
    expect(reply.text).toBe(text);
  });
});
