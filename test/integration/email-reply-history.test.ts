import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientStyle, clientStyles, memberReplies, type SentEmail } from '../fixtures/email/clients.js';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

const ADA_EMAIL = 'ada@example.com';

const style = (id: string): ClientStyle => {
  const found = clientStyles.find((each) => each.id === id);
  if (!found) throw new Error(`no client style ${id}`);
  return found;
};

describe('an emailed reply acts only on the member’s own words, and malformed mail changes nothing', () => {
  let stack: Stack;
  let partnershipId = '';
  let sent: SentEmail;
  let seq = 0;

  beforeAll(async () => {
    // Prepare: Ada checks in by email, Ben by text; by 26 November Ada has had a plain check-in email.
    stack = await startTestStack('2026-11-24T14:00:00Z');
    const response = await stack.enroll({
      members: [{ ...ADA, email: ADA_EMAIL, checkInBy: 'email' }, BEN],
    });
    partnershipId = ((await response.json()) as { id: string }).id;
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
    await stack.advance({ to: '2026-11-26T14:00:00Z' });
    const checkIn = (await stack.outbox()).email
      .filter((email) => email.to === ADA_EMAIL && email.subject.startsWith('Still on track'))
      .at(-1);
    if (!checkIn?.replyTo) throw new Error('Ada had no check-in email');
    sent = { ...checkIn, replyTo: checkIn.replyTo, messageId: 'checkin@eu-west-1.amazonses.com' };
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  /** What a reply can change, for both members. */
  const state = async () =>
    (await stack.partnership(partnershipId)).members.map((member) => ({
      status: member.status,
      emailStatus: member.emailStatus,
      graceTokensLeft: member.graceTokensLeft,
      pausedUntil: member.pausedUntil,
      pendingDecision: member.pendingDecision,
      checkIns: member.checkIns,
    }));
  const adaOf = async () => {
    const [ada] = await state();
    if (!ada) throw new Error('no Ada');
    return ada;
  };
  const textsToBenAfter = async (count: number) =>
    (await stack.outbox()).sms.slice(count).filter((sms) => sms.to === BEN.phone);
  const reply = (raw: Buffer | string) =>
    stack.emailIn(raw, { messageId: `sesreplyhistory${String(++seq).padStart(4, '0')}` });
  const headers = () =>
    [
      `From: Ada Lovelace <${ADA_EMAIL}>`,
      `To: ${sent.replyTo}`,
      'Subject: Re: Still on track',
      `Message-ID: <malformed-${seq}@mail.example.com>`,
      'MIME-Version: 1.0',
    ].join('\r\n');

  it('Outlook’s unquoted header block: "yes, on track today" spends no grace token and texts Ben no need', async () => {
    // Prepare
    const before = await adaOf();
    const texts = (await stack.outbox()).sms.length;

    // Act
    const result = await reply(style('outlook-2010-de').write(sent, 'yes, on track today'));

    // Assess
    expect(result.body.outcome).toMatchObject({ result: 'applied', intents: ['on_track'] });
    const after = await adaOf();
    expect(after.graceTokensLeft).toBe(before.graceTokensLeft);
    expect(after.checkIns.at(-1)).toMatchObject({ localDate: '2026-11-26', status: 'on_track' });
    expect(await textsToBenAfter(texts)).toEqual([]);
  });

  it('Windows 8.1 Mail’s header block full of U+200E: the quoted unsubscribe line does not opt Ada out', async () => {
    // Prepare
    const before = await state();

    // Act
    const result = await reply(style('windows-8.1-mail-en').write(sent, 'Thanks!'));

    // Assess
    expect(result.body.outcome).toMatchObject({ result: 'applied', intents: ['unknown'] });
    expect(await state()).toEqual(before);
  });

  it('Mail.ru’s quoted date line becomes no deadline proposal for Ben', async () => {
    // Prepare
    const before = await state();
    const texts = (await stack.outbox()).sms.length;

    // Act
    const result = await reply(style('mailru-ru-date-first').write(sent, 'Thanks!'));

    // Assess
    expect(result.body.outcome).toMatchObject({ result: 'applied', intents: ['unknown'] });
    expect(await state()).toEqual(before);
    expect(await textsToBenAfter(texts)).toEqual([]);
  });

  it('an untouched quote (nothing of her own) changes nothing and is answered with a clarification', async () => {
    // Prepare
    const before = await state();
    const emails = (await stack.outbox()).email.length;

    // Act
    const result = await reply(style('gmail-en-utf-8').write(sent, ''));

    // Assess
    expect(result.body.outcome).toMatchObject({ result: 'unclear', reason: 'empty' });
    expect(await state()).toEqual(before);
    const answer = (await stack.outbox()).email.slice(emails).filter((email) => email.to === ADA_EMAIL);
    expect(answer).toHaveLength(1);
    expect(answer[0]?.subject).toMatch(/^Re: /);
  });

  it('Thunderbird, bottom-posted below the quote: "grace please" is read and spends one token', async () => {
    // Prepare
    const before = await adaOf();

    // Act
    const result = await reply(style('thunderbird-en-bottom').write(sent, 'grace please'));

    // Assess
    expect(result.body.outcome).toMatchObject({ result: 'applied', intents: ['grace'] });
    expect((await adaOf()).graceTokensLeft).toBe(before.graceTokensLeft - 1);
  });

  const malformed: Array<{ name: string; raw: () => string; outcome: Record<string, unknown> }> = [
    {
      name: 'a multipart message with no parts',
      raw: () => `${headers()}\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b--\r\n`,
      outcome: { result: 'unclear', reason: 'empty' },
    },
    {
      name: 'a body labelled with a charset it is not in (Shift_JIS bytes said to be UTF-8)',
      raw: () =>
        `${headers()}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('82cd82a282cd82a2', 'hex').toString('base64')}\r\n`,
      outcome: { result: 'applied', intents: ['unknown'] },
    },
    {
      name: 'a body with a charset label nobody knows',
      raw: () =>
        `${headers()}\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n\u0001\u0002???\r\n`,
      outcome: { result: 'applied', intents: ['help'] },
    },
    {
      name: 'a 5 MB message of text',
      raw: () =>
        `${headers()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${'grace yes stop pause 3 need help\r\n'.repeat(150_000)}`,
      outcome: { result: 'rejected', reason: 'too_large' },
    },
    {
      name: 'a message of 500 parts',
      raw: () =>
        `${headers()}\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${'--b\r\nContent-Type: text/plain\r\n\r\ngrace\r\n'.repeat(500)}--b--\r\n`,
      outcome: { result: 'rejected', reason: 'too_many_parts' },
    },
  ];

  it.each(malformed)('$name: a clear recorded outcome, and nothing changes', async ({ raw, outcome }) => {
    // Prepare
    const before = await state();
    const texts = (await stack.outbox()).sms.length;

    // Act
    const result = await reply(raw());

    // Assess
    expect(result.status).toBe(202);
    expect(result.body.outcome).toMatchObject(outcome);
    expect(await state()).toEqual(before);
    expect(await textsToBenAfter(texts)).toEqual([]);
  });
});

describe('a generated reply from each client family changes what the member’s words alone change by text', () => {
  const twinCases = [
    { id: 'outlook-2010-de', intent: 'yes' },
    { id: 'windows-8.1-mail-en', intent: 'grace' },
    { id: 'thunderbird-en-bottom', intent: 'need' },
    { id: 'mailru-ru', intent: 'mood' },
    { id: 'yandex-ru', intent: 'pause' },
    { id: 'zimbra-fr', intent: 'stop' },
    { id: 'lotus-en', intent: 'win' },
    { id: 'yahoo-en', intent: 'thanks' },
    { id: 'exchange-owa-en', intent: 'grace' },
    { id: 'gmail-ja-iso-2022-jp', intent: 'need' },
    { id: 'outlook-zh', intent: 'pause' },
    { id: 'gmail-hu-iso-8859-2', intent: 'stop' },
  ] as const;
  let stack: Stack;
  const twins: Array<{ emailId: string; smsId: string; phones: string[] }> = [];
  const phone = (n: number) => `+1212555${String(2000 + n).padStart(4, '0')}`;
  const pair = (ada: string, ben: string, email?: string) => ({
    members: [
      { ...ADA, phone: ada, ...(email ? { email, checkInBy: 'email' } : {}) },
      { ...BEN, phone: ben },
    ],
  });

  beforeAll(async () => {
    // Prepare: for every case two identical pairs; Ada checks in by email in one, by text in the other.
    stack = await startTestStack('2026-11-24T14:00:00Z');
    for (const [index] of twinCases.entries()) {
      const phones = [0, 1, 2, 3].map((offset) => phone(index * 4 + offset));
      const [emailAda = '', emailBen = '', smsAda = '', smsBen = ''] = phones;
      const emailId = (
        (await (await stack.enroll(pair(emailAda, emailBen, ADA_EMAIL))).json()) as { id: string }
      ).id;
      const smsId = ((await (await stack.enroll(pair(smsAda, smsBen))).json()) as { id: string }).id;
      for (const each of phones) await stack.text(each, 'yes');
      twins.push({ emailId, smsId, phones });
    }
    await stack.advance({ to: '2026-11-26T14:00:00Z' });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const stateOf = async (id: string) =>
    (await stack.partnership(id)).members.map((member) => ({
      status: member.status,
      graceTokensLeft: member.graceTokensLeft,
      pausedUntil: member.pausedUntil,
      pendingDecision: member.pendingDecision,
      checkIns: member.checkIns,
    }));

  it.each(twinCases.map((each, index) => ({ ...each, index })))(
    '$id, $intent',
    async ({ id, intent, index }) => {
      // Prepare: the reply quotes the check-in email this pair's Ada really got.
      const twin = twins[index];
      if (!twin) throw new Error('missing twin');
      const [, emailBen = '', smsAda = '', smsBen = ''] = twin.phones;
      const checkIn = (await stack.outbox()).email
        .filter((email) => email.to === ADA_EMAIL && email.replyTo?.includes(`+${twin.emailId}-m1-`))
        .at(-1);
      if (!checkIn?.replyTo) throw new Error('no check-in email');
      const words = memberReplies[intent];
      const raw = style(id).write({ ...checkIn, replyTo: checkIn.replyTo, messageId: 'c@ses' }, words);
      const textsBefore = (await stack.outbox()).sms.length;

      // Act
      const emailed = await stack.emailIn(raw);
      await stack.text(smsAda, words);

      // Assess: the same state for both members, the same news for the partner.
      expect(['applied', 'unclear']).toContain(emailed.body.outcome.result);
      expect(await stateOf(twin.emailId)).toEqual(await stateOf(twin.smsId));
      const newTexts = (await stack.outbox()).sms.slice(textsBefore);
      expect(newTexts.filter((sms) => sms.to === emailBen).map((sms) => sms.body)).toEqual(
        newTexts.filter((sms) => sms.to === smsBen).map((sms) => sms.body),
      );
    },
  );
});
