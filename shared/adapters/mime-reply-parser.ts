import type { ReplyParser } from '#shared/domain/reply-parser.js';
import { MimeParseError, parseReplyEmail } from './mime-reply.js';
import { ourWordsFor, ownWords } from './reply-history.js';

/** The ReplyParser over postal-mime (mime-reply.ts) and our quoted-history stripping (reply-history.ts). */
export const mimeReplyParser: ReplyParser = {
  async read(raw) {
    try {
      return { reply: await parseReplyEmail(raw) };
    } catch (error) {
      if (error instanceof MimeParseError) return { unreadable: error.reason };
      throw error;
    }
  },
  ownWords: (body, author) => ownWords(body, ourWordsFor(author)),
};
