import { describe, expect, it } from 'vitest';
import { ourWordsFor, ownWords } from '#shared/adapters/reply-history.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';

const ours = ourWordsFor({ name: 'Ada', goal: 'write 300 words', partner: 'Ben' });
const read = (body: string) => ownWords(body, ours);

describe('ownWords: the member’s words and nothing else', () => {
  it('drops a quoted "(version 2.5)" and an order confirmation from older history', () => {
    // Prepare
    const body = ['yes', '', '> Release notes (version 2.5)', '> Your order #4411 has shipped: 2 items'].join(
      '\n',
    );

    // Act
    const text = read(body);

    // Assess
    expect(text).toBe('yes');
    expect(parseReply(text).intents).toEqual(parseReply('yes').intents);
  });

  it('drops a stray bold header line and its date, wherever it stands', () => {
    // Act
    const text = read('grace\n*Sent:* Thursday, February 09, 2012');

    // Assess
    expect(text).toBe('grace');
  });

  it('recognises a header block written with U+200E and U+FEFF around every label', () => {
    // Prepare
    const body = [
      'Thanks!',
      '',
      '\u200EFrom:\u200E Soft Partner <hello@example.org>',
      '\u200ESent:\u200E \uFEFFTuesday, November 24, 2026 8:30 AM',
      '\u200ETo:\u200E Ada',
      '\u200ESubject:\u200E Still on track?',
      '',
      'To unsubscribe from these emails, reply stop',
    ].join('\n');

    // Act
    const text = read(body);

    // Assess
    expect(text).toBe('Thanks!');
  });

  it('keeps answers written between quoted lines and below them', () => {
    // Prepare
    const body = ['> Still on track today?', 'yes', '> How do you feel?', 'mood 4'].join('\n');

    // Act
    const text = read(body);

    // Assess
    expect(text).toBe('yes\nmood 4');
  });

  it('keeps "Yes, on track" written alone, and drops it beside another button label of ours', () => {
    // Act
    const alone = read('Yes, on track');
    const asButtons = read('Yes, on track\nTake a grace day');

    // Assess
    expect(alone).toBe('Yes, on track');
    expect(asButtons).toBe('');
  });

  it('drops our unsubscribe line but keeps a member asking to unsubscribe in their own words', () => {
    // Act
    const quotedFooter = read(
      'Unsubscribe from these emails: https://softpartner.example/email/unsubscribe?token=x',
    );
    const ownWordsToStop = read('please unsubscribe me from these');

    // Assess
    expect(quotedFooter).toBe('');
    expect(ownWordsToStop).toBe('please unsubscribe me from these');
  });

  it('cuts at our marker in any of its languages, quoted or not', () => {
    // Act
    const text = read('pause 3 days\n\n## Bitte oberhalb dieser Zeile antworten ##\nReply YES, or GRACE');

    // Assess
    expect(text).toBe('pause 3 days');
  });

  it('drops a gateway banner paragraph but not a member’s own warning', () => {
    // Act
    const banner = read(
      'win shipped it\n\nCAUTION: This email originated from outside of the organization.\nDo not click links.',
    );
    const own = read('Warning: I may be late tomorrow');

    // Assess
    expect(banner).toBe('win shipped it');
    expect(own).toBe('Warning: I may be late tomorrow');
  });

  it('drops an app signature but not a sentence that starts like one', () => {
    // Act
    const signature = read('yes\n\nSent from my iPhone');
    const sentence = read('sent the draft to my editor');

    // Assess
    expect(signature).toBe('yes');
    expect(sentence).toBe('sent the draft to my editor');
  });

  it('takes an attribution wrapped over two lines for one, with its date', () => {
    // Prepare
    const body =
      'need a quick call\n\nAm Di., 24. Nov. 2026 um 08:30 Uhr schrieb Soft Partner <\nhello@example.org>:\n> Hi Ada';

    // Act
    const text = read(body);

    // Assess
    expect(text).toBe('need a quick call');
  });

  it('drops a piece of a long line of ours that a client wrapped, with no quote marks', () => {
    // Prepare: Yahoo-like unquoted copy, without the marker
    const body =
      "Thanks!\n\nReply YES, or GRACE for a no-guilt pass. If something would help,\nreply NEED and tell us what; we'll pass it on to Ben.";

    // Act
    const text = read(body);

    // Assess
    expect(text).toBe('Thanks!');
    expect(parseReply(text).intents).toEqual([]);
  });
});
