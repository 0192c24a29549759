import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_LINK_SECRET } from '#local/stack.js';
import { limits } from '#shared/domain/limits.js';
import { linkPayloadSchema, signLink } from '#shared/domain/signed-tokens.js';
import { figure } from '../reliability/figures.js';
import { replyEmail, startTestStack, TWILIO_AUTH_TOKEN } from '../support/local-http.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** A distinct New York number per person of this file. */
const phone = (n: number) => `+1212555${String(2000 + n).padStart(4, '0')}`;
const person = (n: number, extra: Record<string, unknown> = {}) => ({
  name: `P${n}`,
  phone: phone(n),
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: `goal ${n}`,
  ...extra,
});

describe('people across partnerships (issue 18)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const enrolled = async (body: unknown) => {
    const response = await stack.enroll(body);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const textsTo = async (to: string) => (await stack.outbox()).sms.filter((text) => text.to === to);

  describe('numbers worth texting', () => {
    it.each([
      ['a US premium-rate number', '+19005551234'],
      ['a UK premium-rate number', '+448712345678'],
      ['a French premium-rate number', '+33899123456'],
      ['a French shared-cost number', '+33810123456'],
      ['a number in a country we do not text', '+5511987654321'],
    ])('refuses %s with a 400 naming members.1.phone, inviting nobody', async (_what, number) => {
      // Prepare
      const before = (await stack.outbox()).sms.length;

      // Act
      const response = await enrolled({ members: [person(1), person(2, { phone: number })] });

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([{ path: 'members.1.phone', message: expect.any(String) }]);
      await stack.advance({ minutes: 1 });
      expect((await stack.outbox()).sms.length).toBe(before);
    });
  });

  describe('text hygiene', () => {
    it('cleans control characters, noncharacters, bidi overrides and zero-width marks from every field, never answering 5xx', async () => {
      // Prepare: every field of the enrollment carries characters that hide or break text.
      const response = await enrolled({
        organiser: 'Text\u0007 Sam\u202E',
        members: [
          person(10, { name: 'Kim\u0001', goal: 'run\uFFFE 5k\u200B' }),
          person(11, { name: 'Lu\u202Ee\u0085', goal: 'Cafe\u0301 visits' }),
        ],
      });
      expect(response.status).toBe(201);
      const id = String(response.body.id);

      // Act: Kim and Lu join, then send free text with the same characters.
      const answers = [
        await stack.text(phone(10), 'YES\u0001'),
        await stack.text(phone(11), 'yes'),
        await stack.text(phone(10), 'GOAL run\uFFFE 5k'),
        await stack.text(phone(11), 'NEED a\u0000 call\u2066 tonight\uFEFF'),
        await stack.text(phone(10), 'WIN did it\u202D\u0008'),
      ];
      await stack.advance({ minutes: 5 });

      // Assess
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      const view = await stack.partnership(id);
      expect(view.members.map((member) => member.name)).toEqual(['Kim', 'Lue']);
      expect(view.members.map((member) => member.status)).toEqual(['active', 'active']);
      const goals = view.members.map((member) => (member as unknown as { goal: string }).goal);
      expect(goals).toEqual(['run 5k', 'Caf\u00e9 visits']);
      const sent = [...(await textsTo(phone(10))), ...(await textsTo(phone(11)))].map((text) => text.body);
      expect(sent.length).toBeGreaterThan(0);
      for (const body of sent)
        expect(body).not.toMatch(/[^\P{Cc}\n]|[\u202A-\u202E\u2066-\u2069\u200B\uFEFF\uFFFE]/u);
    });

    it('answers an emailed reply whose subject is 1,500 characters long', async () => {
      // Prepare: Ada checks in by email and has had her Day 1 check-in.
      const email = 'long.subject@example.com';
      const response = await enrolled({
        members: [person(20, { email, checkInBy: 'email' }), person(21)],
      });
      await stack.text(phone(20), 'yes');
      await stack.text(phone(21), 'yes');
      await stack.advance({ to: '2026-11-25T14:00:00Z' });
      const day1 = (await stack.outbox()).email.filter((each) => each.to === email).at(-1);
      // Grace spent is news the member must know, so the reply is answered by email (a plain yes is not).
      const raw = replyEmail({ from: email, to: day1?.replyTo ?? '', text: 'grace' }).replace(
        'Subject: Re: Still on track today?',
        `Subject: Re: ${'long '.repeat(300)}`,
      );

      // Act
      const result = await stack.emailIn(raw, { messageId: 'seslongsubject01' });
      await stack.advance({ minutes: 1 });

      // Assess
      expect(response.status).toBe(201);
      expect(result.body.outcome.result).toBe('applied');
      const answer = (await stack.outbox()).email.filter((each) => each.to === email).at(-1);
      expect(answer?.subject.length).toBeLessThanOrEqual(210);
      expect(answer?.subject.startsWith('Re: long long')).toBe(true);
    });
  });

  describe('webhook form hygiene', () => {
    it('refuses a signed form that repeats a key with 400, storing nothing', async () => {
      // Prepare: a form Twilio never sends, correctly signed.
      const url = `${stack.url}/webhooks/twilio/sms`;
      const entries: Array<[string, string]> = [
        ['MessageSid', 'SMrepeated000000000000000000000001'],
        ['From', phone(10)],
        ['To', '+15005550006'],
        ['Body', 'STOP'],
        ['Body', 'yes'],
      ];
      const signature = getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, {
        MessageSid: 'SMrepeated000000000000000000000001',
        From: phone(10),
        To: '+15005550006',
        Body: ['STOP', 'yes'],
      } as unknown as Record<string, string>);

      // Act
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(entries).toString(),
      });

      // Assess: refused, and the same sid is still new (nothing was stored under it).
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ issues: [{ path: 'Body' }] });
      const again = await stack.text(phone(10), 'hello', {
        messageSid: 'SMrepeated000000000000000000000001',
      });
      expect(again.status).toBe(200);
      expect(again.body).toContain('<Message>');
    });
  });

  /** Posts a signed Twilio form with extra fields (Advanced Opt-Out adds OptOutType). */
  const signedText = async (params: Record<string, string>) => {
    const url = `${stack.url}/webhooks/twilio/sms`;
    const form = { AccountSid: 'AC00000000000000000000000000000001', To: '+15005550006', ...params };
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, form),
      },
      body: new URLSearchParams(form).toString(),
    });
  };
  const emailsTo = async (to: string) => (await stack.outbox()).email.filter((each) => each.to === to);
  const emailEvent = (type: string, partnershipId: string, memberId: string) =>
    fetch(`${stack.url}/local/email-events`, {
      method: 'POST',
      body: JSON.stringify({
        eventType: type,
        mail: {
          messageId: `ses-${type}-${partnershipId}`,
          tags: { partnership: [partnershipId], member: [memberId] },
        },
      }),
    });
  const sentCount = async () => {
    const outbox = await stack.outbox();
    return outbox.sms.filter((text) => text.direction === 'outbound-api').length + outbox.email.length;
  };

  describe('consent follows the person', () => {
    const optOuts: Array<[string, number, (id: string, n: number) => Promise<unknown>, string[]]> = [
      ['the STOP keyword', 30, (_id, n) => stack.text(phone(n), 'STOP'), ['members.0.phone']],
      [
        'words ("please stop texting me")',
        32,
        (_id, n) => stack.text(phone(n), 'please stop texting me'),
        ['members.0.phone'],
      ],
      [
        "Twilio's OptOutType",
        34,
        (_id, n) =>
          signedText({
            MessageSid: `SMoptouttype${String(n).padStart(22, '0')}`,
            From: phone(n),
            Body: 'halt',
            OptOutType: 'STOP',
          }),
        ['members.0.phone'],
      ],
      [
        'STOP by email',
        36,
        async (_id, n) => {
          const invitation = (await emailsTo(`p${n}@example.com`)).at(-1);
          return stack.emailIn(
            replyEmail({ from: `p${n}@example.com`, to: invitation?.replyTo ?? '', text: 'STOP' }),
          );
        },
        ['members.0.phone', 'members.0.email'],
      ],
      [
        'the one-click unsubscribe',
        38,
        async (_id, n) => {
          const invitation = (await emailsTo(`p${n}@example.com`)).at(-1);
          const link = /<([^>]+)>/.exec(invitation?.headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
          return stack.open(link, 'POST', 'List-Unsubscribe=One-Click');
        },
        ['members.0.email'],
      ],
      ['a complaint', 40, (id) => emailEvent('Complaint', id, 'm1'), ['members.0.email']],
    ];

    it.each(optOuts)(
      'after an opt-out by %s, enrolling the person again answers 409 naming the field and sends nothing to anyone',
      async (_path, n, optOut, paths) => {
        // Prepare: the person is invited (with an address), then opts out.
        const first = await enrolled({ members: [person(n, { email: `p${n}@example.com` }), person(n + 1)] });
        await stack.advance({ minutes: 1 });
        await optOut(String(first.body.id), n);
        await stack.advance({ minutes: 1 });
        const before = await sentCount();

        // Act: a new partnership with the same person, and someone new.
        const again = await enrolled({
          members: [person(n, { email: `p${n}@example.com` }), person(n + 100)],
        });
        await stack.advance({ minutes: 10 });

        // Assess
        expect(first.status).toBe(201);
        expect(again.status).toBe(409);
        const issues = again.body.issues as Array<{ path: string; message: string }>;
        expect(issues.map((issue) => issue.path)).toEqual(paths);
        for (const issue of issues) expect(issue.message).toMatch(/text START|without this address/);
        expect(await sentCount()).toBe(before);
      },
    );

    it('an email unsubscribe stops emails in every partnership of the address', async () => {
      // Prepare: the same address in two partnerships.
      const email = 'two.partnerships@example.com';
      const a = await enrolled({ members: [person(50, { email }), person(51)] });
      const b = await enrolled({ members: [person(52, { email }), person(53)] });
      await stack.advance({ minutes: 1 });
      const fromA = (await emailsTo(email)).find((each) => each.replyTo?.includes(`+${String(a.body.id)}-`));
      const link = /<([^>]+)>/.exec(fromA?.headers['List-Unsubscribe'] ?? '')?.[1] ?? '';

      // Act
      const page = await stack.open(link, 'POST', 'List-Unsubscribe=One-Click');

      // Assess
      expect(page.status).toBe(200);
      const statuses = [
        (await stack.partnership(String(a.body.id))).members[0]?.emailStatus,
        (await stack.partnership(String(b.body.id))).members[0]?.emailStatus,
      ];
      expect(statuses).toEqual(['unsubscribed', 'unsubscribed']);
    });

    it('the re-subscribe link on the unsubscribe page lets the address be enrolled and emailed again; a bounce stays', async () => {
      // Prepare: one address in A and B; B's email hard-bounced. The address unsubscribes from A's invitation.
      const email = 'come.back@example.com';
      const a = String((await enrolled({ members: [person(55, { email }), person(56)] })).body.id);
      const b = String((await enrolled({ members: [person(57, { email }), person(58)] })).body.id);
      await stack.advance({ minutes: 1 });
      await fetch(`${stack.url}/local/email-events`, {
        method: 'POST',
        body: JSON.stringify({
          eventType: 'Bounce',
          bounce: { bounceType: 'Permanent' },
          mail: { messageId: `ses-bounce-${b}`, tags: { partnership: [b], member: ['m1'] } },
        }),
      });
      const fromA = (await emailsTo(email)).find((each) => each.replyTo?.includes(`+${a}-`));
      const unsubscribe = /<([^>]+)>/.exec(fromA?.headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
      const unsubscribed = await stack.open(unsubscribe, 'POST', 'List-Unsubscribe=One-Click');
      const href = /href="(\/email\/resubscribe\?token=[^"]+)"/.exec(unsubscribed.html)?.[1] ?? '';
      const resubscribe = `${stack.url}${href.replaceAll('&amp;', '&')}`;
      const emailStatuses = async () => [
        (await stack.partnership(a)).members[0]?.emailStatus,
        (await stack.partnership(b)).members[0]?.emailStatus,
      ];
      const refused = await enrolled({ members: [person(59, { email }), person(54)] });

      // Act: a mail scanner opens the link; the person presses its button; the button is pressed again.
      const shown = await stack.open(resubscribe);
      const afterShown = await emailStatuses();
      const stillRefused = await enrolled({ members: [person(59, { email }), person(54)] });
      const applied = await stack.open(resubscribe, 'POST');
      const afterApplied = await emailStatuses();
      const replayed = await stack.open(resubscribe, 'POST');
      const afterReplay = await emailStatuses();
      const emailsBefore = (await emailsTo(email)).length;
      const again = await enrolled({ members: [person(59, { email }), person(54)] });
      await stack.advance({ minutes: 1 });

      // Assess: the unsubscribe page offered the way back; GET changed nothing, POST applied once.
      expect(unsubscribed.status).toBe(200);
      expect(unsubscribed.html).toContain('Changed your mind? Get emails again');
      expect(href).not.toBe('');
      expect(refused.status).toBe(409);
      const issues = refused.body.issues as Array<{ path: string; message: string }>;
      expect(issues.map((issue) => issue.path)).toEqual(['members.0.email']);
      expect(issues[0]?.message).toContain('Get emails again');
      expect(shown.status).toBe(200);
      expect(shown.html).toContain('<button type="submit">Get emails again</button>');
      expect(afterShown).toEqual(['unsubscribed', 'bounced']);
      expect(stillRefused.status).toBe(409);
      expect(applied.status).toBe(200);
      expect(applied.html).toContain('Welcome back');
      expect(afterApplied).toEqual([undefined, 'bounced']);
      expect(replayed.status).toBe(200);
      expect(replayed.html).toContain('Already done');
      expect(afterReplay).toEqual([undefined, 'bounced']);
      expect(again.status).toBe(201);
      const invitations = (await emailsTo(email)).slice(emailsBefore);
      expect(invitations.map((each) => each.replyTo?.includes(`+${String(again.body.id)}-`))).toEqual([true]);
    });

    /** The same re-subscribe token, properly signed, but expired a second ago by the stack's clock. */
    const expired = async (resubscribe: string) => {
      const [body = ''] = resubscribe.split('.');
      const payload = linkPayloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      const clock = (await (await fetch(`${stack.url}/local/clock`)).json()) as { now: string };
      const now = Date.parse(clock.now);
      return signLink(LOCAL_LINK_SECRET, { ...payload, exp: Math.floor(now / 1000) - 1 });
    };
    const wrongTokens: Array<
      [string, number, number, (resubscribe: string, unsubscribe: string) => string | Promise<string>]
    > = [
      ['a forged token', 150, 400, (resubscribe) => `${resubscribe.slice(0, -2)}xx`],
      ['an unsubscribe token', 152, 400, (_resubscribe, unsubscribe) => unsubscribe],
      ['an expired token', 154, 410, expired],
    ];
    it.each(wrongTokens)(
      'refuses %s at the re-subscribe link with %i, changing nothing',
      async (_what, n, status, pick) => {
        // Prepare: an address unsubscribed with its one-click link.
        const email = `p${n}@example.com`;
        const a = String((await enrolled({ members: [person(n, { email }), person(n + 1)] })).body.id);
        await stack.advance({ minutes: 1 });
        const invitation = (await emailsTo(email)).at(-1);
        const unsubscribe = /<([^>]+)>/.exec(invitation?.headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
        const unsubscribed = await stack.open(unsubscribe, 'POST', 'List-Unsubscribe=One-Click');
        const real = /href="\/email\/resubscribe\?token=([^"]+)"/.exec(unsubscribed.html)?.[1] ?? '';
        const token = await pick(real, new URL(unsubscribe).searchParams.get('token') ?? '');

        // Act
        const shown = await stack.open(`${stack.url}/email/resubscribe?token=${token}`);
        const applied = await stack.open(`${stack.url}/email/resubscribe?token=${token}`, 'POST');

        // Assess
        expect(real).not.toBe('');
        expect([shown.status, applied.status]).toEqual([status, status]);
        expect(applied.html).toContain(status === 410 ? 'This link has expired' : 'This link does not work');
        expect((await stack.partnership(a)).members[0]?.emailStatus).toBe('unsubscribed');
      },
    );

    it('STOP then START gives each membership back exactly its status, and schedules the active one', async () => {
      // Prepare: Pat joined A (with Ann); then Bob invites Pat to B and joins, Pat has not answered B.
      const pat = person(60, { name: 'Pat' });
      const a = String((await enrolled({ members: [pat, person(61, { name: 'Ann' })] })).body.id);
      await stack.text(phone(60), 'yes');
      await stack.text(phone(61), 'yes');
      const b = String((await enrolled({ members: [person(62, { name: 'Bob' }), pat] })).body.id);
      await stack.text(phone(62), 'yes');
      await stack.advance({ minutes: 5 });
      const statusOfPat = async () => [
        (await stack.partnership(a)).members[0]?.status,
        (await stack.partnership(b)).members[1]?.status,
      ];
      expect(await statusOfPat()).toEqual(['active', 'invited']);

      // Act: STOP; a day passes (nothing reaches Pat); START.
      await stack.text(phone(60), 'STOP');
      const stopped = await statusOfPat();
      const textsBefore = (await textsTo(phone(60))).filter(
        (text) => text.direction === 'outbound-api',
      ).length;
      await stack.advance({ to: '2026-11-26T12:00:00Z' });
      const textsWhileStopped =
        (await textsTo(phone(60))).filter((text) => text.direction === 'outbound-api').length - textsBefore;
      const started = await stack.text(phone(60), 'START');
      const restored = await statusOfPat();
      await stack.advance({ to: '2026-11-27T14:00:00Z' });

      // Assess
      expect(stopped).toEqual(['opted_out', 'opted_out']);
      expect(textsWhileStopped).toBe(0);
      expect(started.body).toContain('Welcome back');
      expect(restored).toEqual(['active', 'invited']);
      const after = (await textsTo(phone(60))).filter((text) => text.direction === 'outbound-api');
      // A's check-in comes back the next morning; B never starts for Pat without a YES.
      expect(after.some((text) => /on track|Day \d/i.test(text.body))).toBe(true);
      expect(after.filter((text) => text.body.startsWith('Day 1')).length).toBeLessThanOrEqual(1);
      expect((await stack.partnership(b)).members[1]?.status).toBe('invited');
      const bView = (await stack.partnership(b)) as unknown as { startedAt?: string };
      expect(bView.startedAt).toBeUndefined();
    });
  });

  describe('replies of a person in several partnerships', () => {
    /** Enrolls a pair and has both say YES; the partnership starts and check-ins come the next morning. */
    const startedPair = async (members: unknown[], words = ['yes', 'yes']) => {
      const id = String((await enrolled({ members })).body.id);
      await stack.advance({ minutes: 1 });
      for (const [index, each] of (members as Array<{ phone: string }>).entries())
        await stack.text(each.phone, words[index] ?? 'yes');
      return id;
    };
    const checkInsOf = async (id: string, index: number) =>
      (await stack.partnership(id)).members[index]?.checkIns.map((each) => each.status);
    /** The next 08:35 in New York after the stack's clock: every New York check-in of the day has gone. */
    const nextMorning = async () => {
      const now = new Date(((await (await fetch(`${stack.url}/local/clock`)).json()) as { now: string }).now);
      const morning = new Date(
        Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 13, 35),
      );
      await stack.advance({ to: morning.toISOString() });
    };

    it('a YES answers the open check-in while an invitation waits; JOIN joins the invitation', async () => {
      // Prepare: Pat is in A with Ann and has today's check-in; then Bob invites Pat to B.
      const pat = person(70, { name: 'Pat', goal: 'write 300 words' });
      const a = await startedPair([pat, person(71, { name: 'Ann' })]);
      await nextMorning();
      const b = String(
        (await enrolled({ members: [person(72, { name: 'Bob' }), { ...pat, goal: 'run 5k' }] })).body.id,
      );
      await stack.advance({ minutes: 1 });
      const invitation = (await textsTo(phone(70))).at(-1)?.body ?? '';

      // Act
      const yes = await stack.text(phone(70), 'yes');
      const afterYes = [await checkInsOf(a, 0), (await stack.partnership(b)).members[1]?.status];
      const join = await stack.text(phone(70), 'JOIN');

      // Assess
      expect(invitation).toContain('JOIN');
      expect(invitation).toContain('Bob');
      expect(invitation).toContain('run 5k');
      expect(yes.status).toBe(200);
      expect(afterYes).toEqual([['on_track'], 'invited']);
      expect(join.body).toContain('Welcome aboard');
      expect((await stack.partnership(b)).members[1]?.status).toBe('active');
      expect(await checkInsOf(a, 0)).toEqual(['on_track']);
    });

    it('with two open check-ins, a reply changes nothing until the member chooses, then answers the chosen one', async () => {
      // Prepare: Quinn is in two started partnerships; both check-ins arrive the same morning.
      const quinn = person(80, { name: 'Quinn', goal: 'write 300 words' });
      const a = await startedPair([quinn, person(81)]);
      // Quinn is already in A: joining B takes JOIN.
      const b = await startedPair([{ ...quinn, goal: 'run 5k' }, person(82)], ['JOIN', 'yes']);
      await nextMorning();
      const before = [await checkInsOf(a, 0), await checkInsOf(b, 0)];

      // Act
      const ambiguous = await stack.text(phone(80), 'yes');
      const unchanged = [await checkInsOf(a, 0), await checkInsOf(b, 0)];
      const chosen = await stack.text(phone(80), '2 yes');
      const afterNumber = [await checkInsOf(a, 0), await checkInsOf(b, 0)];
      const byGoal = await stack.text(phone(80), 'write grace');

      // Assess
      expect(before).toEqual([['sent'], ['sent']]);
      expect(ambiguous.body).toContain('1 for &quot;write 300 words&quot;'.replaceAll('&quot;', '"'));
      expect(ambiguous.body).toContain('2 for "run 5k"');
      expect(unchanged).toEqual([['sent'], ['sent']]);
      expect(chosen.status).toBe(200);
      expect(afterNumber).toEqual([['sent'], ['on_track']]);
      expect(byGoal.status).toBe(200);
      expect([await checkInsOf(a, 0), await checkInsOf(b, 0)]).toEqual([['grace'], ['on_track']]);
    });

    it('STATUS and HELP list every partnership of the person', async () => {
      // Prepare: Quinn (above) is in two; Rae is in one and invited to another.
      const rae = person(90, { name: 'Rae', goal: 'stretch daily' });
      await startedPair([rae, person(91)]);
      await enrolled({ members: [person(92), { ...rae, goal: 'learn Welsh' }] });
      await stack.advance({ minutes: 1 });

      // Act
      const status = await stack.text(phone(80), 'STATUS');
      const help = await stack.text(phone(90), 'HELP');

      // Assess
      expect(status.body).toContain('You are in 2 trials: "write 300 words"; "run 5k".');
      expect(help.body).toContain('Reply YES');
      expect(help.body).toContain(
        'You are in 2 trials: "stretch daily"; "learn Welsh" (invited: reply JOIN).',
      );
    });
  });

  describe('limits that follow the person', () => {
    it(`refuses a sixth open partnership for one person with 409 naming the field`, async () => {
      // Prepare: five partnerships with five different partners.
      await stack.advance({ minutes: 1 });
      const statuses: number[] = [];
      for (let index = 0; index < limits.openPartnershipsPerPerson; index++)
        statuses.push((await enrolled({ members: [person(110), person(111 + index)] })).status);
      const before = await sentCount();

      // Act
      const sixth = await enrolled({ members: [person(120), person(110)] });
      await stack.advance({ minutes: 5 });

      // Assess
      expect(statuses).toEqual(Array(limits.openPartnershipsPerPerson).fill(201));
      expect(sixth.status).toBe(409);
      expect(sixth.body.issues).toEqual([
        { path: 'members.1.phone', message: expect.stringContaining('5 partnerships') },
      ]);
      expect((await textsTo(phone(120))).length).toBe(0);
      expect(await sentCount()).toBe(before + 0);
    });

    it(`holds a person's texts that others cause past ${limits.unpromptedTextsPerPersonPerDay} a day`, async () => {
      // Prepare: Ada and Ben join (each invitation is one such text); Ben then asks for help six times
      // (each need is forwarded at once; a pair's wins would ride inside Ada's next check-in instead).
      await stack.advance({ minutes: 1 });
      await enrolled({ members: [person(130, { name: 'Ada' }), person(131, { name: 'Ben' })] });
      await stack.advance({ minutes: 1 });
      await stack.text(phone(130), 'yes');
      await stack.text(phone(131), 'yes');
      for (let index = 0; index < 6; index++)
        await stack.text(phone(131), `NEED a hand with part ${index + 1}`);

      // Act: the partner texts are spaced an hour apart; the day goes by.
      await stack.advance({ minutes: 8 * 60 });

      // Assess: the invitation and three of the six needs reached Ada; the other three were held.
      const toAda = (await textsTo(phone(130))).filter((text) => text.direction === 'outbound-api');
      const invitations = toAda.filter((text) => /invited you/.test(text.body)).length;
      const needs = toAda.filter((text) => /a hand with part \d/.test(text.body)).length;
      figure(
        'Abuse',
        'texts others caused to one person in a local day: sent of 7 (cap)',
        `${invitations + needs} (${limits.unpromptedTextsPerPersonPerDay})`,
      );
      expect(invitations).toBe(1);
      expect(needs).toBe(limits.unpromptedTextsPerPersonPerDay - 1);
      // Ben, who caused them, is not capped by Ada's allowance: his own invitation reached him.
      expect((await textsTo(phone(131))).some((text) => /invited you/.test(text.body))).toBe(true);
    });
  });

  describe('email sender checks aligned to the From domain', () => {
    const email = 'sender@mail.example.org';
    let replyTo = '';
    beforeAll(async () => {
      await stack.advance({ minutes: 1 });
      await enrolled({ members: [person(140, { email }), person(141)] });
      await stack.advance({ minutes: 1 });
      replyTo = (await emailsTo(email)).at(-1)?.replyTo ?? '';
    });
    const reply = (headers: string[], from = `Sender <${email}>`) =>
      [
        ...headers,
        ...replyEmail({ from: email, to: replyTo, text: 'yes' })
          .replace(`From: Ada <${email}>`, `From: ${from}`)
          .split('\r\n'),
      ].join('\r\n');

    it.each([
      [
        'a From: with two mailboxes',
        [],
        `Sender <${email}>, Other <other@example.com>`,
        'PASS',
        'multiple_from',
      ],
      [
        'DMARC GRAY with SPF and DKIM passing only for another domain',
        [
          'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=bounce@elsewhere.example; dkim=pass header.d=elsewhere.example',
        ],
        undefined,
        'GRAY',
        'unaligned',
      ],
      [
        "DMARC GRAY with an aligned pass only in a header the sender added below SES's",
        [
          'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=elsewhere.example; dkim=none',
          'Authentication-Results: forged; dkim=pass header.d=example.org',
        ],
        undefined,
        'GRAY',
        'unaligned',
      ],
    ])('refuses %s, recording the reason', async (_case, headers, from, dmarc, reason) => {
      // Act
      const result = await stack.emailIn(reply(headers, from), { dmarc });

      // Assess
      expect(result.status).toBe(202);
      expect(result.body.outcome).toEqual({ result: 'rejected', reason });
    });

    it('accepts DMARC GRAY when DKIM passes for the From domain itself', async () => {
      // Act
      const result = await stack.emailIn(
        reply([
          'Authentication-Results: amazonses.com; spf=neutral; dkim=pass header.d=example.org header.s=s1',
        ]),
        { dmarc: 'GRAY' },
      );

      // Assess
      expect(result.body.outcome).toMatchObject({ result: 'applied' });
    });
  });
});
