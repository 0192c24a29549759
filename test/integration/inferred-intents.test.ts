/**
 * Issue 16 over the real store (DynamoDB Local): what a member merely seems to mean never
 * reaches a partner or changes the plan until they answer SEND; what they say explicitly acts at once.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.js';
import { parseReply } from '#shared/domain/conversation/grammar.js';
import type { Member } from '#shared/domain/partnership.js';
import type { ScheduledStep, SchedulerPort, StorePort } from '#shared/domain/ports.js';
import { needsConfirmation } from '#shared/use-cases/confirmations.js';
import { handleInboundSms } from '#shared/use-cases/handle-inbound-sms.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import { pairAwaitingReply } from '../support/reply-scenario.js';
import { casualTexts } from '../unit/conversation/casual-texts.js';

type Servers = TestServers;

/** A scheduler that only remembers what it was asked to schedule. */
function recordingScheduler() {
  const steps: ScheduledStep[] = [];
  const scheduler: SchedulerPort = {
    async schedule(step) {
      // Setup steps (self-serve) never come from a member's reply.
      if ('partnershipId' in step) steps.push(step);
    },
    async cancel() {},
  };
  return { steps, scheduler };
}

/** Steps that reach Ben or change Ada's plan: a forwarded text, a pause's end, a proposal's deadline. */
const reaching = (steps: readonly ScheduledStep[], ada: Member) =>
  steps.filter(
    (step) =>
      (step.kind === 'notify' && step.memberId !== ada.id) ||
      step.kind === 'resume' ||
      step.kind === 'proposal_stands',
  );

/** The steps that reach Ben, then the partner news of Ada's words waiting for his next check-in. */
async function reachingAll(
  store: StorePort,
  steps: readonly ScheduledStep[],
  ada: Member,
): Promise<string[]> {
  const found = await store.getPartnership(ada.partnershipId);
  const partners = (found?.members ?? []).filter((member) => member.id !== ada.id);
  const news = (
    await Promise.all(partners.map((partner) => store.pendingNews(ada.partnershipId, partner.id)))
  )
    .flat()
    .filter((item) => item.kind === 'win' || item.kind === 'offer')
    .map((item) => `news:${item.kind}`);
  return [...reaching(steps, ada).map((step) => step.kind), ...news];
}

const CONFIRMATION = /Reply SEND or NO\.|How many days would help\?|Would a rest help/;
const CLARIFY = /I didn't quite get that/;

