/** A reply as the parser read it: who sent it, to which addresses, and its text (quoted history included). */
export interface ParsedEmailReply {
  /** The Message-ID header without angle brackets, if any. */
  messageId?: string;
  /** The sender's address from From:, lower-cased; undefined if none or unparseable. */
  from?: string;
  /** Every address in To: and Cc: (and Delivered-To / X-Original-To), lower-cased. */
  recipients: string[];
  subject: string;
  body: string;
}

/** Why a raw message was not read as a reply. */
export type UnreadableReplyReason = 'unparseable' | 'too_many_parts' | 'too_large';

/** What we know of the member a reply comes from, to recognise our own words quoted back. */
export type ReplyAuthor = { name: string; goal: string; partner: string };

/** Reads emailed replies (MIME) and strips what was ours in them (the quoted history). */
export interface ReplyParser {
  read(raw: Buffer): Promise<{ reply: ParsedEmailReply } | { unreadable: UnreadableReplyReason }>;
  /** The member's own words: every line we could have sent them removed. */
  ownWords(body: string, author: ReplyAuthor): string;
}
