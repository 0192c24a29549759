import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type OutboxEmail, replyEmail, startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

// Addresses unique to this file: aws-ses-v2-local keeps one outbox per process.
const ADA_EMAIL = 'ada.email-test@example.com';
const BEN_EMAIL = 'ben.email-test@example.com';
const REPLY_ADDRESS = /^reply\+[0-9a-z]{12}-m[12]-\d{8}-[0-9a-z]{16}@in\.soft-partner\.local$/;

describe('email: check-ins answered by reply, buttons, one-click unsubscribe, bounces', () => {
  let stack: Stack;
  let partnershipId: string;
  const logLines: string[] = [];

  const emailsTo = async (address: string) =>
    (await stack.outbox()).email.filter((email) => email.to === address);
  const latestTo = async (address: string): Promise<OutboxEmail> => {
    const emails = await emailsTo(address);
    const latest = emails.at(-1);
    if (!latest) throw new Error('no email yet');
    return latest;
  };
  const ada = async () => (await stack.partnership(partnershipId)).members[0];
  const ben = async () => (await stack.partnership(partnershipId)).members[1];
  const link = (email: OutboxEmail, label: string) => {
    const match = new RegExp(`${label}:\\s+(\\S+)`).exec(email.text);
    if (!match?.[1]) throw new Error(`no "${label}" link`);
    return match[1];
  };

  beforeAll(async () => {
    // Prepare: Ada checks in by email, Ben by text and gave an address too; both join on 24 November.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk, ...rest) => {
        logLines.push(String(chunk));
        return write(chunk, ...(rest as []));
      });
    }
    stack = await startTestStack('2026-11-24T14:00:00Z');
    const response = await stack.enroll({
      members: [
        { ...ADA, email: ADA_EMAIL, checkInBy: 'email' },
        { ...BEN, email: BEN_EMAIL },
      ],
    });
    partnershipId = ((await response.json()) as { id: string }).id;
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await stack?.close();
  });

  it('emails the invitation with a signed Reply-To and RFC 8058 one-click unsubscribe headers', async () => {
    const [invitation] = await emailsTo(ADA_EMAIL);
    expect(invitation?.subject).toBe('Ben invited you to a 14-day Soft Partner trial');
    expect(invitation?.replyTo).toMatch(REPLY_ADDRESS);
    expect(invitation?.headers['List-Unsubscribe']).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/email\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
    );
    expect(invitation?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect((await emailsTo(BEN_EMAIL)).map((email) => email.subject)).toEqual([
      'Ada invited you to a 14-day Soft Partner trial',
    ]);
  });

  it('sends Day 1 to the email member by email only, and the charter to the texting member as well', async () => {
    // Act: to 25 Nov 20:00 UTC, after 08:30 in New York and 19:00 in London.
    await stack.advance({ to: '2026-11-25T20:00:00Z' });

    // Assess
    const day1 = await latestTo(ADA_EMAIL);
    expect(day1.subject).toBe('Day 1 of 14: your one-page charter, Ada');
    expect(day1.text).toContain('Every day at 08:30 (America/New_York).');
    expect(day1.text).toContain('Check-ins by email; news and reminders by text.');
    expect(day1.at).toBe('2026-11-25T13:30:00.000Z');
    const sms = (await stack.outbox()).sms;
    expect(sms.filter((text) => text.to === ADA.phone && text.body.startsWith('Day 1'))).toEqual([]);
    expect(sms.filter((text) => text.to === BEN.phone && text.body.startsWith('Day 1'))).toHaveLength(1);
    expect((await latestTo(BEN_EMAIL)).subject).toBe('Day 1 of 14: your one-page charter, Ben');
  });

  it('applies a plain emailed "yes" exactly as the same word by text, and sends no email back for it', async () => {
    // Prepare
    const day1 = await latestTo(ADA_EMAIL);
    const raw = replyEmail({
      from: ADA_EMAIL,
      to: day1.replyTo ?? '',
      text: 'yes',
      messageId: 'first@mail.example.com',
    });
    const emailsBefore = (await emailsTo(ADA_EMAIL)).length;

    // Act: Ada replies by email; Ben says the same by text.
    const emailed = await stack.emailIn(raw, { messageId: 'sesmessage000001' });
    await stack.text(BEN.phone, 'yes');

    // Assess
    expect(emailed).toMatchObject({
      status: 202,
      body: { outcome: { result: 'applied', intents: ['on_track'] } },
    });
    expect((await ada())?.checkIns).toEqual([
      expect.objectContaining({ localDate: '2026-11-25', status: 'on_track' }),
    ]);
    expect((await ben())?.checkIns).toEqual([
      expect.objectContaining({ localDate: '2026-11-25', status: 'on_track' }),
    ]);
    // Nothing changed that Ada must know: her inbox gets nothing for a plain yes.
    expect(await emailsTo(ADA_EMAIL)).toHaveLength(emailsBefore);
  });

  it('answers an emailed question by email in the thread, with the same words a text would get', async () => {
    // Prepare
    const day1 = (await emailsTo(ADA_EMAIL)).find((email) => email.subject.startsWith('Day 1'));
    const raw = replyEmail({
      from: ADA_EMAIL,
      to: day1?.replyTo ?? '',
      text: 'STATUS',
      messageId: 'second@mail.example.com',
    });

    // Act
    await stack.emailIn(raw, { messageId: 'sesmessage000090' });
    const texted = await stack.text(BEN.phone, 'STATUS');

    // Assess
    const answer = await latestTo(ADA_EMAIL);
    expect(answer.subject).toBe('Re: Still on track today?');
    expect(answer.headers['In-Reply-To']).toBe('<second@mail.example.com>');
    const benReply = texted.body.match(/<Message>([\s\S]*?)<\/Message>/)?.[1] ?? '';
    // The same words got the same answer, names swapped.
    const swapped = benReply.replace(/Ben|Ada/g, (name) => (name === 'Ben' ? 'Ada' : 'Ben'));
    expect(swapped).toMatch(/grace left this month/);
    expect(answer.text).toContain(swapped.replace(/Next check-in: .*$/, ''));
  });

  it('sends the charter again, by email, when a TWEAK changes it', async () => {
    // Prepare
    const day1 = (await emailsTo(ADA_EMAIL)).find((email) => email.subject.startsWith('Day 1'));
    const raw = replyEmail({ from: ADA_EMAIL, to: day1?.replyTo ?? '', text: 'TIME 7:45' });

    // Act
    const result = await stack.emailIn(raw, { messageId: 'sesmessagetweak1' });

    // Assess
    expect(result.body.outcome).toMatchObject({ result: 'applied', intents: ['tweak'] });
    const charters = (await emailsTo(ADA_EMAIL)).filter(
      (email) => email.subject === 'Your charter, updated: Ada',
    );
    expect(charters).toHaveLength(1);
    expect(charters[0]?.text).toContain('Every day at 07:45 (America/New_York).');
    expect(charters[0]?.text).toContain('- Ada: write 300 words');
    expect(charters[0]?.text).toContain('- Ben: run 3 km');
  });

  it('applies a message SES delivers twice only once', async () => {
    // Prepare
    const before = (await emailsTo(ADA_EMAIL)).length;
    const day1 = await latestTo(ADA_EMAIL);
    const raw = replyEmail({ from: ADA_EMAIL, to: day1.replyTo ?? '', text: 'grace' });

    // Act
    const first = await stack.emailIn(raw, { messageId: 'sesmessage000002' });
    const second = await stack.emailIn(raw, { messageId: 'sesmessage000002' });

    // Assess
    expect(first.body.outcome.result).toBe('applied');
    expect(second.body.outcome.result).toBe('duplicate');
    expect((await ada())?.graceTokensLeft).toBe(1);
    expect(await emailsTo(ADA_EMAIL)).toHaveLength(before + 1);
  });

  it.each([
    ['a forged sender', { from: 'mallory@example.com' }, {}, 'sender_mismatch'],
    ['a tampered token', { tamper: true }, {}, 'no_reply_token'],
    ['a DKIM FAIL verdict', {}, { dkim: 'FAIL' }, 'verdict_failed'],
    ['an SPF FAIL verdict', {}, { spf: 'FAIL' }, 'verdict_failed'],
    ['a virus', {}, { virus: 'FAIL' }, 'verdict_failed'],
    ['neither SPF nor DKIM passing', {}, { spf: 'GRAY', dkim: 'GRAY' }, 'unauthenticated'],
  ])(
    'keeps but never applies a reply with %s, and logs it without the address',
    async (_case, change, verdicts, reason) => {
      // Prepare
      const before = await ada();
      const day1 = (await emailsTo(ADA_EMAIL)).find((email) => email.subject.startsWith('Day 1'));
      const address = day1?.replyTo ?? '';
      const to = 'tamper' in change ? address.replace(/[0-9a-z](@)/, (_m, at) => `x${at}`) : address;
      const from = 'from' in change ? change.from : ADA_EMAIL;
      const messageId = `sesreject${reason.replaceAll('_', '')}${Object.keys(verdicts).join('')}`;
      logLines.length = 0;

      // Act
      const result = await stack.emailIn(replyEmail({ from, to, text: 'pause 3 days' }), {
        messageId,
        ...verdicts,
      });

      // Assess
      expect(result.body.outcome).toEqual({ result: 'rejected', reason });
      const after = await ada();
      expect(after?.status).toBe(before?.status);
      expect(after?.graceTokensLeft).toBe(before?.graceTokensLeft);
      const logged = logLines.filter((line) => line.includes(messageId));
      expect(logged.some((line) => line.includes(reason))).toBe(true);
      expect(logged.join('\n')).not.toMatch(/@/);
    },
  );

  it('shows a button on GET and applies it only on POST, once', async () => {
    // Prepare: Day 2's check-in email, with its buttons.
    await stack.advance({ to: '2026-11-26T14:00:00Z' });
    const checkIn = await latestTo(ADA_EMAIL);
    expect(checkIn.subject).toBe('Still on track for "write 300 words" today, Ada?');
    const moodLink = link(checkIn, '4');

    // Act + Assess: a GET (a mail scanner, a preview) changes nothing.
    const shown = await stack.open(moodLink);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('<form method="post"');
    expect((await ada())?.checkIns.find((each) => each.localDate === '2026-11-26')?.mood).toBeUndefined();

    // Act + Assess: the page's button applies it; a second press changes nothing more.
    const applied = await stack.open(moodLink, 'POST');
    const again = await stack.open(moodLink, 'POST');
    expect(applied.status).toBe(200);
    expect(again.html).toContain('Already done');
    expect((await ada())?.checkIns.find((each) => each.localDate === '2026-11-26')?.mood).toBe(4);
  });

  it('refuses a button once a newer check-in has been sent, and a link that was tampered with', async () => {
    // Prepare
    const yesterday = await latestTo(ADA_EMAIL);
    const graceLink = link(yesterday, 'Take a grace day');
    await stack.advance({ to: '2026-11-27T14:00:00Z' });

    // Act
    const stale = await stack.open(graceLink, 'POST');
    const tampered = await stack.open(
      graceLink.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A')),
      'POST',
    );

    // Assess
    expect(stale.status).toBe(409);
    expect(tampered.status).toBe(400);
    expect((await ada())?.graceTokensLeft).toBe(1);
  });

  it('unsubscribes by one-click POST only: emails stop for that member, texts and the partner carry on', async () => {
    // Prepare
    const unsubscribe = (await latestTo(ADA_EMAIL)).headers['List-Unsubscribe']?.slice(1, -1) ?? '';
    const emailsBefore = (await emailsTo(ADA_EMAIL)).length;

    // Act + Assess: a GET only asks.
    const page = await stack.open(unsubscribe);
    expect(page.status).toBe(200);
    expect((await ada())?.emailStatus).toBeUndefined();

    // Act: the mail client's one-click POST, twice (idempotent).
    const first = await stack.open(unsubscribe, 'POST', 'List-Unsubscribe=One-Click');
    const second = await stack.open(unsubscribe, 'POST', 'List-Unsubscribe=One-Click');
    await stack.advance({ to: '2026-11-28T14:00:00Z' });

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await ada())?.emailStatus).toBe('unsubscribed');
    expect(await emailsTo(ADA_EMAIL)).toHaveLength(emailsBefore);
    const adaTexts = (await stack.outbox()).sms.filter((text) => text.to === ADA.phone);
    expect(adaTexts.at(-1)?.body).toMatch(/^Still on track/);
    expect((await ben())?.emailStatus).toBeUndefined();
    expect((await ada())?.status).toBe('active');
  });

  it('turns the email channel off on a permanent bounce or a complaint, once, and ignores a soft bounce', async () => {
    // Prepare
    const event = (type: string, bounceType?: string) => ({
      eventType: type,
      mail: { messageId: `ses-${type}`, tags: { partnership: [partnershipId], member: ['m2'] } },
      ...(bounceType ? { bounce: { bounceType, bouncedRecipients: [{ emailAddress: BEN_EMAIL }] } } : {}),
    });
    const post = async (body: unknown) =>
      (await (
        await fetch(`${stack.url}/local/email-events`, { method: 'POST', body: JSON.stringify(body) })
      ).json()) as { outcomes: string[] };

    // Act
    const soft = await post(event('Bounce', 'Transient'));
    const hard = await post(event('Bounce', 'Permanent'));
    const again = await post(event('Bounce', 'Permanent'));

    // Assess
    expect([soft.outcomes, hard.outcomes, again.outcomes]).toEqual([
      ['ignored'],
      ['email_off'],
      ['already_off'],
    ]);
    expect((await ben())?.emailStatus).toBe('bounced');
    expect((await ben())?.status).toBe('active');
  });

  it('refuses a reply to an address more than three weeks old', async () => {
    // Prepare
    const day1 = (await emailsTo(ADA_EMAIL)).find((email) => email.subject.startsWith('Day 1'));
    await stack.advance({ to: '2026-12-17T14:00:00Z' });

    // Act
    const result = await stack.emailIn(replyEmail({ from: ADA_EMAIL, to: day1?.replyTo ?? '', text: 'yes' }));

    // Assess
    expect(result.body.outcome).toEqual({ result: 'rejected', reason: 'expired_token' });
  });

  it('answers a request that is not a raw message with a clear 4xx', async () => {
    const wrongType = await fetch(`${stack.url}/local/inbound-email`, { method: 'POST', body: 'yes' });
    const badVerdict = await stack.emailIn('From: a@b.c\r\n\r\nyes', { spf: 'MAYBE' });
    expect(wrongType.status).toBe(415);
    expect(badVerdict.status).toBe(400);
  });
});
