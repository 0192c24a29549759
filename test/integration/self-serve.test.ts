import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** A distinct number per person of this file: New York (several zones), London (one zone). */
const us = (n: number) => `+1212555${String(3000 + n).padStart(4, '0')}`;
const uk = (n: number) => `+447400${String(100_000 + n).padStart(6, '0')}`;
const PARTNER_NAMES = ['Mia', 'Sam', 'Cy', 'Dee', 'Eli'];

describe('self-serve setup by text (issue 20)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // 09:00 in New York, 14:00 in London: nobody is in quiet hours.
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Texts us, and answers with the texts we sent that person because of it. */
  const say = async (from: string, body: string) => {
    const before = (await stack.outbox()).sms.length;
    const response = await stack.text(from, body);
    expect(response.status).toBe(200);
    return (await stack.outbox()).sms
      .slice(before)
      .filter((text) => text.to === from)
      .map((text) => text.body);
  };
  const textsTo = async (to: string) =>
    (await stack.outbox()).sms.filter((text) => text.to === to).map((text) => text.body);

  it('takes a stranger from "Hi" to a trial with two partners, each checked in at their own local time the next day', async () => {
    // Prepare
    const ada = us(1);
    const mia = uk(1);
    const sam = us(2);

    // Act: the initiator's dialog
    const asked = [
      await say(ada, 'Hi'),
      await say(ada, 'Ada'),
      await say(ada, 'write 300 words a day'),
      await say(ada, '8.30am'),
      await say(ada, 'New York'),
      await say(ada, 'YES'),
      await say(ada, 'SKIP'),
      await say(ada, 'Mia +44 7400 100001'),
      await say(ada, `Sam ${sam.slice(2, 5)} ${sam.slice(5, 8)} ${sam.slice(8)}`),
      await say(ada, 'DONE'),
    ];
    const miaBefore = (await textsTo(mia)).length;
    const sent = await say(ada, 'SEND');
    const invitations = { mia: (await textsTo(mia)).slice(miaBefore), sam: await textsTo(sam) };

    // Act: the invitees' answers
    const miaAnswers = [
      await say(mia, 'YES'),
      await say(mia, 'run 3 km'),
      await say(mia, '19:00'),
      await say(mia, 'skip'),
    ];
    const samAnswers = [
      await say(sam, 'yes'),
      await say(sam, 'stretch 10 minutes'),
      await say(sam, '7:45'),
      await say(sam, 'Chicago'),
      await say(sam, 'yes'),
      await say(sam, 'sam@example.com'),
    ];
    const started = {
      ada: (await textsTo(ada)).at(-1),
      mia: (await textsTo(mia)).at(-1),
      sam: (await textsTo(sam)).at(-1),
    };
    await stack.advance({ to: '2026-11-26T06:00:00Z' });
    const outbox = (await stack.outbox()).sms;
    const dayOne = (phone: string) =>
      outbox.find((text) => text.to === phone && text.body.startsWith('Day 1 of 14'));

    // Assess: one question at a time, the zone confirmed back, the invitation previewed
    expect(asked.map((texts) => texts.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 3]);
    expect(asked[0]?.[0]).toMatch(/What is your first name\?/);
    expect(asked[1]?.[0]).toMatch(/^Lovely to meet you, Ada!/);
    expect(asked[4]?.[0]).toBe('New York time, 08:30. Right? Reply YES, or send another city to fix it.');
    expect(asked[9]?.[1]).toBe(
      'Ada invites you to try Soft Partner for "write 300 words a day": 14 days, 1-min check-ins, grace passes, happy to adapt. YES, NO or STOP',
    );
    expect(sent).toEqual([expect.stringMatching(/^Invitation sent to Mia and Sam!/)]);
    expect(invitations.mia).toEqual([asked[9]?.[1]]);
    expect(invitations.sam).toEqual([asked[9]?.[1]]);
    // Mia's number has one zone (London): she is never asked for it; Sam is.
    expect(miaAnswers.flat().some((text) => /time zone/.test(text))).toBe(false);
    expect(samAnswers[3]).toEqual(['Chicago time, 07:45. Right? Reply YES, or send another city to fix it.']);
    expect(started.ada).toBe(
      'Everyone is in! Your first check-in comes tomorrow at 08:30, Ada. Reply HELP anytime, STOP to opt out.',
    );
    expect(started.mia).toMatch(/tomorrow at 19:00, Mia/);
    expect(started.sam).toMatch(/tomorrow at 07:45, Sam/);
    // Day 1 the next day, at each one's own local time
    expect(dayOne(ada)?.at).toBe('2026-11-25T13:30:00.000Z');
    expect(dayOne(mia)?.at).toBe('2026-11-25T19:00:00.000Z');
    expect(dayOne(sam)?.at).toBe('2026-11-25T13:45:00.000Z');
  });

  /**
   * Plays the initiator until `until` has just been asked: name, goal, time, zone, confirm, email,
   * partner, or send (partners listed and DONE: the preview and its SEND or EDIT).
   */
  const setUpTo = async (from: string, until: string, partners: string[] = [uk(90)]) => {
    const answers: Array<[string, string]> = [
      ['name', 'Hi'],
      ['goal', 'Ada'],
      ['time', 'walk 20 minutes'],
      ['zone', '9:15'],
      ['confirm', 'Boston'],
      ['email', 'yes'],
      ['partner', 'skip'],
    ];
    for (const [asked, text] of answers) {
      await say(from, text);
      if (asked === until) return;
    }
    for (const [index, partner] of partners.entries()) await say(from, `${PARTNER_NAMES[index]} ${partner}`);
    await say(from, 'DONE');
  };

  describe('at every step', () => {
    it('BACK asks the previous question again, and the new answer counts', async () => {
      // Prepare
      const from = us(10);
      await setUpTo(from, 'zone');

      // Act
      const backToTime = await say(from, 'BACK');
      const backToGoal = await say(from, 'back');
      const goal = await say(from, 'walk 30 minutes');
      const time = await say(from, '10:00');
      const zone = await say(from, 'Chicago');

      // Assess
      expect(backToTime).toEqual([expect.stringMatching(/^What time each day suits/)]);
      expect(backToGoal).toEqual([
        expect.stringMatching(/^Lovely to meet you, Ada! What would you like to work on/),
      ]);
      expect(goal).toEqual([expect.stringMatching(/^What time each day suits/)]);
      expect(time).toEqual([expect.stringMatching(/^Which time zone are you in\?/)]);
      expect(zone).toEqual(['Chicago time, 10:00. Right? Reply YES, or send another city to fix it.']);
    });

    it('CANCEL SETUP drops the setup (the next text starts anew); a bare CANCEL is an opt-out, as carriers define it', async () => {
      // Prepare
      const from = us(11);
      const other = us(12);
      await setUpTo(from, 'time');
      await setUpTo(other, 'time');

      // Act
      const cancelled = await say(from, 'cancel setup');
      const anew = await say(from, 'hello');
      const stopped = await say(other, 'CANCEL');
      const afterStop = await say(other, '9:00');

      // Assess
      expect(cancelled).toEqual([
        'No problem, setup cancelled and nothing was sent. Text us anytime to start again.',
      ]);
      expect(anew).toEqual([expect.stringMatching(/What is your first name\?/)]);
      expect(stopped).toEqual([expect.stringMatching(/no more texts from Soft Partner/)]);
      expect(afterStop).toEqual([]);
    });

    it('HELP explains without losing the question, and a YES or GRACE is read as the answer asked for', async () => {
      // Prepare
      const from = us(13);
      await say(from, 'Hi');

      // Act
      const help = await say(from, 'HELP');
      const yes = await say(from, 'YES');
      const grace = await say(from, 'Grace');

      // Assess
      expect(help).toEqual([expect.stringMatching(/^Soft Partner: 14 days of 1-minute check-ins/)]);
      expect(yes).toEqual([expect.stringMatching(/didn't catch a name/)]);
      expect(grace).toEqual([expect.stringMatching(/^Lovely to meet you, Grace!/)]);
    });

    it('EDIT at the preview changes one answer and comes back to the preview', async () => {
      // Prepare
      const from = us(14);
      await setUpTo(from, 'send', [uk(91)]);

      // Act
      const edit = await say(from, 'EDIT');
      const goal = await say(from, 'goal');
      const preview = await say(from, 'read 10 pages');

      // Assess
      expect(edit).toEqual([expect.stringMatching(/^What would you like to change\?/)]);
      expect(goal).toEqual([expect.stringMatching(/What would you like to work on/)]);
      expect(preview).toHaveLength(3);
      expect(preview[1]).toMatch(/for "read 10 pages"/);
      expect(preview[2]).toMatch(/^Reply SEND to invite Mia/);
    });

    it('a duplicated MessageSid never advances a step twice', async () => {
      // Prepare
      const from = us(15);
      await say(from, 'Hi');
      const before = (await stack.outbox()).sms.length;

      // Act
      await stack.text(from, 'Ada', { messageSid: 'SMdup0000000000000000000000000001' });
      await stack.text(from, 'Ada', { messageSid: 'SMdup0000000000000000000000000001' });
      const next = await say(from, 'write daily');

      // Assess
      const between = (await stack.outbox()).sms.slice(before).filter((text) => text.to === from);
      expect(
        between.map((text) => text.body).filter((body) => body.startsWith('Lovely to meet you')),
      ).toHaveLength(1);
      expect(next).toEqual([expect.stringMatching(/^What time each day suits a 1-minute check-in, Ada\?/)]);
    });
  });

  describe('answers we ask for again', () => {
    it('a time we cannot read, and a time in quiet hours (with the window)', async () => {
      // Prepare
      const from = us(20);
      await setUpTo(from, 'zone');
      await say(from, 'BACK');

      // Act
      const unclear = await say(from, 'soonish');
      const quiet = await say(from, '22:30');

      // Assess
      expect(unclear).toEqual([expect.stringMatching(/didn't catch a time/)]);
      expect(quiet).toEqual([
        '22:30 is in our quiet hours (21:00 to 07:00), when we never text. Could you pick a time between 07:00 and 21:00?',
      ]);
    });

    it('a city we do not know, then a zone name', async () => {
      // Prepare
      const from = us(21);
      await setUpTo(from, 'confirm');

      // Act
      const unknown = await say(from, 'Atlantis');
      const zone = await say(from, 'america/denver');

      // Assess
      expect(unknown).toEqual([expect.stringMatching(/don't know that place/)]);
      expect(zone).toEqual(['Denver time, 09:15. Right? Reply YES, or send another city to fix it.']);
    });

    it.each([
      ['a number not in use', 'Mia +1 212 000 0000', /couldn't read that as a number in use/],
      ['a premium-rate number', 'Mia +1 900 555 1234', /premium-rate or business line/],
      ['a UK premium-rate number', 'Mia +44 871 234 5678', /premium-rate or business line/],
      ['a number in a country we do not text', 'Mia +55 11 98765 4321', /numbers in that country/],
      ['a name without a number', 'Mia', /first name and a mobile number/],
    ])('refuses %s as a partner, kindly, asking again', async (_what, text, answer) => {
      // Prepare
      const from = us(30 + text.length);
      await setUpTo(from, 'partner');

      // Act
      const refused = await say(from, text);

      // Assess
      expect(refused).toEqual([expect.stringMatching(answer)]);
    });

    it('does not invite someone who opted out, and says only that we cannot invite that number', async () => {
      // Prepare
      const from = us(40);
      const optedOut = us(41);
      await stack.text(optedOut, 'STOP');
      await setUpTo(from, 'partner');

      // Act
      const refused = await say(from, `Mia ${optedOut}`);

      // Assess
      expect(refused).toEqual([expect.stringMatching(/^Sorry, we can't invite that number just now/)]);
      expect(await textsTo(optedOut)).toEqual([expect.stringMatching(/no more texts/)]);
    });
  });

  it('neither invites nor sets up for someone already in as many partnerships as one person may be (the enrollment’s own check)', async () => {
    // Prepare
    const busy = us(45);
    for (let n = 0; n < 5; n += 1) {
      const enrolled = await stack.enroll({
        members: [
          { name: 'Bo', phone: busy, timezone: 'America/New_York', checkInTime: '08:30', goal: `goal ${n}` },
          {
            name: 'Cy',
            phone: us(200 + n),
            timezone: 'America/New_York',
            checkInTime: '08:30',
            goal: 'run',
          },
        ],
      });
      expect(enrolled.status).toBe(201);
    }
    const from = us(44);
    await setUpTo(from, 'partner');

    // Act
    const refused = await say(from, `Bo ${busy}`);
    const own = await say(busy, 'NEW');

    // Assess
    expect(refused).toEqual([expect.stringMatching(/^Sorry, we can't invite that number just now/)]);
    expect(own).toEqual([expect.stringMatching(/^You're in as many trials as one person can be at once/)]);
  });

  describe('the invitee', () => {
    it('NO: thanked, the initiator hears it kindly, and the same person may not invite them again for 30 days', async () => {
      // Prepare: midday in London, so the invitation is not held through Mia's quiet hours
      await stack.advance({ to: '2026-11-26T12:00:00Z' });
      const from = us(50);
      const mia = uk(50);
      await setUpTo(from, 'send', [mia]);
      await say(from, 'SEND');

      // Act
      const declined = await say(mia, 'No thanks');
      const initiatorHeard = (await textsTo(from)).slice(-2);
      await setUpTo(from, 'send', [mia]);
      const again = await say(from, 'SEND');
      const miaAfter = await textsTo(mia);

      // Assess
      expect(declined).toEqual([
        'No problem at all, and thank you for letting us know. We will not ask again. Take care!',
      ]);
      expect(initiatorHeard).toEqual([
        "Mia can't join this time, and that's okay.",
        'Nobody is left to start with just now. Text NEW anytime to invite someone else.',
      ]);
      expect(again).toEqual([
        "Sorry, we can't invite Mia just now, so I've taken them off the list.",
        expect.stringMatching(/^Who would you like as a partner\?/),
      ]);
      expect(miaAfter).toHaveLength(2);
    });
  });

  describe('a setup left alone', () => {
    it('gets one nudge after 24 hours, and is dropped after 7 days; the next text starts anew', async () => {
      // Prepare
      const from = us(60);
      await setUpTo(from, 'time');
      const before = (await textsTo(from)).length;

      // Act
      await stack.advance({ minutes: 24 * 60 + 1 });
      const afterADay = (await textsTo(from)).slice(before);
      await stack.advance({ minutes: 2 * 24 * 60 });
      const afterThreeDays = (await textsTo(from)).slice(before);
      await stack.advance({ minutes: 4 * 24 * 60 });
      const afterAWeek = (await textsTo(from)).slice(before);
      const anew = await say(from, '9:00');

      // Assess
      expect(afterADay).toEqual([expect.stringMatching(/^Hi again! Your setup is waiting/)]);
      expect(afterThreeDays).toEqual(afterADay);
      expect(afterAWeek).toEqual([...afterADay, expect.stringMatching(/set your unfinished setup aside/)]);
      expect(anew).toEqual([expect.stringMatching(/What is your first name\?/)]);
    });
  });
});

describe('self-serve limits and the operator switch (issue 20)', () => {
  let stack: Stack;
  let off: Stack;
  beforeAll(async () => {
    // 10:00 in New York on a Monday early in the month: four days of invitations stay in November.
    stack = await startTestStack('2026-11-02T15:00:00Z');
    off = await startTestStack('2026-11-02T15:00:00Z', { selfServe: false });
  });
  afterAll(async () => {
    await stack?.close();
    await off?.close();
  });

  const say = async (on: Stack, from: string, body: string) => {
    const before = (await on.outbox()).sms.length;
    await on.text(from, body);
    return (await on.outbox()).sms
      .slice(before)
      .filter((text) => text.to === from)
      .map((text) => text.body);
  };
  /** A setup up to its preview, with these partners. */
  const preview = async (from: string, partners: string[]) => {
    for (const text of ['Hi', 'Ada', 'walk daily', '9:15', 'Boston', 'yes', 'skip'])
      await say(stack, from, text);
    for (const [index, partner] of partners.entries())
      await say(stack, from, `${PARTNER_NAMES[index]} ${partner}`);
    await say(stack, from, 'DONE');
  };

  it('sends at most 3 invitations a day and 10 a month per person, keeping the setup meanwhile', async () => {
    // Prepare
    const ada = us(100);
    let next = 0;
    const fresh = (count: number) => Array.from({ length: count }, () => uk(200 + next++));

    // Act
    await preview(ada, fresh(4));
    const fourInADay = await say(stack, ada, 'SEND');
    await say(stack, ada, 'cancel setup');
    const sentByDay: string[][] = [];
    for (let day = 0; day < 3; day += 1) {
      await preview(ada, fresh(3));
      sentByDay.push(await say(stack, ada, 'SEND'));
      await say(stack, ada, 'cancel setup');
      await stack.advance({ minutes: 24 * 60 });
    }
    await preview(ada, fresh(2));
    const pastTheMonth = await say(stack, ada, 'SEND');

    // Assess
    expect(fourInADay).toEqual([expect.stringMatching(/^That's the most invitations we send in one day/)]);
    expect(sentByDay).toEqual([
      [expect.stringMatching(/^Invitation sent to Mia, Sam and Cy!/)],
      [expect.stringMatching(/^Invitation sent to Mia, Sam and Cy!/)],
      [expect.stringMatching(/^Invitation sent to Mia, Sam and Cy!/)],
    ]);
    expect(pastTheMonth).toEqual([expect.stringMatching(/^That's the most invitations we send in a month/)]);
  });

  it('a member texting NEW starts a setup, whose questions then take their YES and GRACE', async () => {
    // Prepare
    const enrolled = await stack.enroll({
      members: [
        { name: 'Bo', phone: us(110), timezone: 'America/New_York', checkInTime: '08:30', goal: 'read' },
        { name: 'Cy', phone: us(111), timezone: 'America/New_York', checkInTime: '08:30', goal: 'run' },
      ],
    });
    expect(enrolled.status).toBe(201);
    await say(stack, us(110), 'YES');

    // Act
    const started = await say(stack, us(110), 'NEW');
    const yes = await say(stack, us(110), 'YES');
    const grace = await say(stack, us(110), 'GRACE');

    // Assess
    expect(started).toEqual([expect.stringMatching(/What is your first name\?/)]);
    expect(yes).toEqual([expect.stringMatching(/didn't catch a name/)]);
    expect(grace).toEqual([expect.stringMatching(/^Lovely to meet you, GRACE!/)]);
  });

  it('holds an invitation through the invitee’s quiet hours, and sends it when they end', async () => {
    // Prepare: 21:30 in India (one zone), 11:00 in New York
    await stack.advance({ to: '2026-11-05T16:00:00Z' });
    const ada = us(130);
    const priya = '+919876543210';
    await preview(ada, [priya]);

    // Act
    const sent = await say(stack, ada, 'SEND');
    const atNight = (await stack.outbox()).sms.filter((text) => text.to === priya);
    await stack.advance({ to: '2026-11-06T02:00:00Z' });
    const inTheMorning = (await stack.outbox()).sms.filter((text) => text.to === priya);

    // Assess
    expect(sent).toEqual([expect.stringMatching(/^Invitation sent to Mia!/)]);
    expect(atNight).toEqual([]);
    expect(inTheMorning.map(({ body, at }) => ({ body, at }))).toEqual([
      { body: expect.stringMatching(/^Ada invites you/), at: '2026-11-06T01:30:00.000Z' },
    ]);
  });

  it('with self-serve off, a stranger gets one polite line and nothing else', async () => {
    // Prepare
    const stranger = us(120);

    // Act
    const first = await say(off, stranger, 'Hi');
    const second = await say(off, stranger, 'Ada');
    await off.advance({ minutes: 8 * 24 * 60 });

    // Assess
    const line =
      'Hi! Soft Partner trials are set up by an organiser for now. Please ask yours to add you. Take care!';
    expect(first).toEqual([line]);
    expect(second).toEqual([line]);
    expect((await off.outbox()).sms.filter((text) => text.to === stranger)).toHaveLength(2);
  });
});
