/**
 * What a member can text us, as data. A reviewer can check here what each word does.
 * Matching ignores case, punctuation and surrounding spaces.
 */
export const replyKeywords = {
  on_track: [
    'yes',
    'y',
    'yep',
    'yeah',
    'yea',
    'yup',
    'ya',
    'yes!',
    'done',
    'on track',
    'still on track',
    'ok',
    'okay',
    'sure',
    '👍',
    '✅',
  ],
  grace: ['grace', 'use grace', 'grace please', 'grace token', 'use a grace token'],
  stop: ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout', 'opt out'],
  start: ['start', 'unstop', 'resume'],
  help: ['help', 'info', '?'],
} as const;

export type ReplyIntent = keyof typeof replyKeywords | 'unknown';

export interface ParsedReply {
  intent: ReplyIntent;
  text: string;
}

function normalize(text: string): string {
  const emojiKept = text.replace(/[\u{1F44D}\u{2705}]/gu, (symbol) => ` ${symbol} `);
  return emojiKept
    .toLowerCase()
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '')
    .replace(/[^\p{L}\p{N}\u{1F44D}\u{2705}?!\s]/gu, ' ')
    .replace(/!+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Understands one reply. Total: any string gives an intent, never an exception. */
export function parseReply(text: string): ParsedReply {
  const normalized = normalize(text.slice(0, 1600));
  const tokens = normalized.split(' ');
  for (const [intent, words] of Object.entries(replyKeywords) as [
    keyof typeof replyKeywords,
    readonly string[],
  ][]) {
    const phrases = words.map(normalize);
    // The whole reply is a keyword phrase ("on track"), or every word of it is one ("yep 👍").
    if (
      phrases.includes(normalized) ||
      (normalized !== '' && tokens.every((token) => phrases.includes(token)))
    ) {
      return { intent, text };
    }
  }
  return { intent: 'unknown', text };
}