describe('inferred intents are confirmed before they reach anyone', () => {
  let servers: Servers;
  let clock: VirtualClock;
  let index = 0;
  let sid = 0;

  beforeAll(async () => {
    // 10:00 in New York on 25 Nov 2026: Ada's check-in went out at 08:30; it is 15:00 for nobody's quiet hours.
    clock = new VirtualClock(new Date('2026-11-25T15:00:00Z'));
    servers = await startTestServers({ name: 'inferred', clock, twilioAuthToken: 'token' });
  });
  afterAll(async () => {
    await servers?.close();
  });

  /** A fresh pair whose Ada was sent today's check-in, and a way for her to text. */
  async function freshPair() {
    index += 1;
    const ada = await pairAwaitingReply(servers, 7000 + index);
    const { steps, scheduler } = recordingScheduler();
    const deps = { store: servers.store, scheduler, clock };
    const text = async (body: string) => {
      sid += 1;
      const outcome = await handleInboundSms(deps, {
        messageSid: `SMinferred${String(sid).padStart(24, '0')}`,
        from: ada.phone,
        to: '+15005550006',
        body,
        raw: {},
      });
      return outcome.replies.join('\n');
    };
    return { ada, steps, text };
  }

  it('sends none of the casual texts to the partner, and answers each as the table says', async () => {
    const figures = { nothing: 0, member: 0, confirm: 0 };
    for (const [body, expected] of casualTexts) {
      const { ada, steps, text } = await freshPair();
      const reply = await text(body);
      expect(await reachingAll(servers.store, steps, ada), body).toEqual([]);
      const seen = CONFIRMATION.test(reply) ? 'confirm' : CLARIFY.test(reply) ? 'nothing' : 'member';
      expect(seen, `${body} → ${reply}`).toBe(expected);
      figures[seen] += 1;
    }
    console.log(
      `casual texts over the local stack: ${casualTexts.length}; messages to a partner 0; ` +
        `clarifications ${figures.nothing}; answers for the member alone ${figures.member}; ` +
        `confirmation questions ${figures.confirm}`,
    );
  }, 240_000);

  it('forwards an inferred need once the member answers SEND, and nothing on NO', async () => {
    const first = await freshPair();
    const asked = await first.text('Sir, I need the bank details for the form');
    expect(asked).toBe('Pass this on to Ben: "the bank details for the form"? Reply SEND or NO.');
    expect(await reachingAll(servers.store, first.steps, first.ada)).toEqual([]);
    expect(await first.text('SEND')).toMatch(/passed that on to Ben/);
    expect(reaching(first.steps, first.ada).map((step) => step.kind === 'notify' && step.template)).toEqual([
      'needForward',
    ]);
    // A second SEND finds nothing open: the need is passed on once.
    expect(await first.text('send')).toMatch(/Nothing is waiting to be sent/);
    expect(reaching(first.steps, first.ada)).toHaveLength(1);

    const second = await freshPair();
    await second.text('finished the chapter!');
    expect(await second.text('NO')).toMatch(/nothing sent, nothing changed/);
    expect(await second.text('SEND')).toMatch(/Nothing is waiting to be sent/);
    expect(await reachingAll(servers.store, second.steps, second.ada)).toEqual([]);
  });

  it('lets an unanswered confirmation lapse quietly at the next check-in', async () => {
    const { ada, steps, text } = await freshPair();
    expect(await text('I could use a pep talk')).toMatch(/Reply SEND or NO/);
    clock.set(new Date('2026-11-26T14:00:00Z'));
    expect(await text('SEND')).toMatch(/Nothing is waiting to be sent/);
    expect(await reachingAll(servers.store, steps, ada)).toEqual([]);
    clock.set(new Date('2026-11-25T15:00:00Z'));
  });

  it('asks how many days for a break without a number, and pauses for the number given', async () => {
    const { ada, steps, text } = await freshPair();
    expect(await text('I think I need a break for a while')).toBe(
      'A rest sounds wise, Ada. How many days would help? Reply a number up to 7, or PAUSE 3.',
    );
    expect(await reachingAll(servers.store, steps, ada)).toEqual([]);
    const paused = await text('3');
    expect(paused).toMatch(/No check-ins for 3 days/);
    expect(paused).not.toMatch(/\b1 days\b/);
    expect(steps.filter((step) => step.kind === 'resume')).toHaveLength(1);
  });

  it('says "a day off", never "1 days", for PAUSE 1', async () => {
    const { text } = await freshPair();
    const reply = await text('PAUSE 1');
    expect(reply).toMatch(/A day off check-ins/);
    expect(reply).not.toMatch(/\b1 days\b/);
  });

  it('acts at once on explicit intents, as before', async () => {
    const { ada, steps, text } = await freshPair();
    expect(await text('NEED 20 min of feedback on the draft')).toMatch(/passed that on to Ben/);
    expect(await text('WIN sent the draft')).toMatch(/Ben/);
    expect(await text('move my deadline to friday')).toMatch(/asked Ben to agree/);
    // The need goes at once; the win rides in Ben's next check-in; the proposal asks Ben now.
    expect(await reachingAll(servers.store, steps, ada)).toEqual([
      'notify',
      'proposal_stands',
      'notify',
      'news:win',
    ]);
  });

  it.each([
    ['yes', /Another 14 days together/],
    ['sure', /Another 14 days together/],
    ['same again please', /Another 14 days together/],
    ['no', /Pausing is a fine choice/],
    ['stop for now', /Pausing is a fine choice/],
    ['change the time to 7:45', /Happy to adjust/],
  ])('reads %j at the review as a choice, and says which one', async (body, answer) => {
    const { ada, text } = await freshPair();
    // The review's own check-in (Day 14 of a trial that started on 20 Nov) is the one awaiting a reply.
    await servers.store.recordCheckInSent({
      partnershipId: ada.partnershipId,
      memberId: ada.id,
      localDate: '2026-12-04',
      status: 'sent',
      sentAt: '2026-11-25T14:00:00.000Z',
    });
    await servers.store.updateMember(ada.partnershipId, ada.id, { pendingDecision: true });
    expect(await text(body)).toMatch(answer);
    const found = await servers.store.getPartnership(ada.partnershipId);
    const after = found?.members.find((member) => member.id === ada.id);
    expect(after?.pendingDecision).toBe(false);
    // Asked once: a later yes is a plain check-in answer again.
    expect(await text('yes')).not.toMatch(/Another 14 days/);
  });

  it('property: over random texts, nothing inferred reaches the partner unless the member answered SEND', async () => {
    const fragments = [
      'need',
      'I need',
      'could use',
      'can you',
      'would you like to',
      'finished',
      'shipped',
      'nailed it',
      '🎉',
      'wtf',
      'a break',
      'take a break',
      'for a while',
      'dec 3',
      'next friday',
      '2 more days',
      'march 3',
      'ok',
      'no prob',
      'sure',
      'lol',
      'u',
      'gonna',
      'lor',
      'the',
      'draft',
      'tomorrow',
      'at 6',
      '4',
      '2,000 words',
      '?',
      ',',
      '.',
    ];
    const randomText = fc
      .array(fc.oneof(fc.constantFrom(...fragments), fc.stringMatching(/^[a-z]{1,8}$/)), {
        minLength: 1,
        maxLength: 9,
      })
      .map((words) => words.join(' '));
    await fc.assert(
      fc.asyncProperty(randomText, fc.boolean(), async (body, answer) => {
        const { ada, steps, text } = await freshPair();
        const reply = await text(body);
        const { intents, evidence } = parseReply(body);
        const explicit = intents.some(
          (intent, at) => evidence[at] === 'explicit' && needsConfirmation(intent) && intent.kind !== 'pause',
        );
        const explicitPause = intents.some(
          (intent, at) => evidence[at] === 'explicit' && intent.kind === 'pause',
        );
        if (!explicit && !explicitPause)
          expect(await reachingAll(servers.store, steps, ada), body).toEqual([]);
        if (answer && /Reply SEND or NO/.test(reply)) {
          const before = (await reachingAll(servers.store, steps, ada)).length;
          await text('SEND');
          // Answered: now (and only now) it may reach the partner, and it does.
          expect((await reachingAll(servers.store, steps, ada)).length, body).toBeGreaterThan(before);
        } else if (!explicit && !explicitPause) {
          await text('hmm');
          expect(await reachingAll(servers.store, steps, ada), body).toEqual([]);
        }
      }),
      { numRuns: 60, seed: 16 },
    );
  }, 240_000);
});
