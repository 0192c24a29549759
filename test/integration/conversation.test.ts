import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA as BASE_ADA, BEN as BASE_BEN } from '../support/members.js';

const ADA = { ...BASE_ADA, deadline: '2026-10-20' };
const BEN = { ...BASE_BEN, deadline: '2026-10-25' };

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** Texts sent to a phone since the outbox had `since` messages. */
async function textsTo(stack: Stack, phone: string, since = 0) {
  const { sms } = await stack.outbox();
  return sms.slice(since).filter((message) => message.to === phone);
}

describe('the conversation over SMS', () => {
  let stack: Stack;
  let id = '';
  let mark = 0;

  beforeEach(async () => {
    // Prepare: a pair that has joined; Ada got her first check-in (12:30Z); it is 09:00 in New York
    // and 14:00 in London, outside everyone's quiet hours.
    stack = await startTestStack('2026-10-05T12:00:00Z');
    const created = (await (await stack.enroll({ members: [ADA, BEN], organiser: 'Text Sam' })).json()) as {
      id: string;
    };
    id = created.id;
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
    await stack.advance({ to: '2026-10-06T13:00:00Z' });
    mark = (await stack.outbox()).sms.length;
  });
  afterEach(async () => {
    await stack.close();
  });

  it('forwards a need to the partner at once, and tells the asker when the partner is on it', async () => {
    const asked = await stack.text(ADA.phone, 'Need 20 min of feedback on the draft please');
    expect(asked.body).toMatch(/passed that on to Ben/);
    const forwarded = await textsTo(stack, BEN.phone, mark);
    expect(forwarded.map((message) => message.body)).toEqual([
      'Ada could use a hand: "20 min of feedback on the draft". Reply ON IT if you can help.',
    ]);
    const onIt = await stack.text(BEN.phone, 'on it!');
    expect(onIt.body).toMatch(/Ada will hear that you're on it/);
    const toAda = (await textsTo(stack, ADA.phone, mark)).map((message) => message.body);
    expect(toAda).toContain("Ben's on it. Help is on the way, Ada.");
  });

  it('answers several intents in one composed text: on track and an explicit need', async () => {
    const reply = await stack.text(ADA.phone, 'yes! NEED help with the intro');
    const messages = [...reply.body.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) => match[1]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^Noted for today, Ada\. .*passed that on to Ben\.$/);
    expect((await textsTo(stack, BEN.phone, mark))[0]?.body).toMatch(/help with the intro/);
  });

  it('applies every intent in one text: on track at once, an inferred need once Ada says SEND', async () => {
    const reply = await stack.text(ADA.phone, 'yes but could use help with the intro');
    const messages = [...reply.body.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) => match[1]);
    // Short answers travel as one text; the question comes last, where the member's eye lands.
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/\sPass this on to Ben: "help with the intro"\? Reply SEND or NO\.$/);
    const view = await stack.partnership(id);
    expect(view.members[0]?.checkIns[0]?.status).toBe('on_track');
    expect(await textsTo(stack, BEN.phone, mark)).toEqual([]);

    const sent = await stack.text(ADA.phone, 'SEND');
    expect(sent.body).toMatch(/passed that on to Ben/);
    expect((await textsTo(stack, BEN.phone, mark))[0]?.body).toMatch(/help with the intro/);
  });

  it('moves a deadline when the partner says OK', async () => {
    const proposed = await stack.text(ADA.phone, 'push 2 days');
    expect(proposed.body).toMatch(/asked Ben to agree to Thu 22 Oct/);
    expect((await textsTo(stack, BEN.phone, mark))[0]?.body).toMatch(
      /Ada would like to move their deadline to Thu 22 Oct/,
    );
    const agreed = await stack.text(BEN.phone, 'OK');
    expect(agreed.body).toMatch(/New deadline agreed: Thu 22 Oct/);
    expect((await textsTo(stack, ADA.phone, mark)).map((message) => message.body)).toContain(
      'New deadline agreed: Thu 22 Oct. Nice teamwork, Ada.',
    );
    expect((await stack.partnership(id)).members[0]).toMatchObject({ deadline: '2026-10-22' });
  });

  it('lets the partner counter-propose; unanswered for 24 hours, both are asked once and the deadline stays', async () => {
    await stack.text(ADA.phone, 'move to friday');
    const countered = await stack.text(BEN.phone, 'next mon');
    expect(countered.body).toMatch(/asked Ada to agree to Mon 12 Oct/);
    await stack.advance({ minutes: 60 });
    const toAda = (await textsTo(stack, ADA.phone, mark)).map((message) => message.body);
    expect(toAda).toContain(
      'Ben suggests Mon 12 Oct instead. Reply OK to agree, or reply with another date.',
    );
    await stack.advance({ minutes: 25 * 60 });
    // No silent standing: the old deadline remains until someone agrees.
    expect((await stack.partnership(id)).members[0]).toMatchObject({ deadline: '2026-10-20' });
    const bodies = (await stack.outbox()).sms.slice(mark);
    const asked = bodies.filter((message) => /would still like Mon 12 Oct/.test(message.body));
    const waiting = bodies.filter((message) => /^No word yet on Mon 12 Oct/.test(message.body));
    expect(asked.map((message) => message.to)).toEqual([ADA.phone]);
    expect(waiting.map((message) => message.to)).toEqual([BEN.phone]);
    await stack.advance({ minutes: 48 * 60 });
    const again = (await stack.outbox()).sms.filter((message) => /still like|No word yet/.test(message.body));
    expect(again).toHaveLength(2);
    // Ada agrees later: only then does the deadline move.
    expect((await stack.text(ADA.phone, 'OK')).body).toMatch(/New deadline agreed: Mon 12 Oct/);
    expect((await stack.partnership(id)).members[0]).toMatchObject({ deadline: '2026-10-12' });
  });

  it('pauses check-ins for the days asked, then welcomes the member back on its own', async () => {
    const paused = await stack.text(BEN.phone, 'PAUSE 2');
    expect(paused.body).toMatch(/No check-ins for 2 days/);
    expect((await stack.partnership(id)).members[1]?.status).toBe('paused');
    await stack.advance({ to: '2026-10-08T17:59:00Z' });
    expect(
      (await textsTo(stack, BEN.phone, mark)).filter((message) => /on track/i.test(message.body)),
    ).toEqual([]);
    await stack.advance({ to: '2026-10-08T18:01:00Z' });
    const bodies = (await textsTo(stack, BEN.phone, mark)).map((message) => message.body);
    expect(bodies.some((body) => /^Welcome back, Ben!/.test(body))).toBe(true);
    expect(bodies.some((body) => /^Day 3, Ben! Still on track\?/.test(body))).toBe(true);
    expect((await stack.partnership(id)).members[1]?.status).toBe('active');
  });

  it('ends a pause early with RESUME', async () => {
    await stack.text(BEN.phone, 'pause for 5 days');
    const resumed = await stack.text(BEN.phone, 'RESUME');
    expect(resumed.body).toMatch(/Welcome back, Ben! Your check-ins carry on from Tue 6 Oct 19:00/);
    expect((await stack.partnership(id)).members[1]?.status).toBe('active');
  });

  it('records a mood against the open check-in', async () => {
    const reply = await stack.text(ADA.phone, '4');
    expect(reply.body).toMatch(/Noted 4\/5/);
    expect((await stack.partnership(id)).members[0]?.checkIns[0]).toMatchObject({ mood: 4 });
  });

  it('answers STATUS with tokens left, the day of the trial and the next check-in', async () => {
    await stack.text(ADA.phone, 'grace');
    const reply = await stack.text(ADA.phone, 'status');
    expect(reply.body).toMatch(
      /Ada: 1 grace left this month, day 1 of 14\. Next check-in: Wed 7 Oct 08:30\./,
    );
  });

  it('answers HELP with what can be replied and how to reach the organiser', async () => {
    const reply = await stack.text(ADA.phone, 'HELP');
    expect(reply.body).toMatch(/Reply YES, GRACE/);
    expect(reply.body).toMatch(/Text Sam/);
  });

  it('opts out on a free-text request, tells the partner kindly, sends nothing more until START', async () => {
    const stopped = await stack.text(BEN.phone, 'please stop texting me');
    expect(stopped.body).toMatch(/no more texts/);
    expect((await textsTo(stack, ADA.phone, mark)).map((message) => message.body)).toContain(
      'Ben has stepped away from texts for now. Your check-ins carry on as usual.',
    );
    const before = (await stack.outbox()).sms.length;
    await stack.advance({ minutes: 2 * 24 * 60 });
    expect(await textsTo(stack, BEN.phone, before)).toEqual([]);
    expect((await stack.text(BEN.phone, 'yes')).body).not.toContain('<Message>');
    const back = await stack.text(BEN.phone, 'START');
    expect(back.body).toMatch(/Welcome back, Ben!/);
    await stack.advance({ minutes: 24 * 60 });
    expect(
      (await textsTo(stack, BEN.phone, before)).some((message) => /Still on track/.test(message.body)),
    ).toBe(true);
  });

  it('asks kindly for something it understands when a reply is unclear', async () => {
    const reply = await stack.text(ADA.phone, 'purple monkey dishwasher');
    expect(reply.body).toMatch(/didn't quite get that/);
    expect(reply.body).toMatch(/Reply YES, GRACE/);
  });

  it('offers grace or support, never scolding, when today is not going well', async () => {
    const reply = await stack.text(ADA.phone, 'not today');
    expect(reply.body).toMatch(/No worries, Ada/);
    expect(reply.body).toMatch(/GRACE/);
  });

  it('spends exactly the two tokens left when 20 grace replies arrive at once', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => stack.text(ADA.phone, 'grace')));
    expect(replies.filter((reply) => /Grace taken/.test(reply.body))).toHaveLength(2);
    expect(replies.filter((reply) => /used up this month/.test(reply.body))).toHaveLength(18);
    expect((await stack.partnership(id)).members[0]?.graceTokensLeft).toBe(0);
  });

  it('gathers partner news and delivers it once, inside the partner’s next check-in', async () => {
    await stack.text(ADA.phone, 'yes');
    expect(await textsTo(stack, BEN.phone, mark)).toEqual([]);
    await stack.advance({ to: '2026-10-06T18:00:00Z' });
    const bodies = (await textsTo(stack, BEN.phone, mark)).map((message) => message.body);
    // Day 1 is a plan day: the charter link is its one extra text.
    expect(bodies).toEqual([
      'Day 1 of 14, Ben: "run 3 km". Reply YES when on track, GRACE for a no-guilt pass.\nAda checked in.',
      expect.stringMatching(/^Your one-page charter, Ben: http:\/\/127\.0\.0\.1:\d+\/charter\//),
    ]);
  });

  it('tells the member who joined first that everyone is in, inside their Day-1 check-in', async () => {
    const day1 = (await stack.outbox()).sms.filter(
      (message) => message.to === ADA.phone && message.body.startsWith('Day 1 of 14'),
    );
    expect(day1.map((message) => message.body)).toEqual([
      'Day 1 of 14, Ada: "write 300 words". Reply YES when on track, GRACE for a no-guilt pass.\nEveryone is in: your 14 days start today.',
    ]);
  });

  it('holds a forwarded need until the partner’s quiet hours end', async () => {
    // 22:30 in London, 17:30 in New York.
    await stack.advance({ to: '2026-10-06T21:30:00Z' });
    const before = (await stack.outbox()).sms.length;
    await stack.text(ADA.phone, 'Need a pep talk tomorrow');
    expect(await textsTo(stack, BEN.phone, before)).toEqual([]);
    await stack.advance({ to: '2026-10-07T07:00:00Z' });
    const forwarded = (await textsTo(stack, BEN.phone, before)).filter((message) =>
      /could use a hand/.test(message.body),
    );
    // 07:00 in London (BST) is 06:00Z.
    expect(forwarded.map((message) => message.at)).toEqual(['2026-10-07T06:00:00.000Z']);
  });

  it('sends no text of its own for a win: it waits for the partner’s next check-in', async () => {
    const before = (await stack.outbox()).sms.length;
    await stack.text(ADA.phone, 'WIN finished the outline');
    await stack.text(ADA.phone, 'WIN wrote the intro too');
    await stack.advance({ minutes: 120 });
    const shared = (await textsTo(stack, BEN.phone, before)).filter((message) =>
      /outline|intro/.test(message.body),
    );
    expect(shared).toEqual([]);
  });

  it('joins a second partnership with JOIN, asks which open check-in an answer is for, and opts a shared number out of every partnership', async () => {
    const cy = {
      name: 'Cy',
      phone: '+13125550199',
      timezone: 'America/Chicago',
      checkInTime: '09:00',
      goal: 'stretch',
    };
    const second = (await (
      await stack.enroll({ members: [{ ...ADA, checkInTime: '10:00', goal: 'sketch daily' }, cy] })
    ).json()) as { id: string };
    // Ada is already in a partnership: an invitation never takes her YES; JOIN joins it (issue 18).
    await stack.text(ADA.phone, 'JOIN');
    await stack.text(cy.phone, 'yes');
    // Next morning: the first partnership prompts at 08:30 New York, the second at 10:00; both are open,
    // so a bare answer asks which one, and "2 grace" answers the second.
    await stack.advance({ to: '2026-10-07T14:30:00Z' });
    expect((await stack.text(ADA.phone, 'grace')).body).toMatch(/Which one, Ada\?/);
    expect((await stack.partnership(second.id)).members[0]?.graceTokensLeft).toBe(2);
    await stack.text(ADA.phone, '2 grace');
    expect((await stack.partnership(second.id)).members[0]?.graceTokensLeft).toBe(1);
    expect((await stack.partnership(id)).members[0]?.graceTokensLeft).toBe(2);
    await stack.text(ADA.phone, 'STOP');
    expect((await stack.partnership(second.id)).members[0]?.status).toBe('opted_out');
    expect((await stack.partnership(id)).members[0]?.status).toBe('opted_out');
  });

  it('lets a member choose their own quiet hours, and holds partner texts until they end', async () => {
    expect((await stack.text(BEN.phone, 'QUIET 20:00-08:00')).body).toMatch(/quiet hours now 20:00 to 08:00/);
    expect((await stack.text(BEN.phone, 'quiet 18:00-09:00')).body).toMatch(
      /check-in time 19:00 would fall in those/,
    );
    // 20:30 in London.
    await stack.advance({ to: '2026-10-06T19:30:00Z' });
    const before = (await stack.outbox()).sms.length;
    await stack.text(ADA.phone, 'need a pep talk');
    await stack.advance({ to: '2026-10-07T08:00:00Z' });
    const forwarded = (await textsTo(stack, BEN.phone, before)).filter((message) =>
      /could use a hand/.test(message.body),
    );
    // 08:00 in London (BST) is 07:00Z.
    expect(forwarded.map((message) => message.at)).toEqual(['2026-10-07T07:00:00.000Z']);
  });
});
