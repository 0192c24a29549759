import { beforeAll, describe, expect, it } from 'vitest';
import { parseReplyEmail } from '#shared/adapters/mime-reply.js';
import { ourWordsFor, ownWords } from '#shared/adapters/reply-history.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import {
  clientStyles,
  FIXTURE_SENDER,
  memberReplies,
  type SentEmail,
  sentEmail,
} from '../../fixtures/email/clients.js';

const cases = clientStyles.flatMap((style) =>
  Object.entries(memberReplies).map(([intent, reply]) => ({
    style,
    intent,
    reply,
    client: `${style.family}, ${style.language} (${style.id})`,
  })),
);

describe('replies from every mail client, quoting our real check-in email', () => {
  let sent: SentEmail;
  beforeAll(async () => {
    sent = await sentEmail();
  });

  it('covers at least 60 replies, every client family, 15 languages and every kind of answer', () => {
    // Assess
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(clientStyles.map((style) => style.language)).size).toBeGreaterThanOrEqual(15);
    const families = clientStyles.map((style) => style.family).join(' | ');
    for (const family of [
      'Gmail web',
      'Gmail Android',
      'iPhone Mail',
      'Apple Mail',
      'Outlook 2003',
      'Outlook 2010',
      'Outlook for iOS',
      'Windows 8.1 Mail',
      'Thunderbird',
      'Yahoo',
      'AOL',
      'Zimbra',
      'Mail.ru',
      'Yandex',
      'Exchange',
      'Lotus',
    ])
      expect(families).toContain(family);
    expect(Object.keys(memberReplies).sort()).toEqual(
      ['grace', 'mood', 'need', 'pause', 'stop', 'thanks', 'win', 'yes'].sort(),
    );
  });

  it.each(cases)('$client, $intent: reads only "$reply"', async ({ style, reply }) => {
    // Prepare
    const raw = style.write(sent, reply);

    // Act
    const parsed = await parseReplyEmail(raw);
    const forMember = ownWords(
      parsed.body,
      ourWordsFor({ name: 'Ada', goal: 'write 300 words', partner: 'Ben' }),
    );

    // Assess: the member's words and nothing of ours, so the same intents as the words alone.
    expect(parsed.from).toBe(FIXTURE_SENDER);
    expect(parsed.recipients).toContain(sent.replyTo);
    expect(parsed.text).toBe(reply);
    expect(forMember).toBe(reply);
    expect(parseReply(parsed.text).intents).toEqual(parseReply(reply).intents);
  });
});
