import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MimeParseError, parseReplyEmail } from '#shared/adapters/mime-reply.js';
import { replyCases } from '../fixtures/email/cases.js';

const REPLY_ADDRESS = 'reply+ab12cd34ef56-m1-20261124-0123456789abcdef@in.example.org';
const SUBJECT = 'Re: Still on track for "Run 3 times a week" today, Ada?';

const fixture = (file: string) => readFileSync(new URL(`../fixtures/email/${file}`, import.meta.url));

const message = (headers: string[], body: string) => `${headers.join('\r\n')}\r\n\r\n${body}`;

describe('parseReplyEmail', () => {
  it.each(replyCases)('reads $text from $file ($client)', async ({ file, text }) => {
    // Act
    const reply = await parseReplyEmail(fixture(file));

    // Assess
    expect(reply.text).toBe(text);
    expect(reply.from).toBe('ada@example.com');
    expect(reply.recipients).toContain(REPLY_ADDRESS);
    expect(reply.messageId).toMatch(/^[^<>\s]+@[^<>\s]+$/);
    expect(reply.subject).toBe(SUBJECT);
  });

  it('accepts the raw message as a string as well as a Buffer', async () => {
    // Act
    const reply = await parseReplyEmail(fixture('gmail-en.eml').toString('latin1'));

    // Assess
    expect(reply.text).toBe('yes');
  });

  it('returns an empty reply, not an error, for a file that is not MIME at all', async () => {
    // Act
    const reply = await parseReplyEmail(fixture('not-mime.eml'));

    // Assess
    expect(reply).toEqual({ recipients: [], subject: '', body: '', text: '' });
  });

  it('returns an empty reply for an empty message', async () => {
    // Act
    const reply = await parseReplyEmail(fixture('empty.eml'));

    // Assess
    expect(reply).toEqual({ recipients: [], subject: '', body: '', text: '' });
  });

  it('normalises line ends, a BOM, non-breaking and trailing spaces but keeps the member’s line breaks', async () => {
    // Prepare
    const raw = message(
      ['From: Ada <ada@example.com>', `To: ${REPLY_ADDRESS}`, 'Content-Type: text/plain; charset=utf-8'],
      '\uFEFF\r\n\r\nyes  \r\nfelt\u00A0great\r\n\r\n\r\n\r\nthanks\t\r\n\r\n',
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.text).toBe('yes\nfelt great\n\nthanks');
  });

  it('lower-cases every address and lists each recipient once', async () => {
    // Prepare
    const raw = message(
      [
        `Delivered-To: ${REPLY_ADDRESS}`,
        `X-Original-To: ${REPLY_ADDRESS.toUpperCase()}`,
        'From: "Lovelace, Ada" <Ada@Example.COM>',
        `To: Soft Partner <${REPLY_ADDRESS}>, Friends: Bea <BEA@example.com>;`,
        'Cc: coach@example.com',
      ],
      'yes',
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.from).toBe('ada@example.com');
    expect(reply.recipients).toEqual([REPLY_ADDRESS, 'bea@example.com', 'coach@example.com']);
  });

  it('leaves from undefined when the From: header holds no address', async () => {
    // Act
    const reply = await parseReplyEmail(message(['From: Ada Lovelace', `To: ${REPLY_ADDRESS}`], 'yes'));

    // Assess
    expect(reply.from).toBeUndefined();
    expect(reply.text).toBe('yes');
  });

  it('rejects a message mailparser gives up on with a MimeParseError', async () => {
    // Prepare: mailparser refuses more than 1,000 MIME parts
    const parts = '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(1_100);
    const raw = message(['Content-Type: multipart/mixed; boundary=b'], `${parts}--b--\r\n`);

    // Act
    const parsing = parseReplyEmail(raw);

    // Assess
    await expect(parsing).rejects.toBeInstanceOf(MimeParseError);
    await expect(parsing).rejects.toMatchObject({ name: 'MimeParseError' });
  });

  it('stays fast on 500,000 blank lines, which the reply parser’s regexes take quadratic time over', {
    timeout: 5_000,
  }, async () => {
    // Act
    const reply = await parseReplyEmail(message(['From: ada@example.com'], `yes${' \r\n'.repeat(500_000)}`));

    // Assess
    expect(reply.text).toBe('yes');
  });

  it.each([
    { charset: 'ISO-2022-JP', hex: '1b2442244f24241b2842', text: 'はい' },
    { charset: 'Shift_JIS', hex: '82cd82a2', text: 'はい' },
    { charset: 'ks_c_5601-1987', hex: 'b3d7', text: '네' },
    { charset: 'GB2312', hex: 'cac7', text: '是' },
    { charset: 'KOI8-R', hex: 'c4c1', text: 'да' },
    // Node's TextDecoder reads windows-1252 as ISO-8859-1 (nodejs/node#56542): ’ and – arrive as C1 controls
    { charset: 'windows-1252', hex: '497492732066696e652096206f6b', text: 'It’s fine – ok' },
  ])('decodes a $charset body with the platform decoder', async ({ charset, hex, text }) => {
    // Prepare
    const raw = message(
      [
        'From: ada@example.com',
        `Content-Type: text/plain; charset=${charset}`,
        'Content-Transfer-Encoding: base64',
      ],
      Buffer.from(hex, 'hex').toString('base64'),
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.text).toBe(text);
  });

  it('reads windows-1252 smart quotes in an encoded subject and an HTML-only body', async () => {
    // Prepare
    const html = Buffer.from('<p>It\x92s fine \x96 on track</p>', 'latin1').toString('base64');
    const raw = message(
      [
        'From: ada@example.com',
        'Subject: =?windows-1252?Q?Re:_It=92s_on?=',
        'Content-Type: text/html; charset=windows-1252',
        'Content-Transfer-Encoding: base64',
      ],
      html,
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.subject).toBe('Re: It’s on');
    expect(reply.text).toBe('It’s fine – on track');
  });

  it('does not take the words of a forwarded message for the member’s', async () => {
    // Prepare
    const raw = message(
      ['From: ada@example.com', 'Content-Type: multipart/mixed; boundary=b'],
      [
        '--b',
        'Content-Type: text/plain',
        '',
        'yes',
        '--b',
        'Content-Type: message/rfc822',
        'Content-Disposition: inline',
        '',
        'From: bea@example.com',
        'Subject: Fwd',
        '',
        'stop',
        '--b--',
        '',
      ].join('\r\n'),
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.text).toBe('yes');
  });

  it('stays fast on 1,000,000 short lines in an attachment, which the MIME parser handles a line at a time', {
    timeout: 10_000,
  }, async () => {
    // Prepare
    const raw = message(
      ['From: ada@example.com', 'Content-Type: multipart/mixed; boundary=b'],
      `--b\r\nContent-Type: text/plain\r\n\r\nyes\r\n--b\r\nContent-Type: text/csv\r\n\r\n${'x\r\n'.repeat(1_000_000)}--b--\r\n`,
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.text).toBe('yes');
  });

  it('reads an answer written below 40,000 characters of quoted thread', async () => {
    // Prepare
    const thread = '> an older message in the thread, quoted line by line\r\n'.repeat(800);
    const raw = message(
      ['From: ada@example.com', 'Content-Type: text/plain; charset=utf-8'],
      `On Tue, Nov 24, 2026 at 8:30 AM Soft Partner <hello@example.org> wrote:\r\n${thread}\r\ngrace\r\n`,
    );

    // Act
    const reply = await parseReplyEmail(raw);

    // Assess
    expect(reply.text).toBe('grace');
  });

  it('never fails with anything but a MimeParseError, whatever the bytes', async () => {
    const mimeish = fc
      .array(
        fc.constantFrom(
          'From: ',
          'To: ',
          'Message-ID: <',
          'ada@example.com',
          '>',
          ': ',
          '\r\n',
          '\n',
          '\r\n\r\n',
          'Content-Type: multipart/alternative; boundary=b',
          'Content-Type: text/html; charset=windows-1252',
          'Content-Transfer-Encoding: base64',
          'Content-Transfer-Encoding: quoted-printable',
          '--b',
          '--b--',
          '=?utf-8?B?',
          '?=',
          '=E2=80',
          '<p>',
          '<hr>',
          '> ',
          'On Tue wrote:',
          '2026年11月24日(火) 8:30 <a@b>:',
          '\uFEFF',
          '\u00A0',
        ),
        { maxLength: 40 },
      )
      .map((pieces) => pieces.join(''));
    const raw = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 500 }),
      fc.uint8Array({ maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
      mimeish,
    );

    await fc.assert(
      fc.asyncProperty(raw, async (input) => {
        const outcome = await parseReplyEmail(input).catch((error: unknown) => error);
        if (outcome instanceof MimeParseError) return;
        expect(outcome).toMatchObject({
          recipients: expect.any(Array),
          subject: expect.any(String),
          text: expect.any(String),
        });
      }),
      { numRuns: 200 },
    );
  });
});
