import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '#functions/dispatch.js';
import { createTwilioWebhooksHandler, SMS_STATUS_PATH } from '#functions/inbound-sms.js';
import { VirtualClock } from '#local/virtual-clock.js';
import type { Member } from '#shared/domain/partnership.js';
import type { HttpEvent } from '#shared/runtime/http.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers } from '../support/embedded-servers.js';
import { replyEmail, startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';
import { figure } from './figures.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** A fresh pair with its own numbers, joined on 24 Nov; Ada's check-in is 08:30 New York (13:30 UTC). */
async function joinedPair(stack: Stack, n: number, email?: string) {
  const ada = {
    ...ADA,
    phone: `+1212555${String(2000 + n * 2).padStart(4, '0')}`,
    ...(email ? { email, checkInBy: 'email' } : {}),
  };
  const ben = {
    ...BEN,
    phone: `+1212555${String(2001 + n * 2).padStart(4, '0')}`,
    timezone: 'America/New_York',
  };
  const response = await stack.enroll({ members: [ada, ben] });
  const id = ((await response.json()) as { id: string }).id;
  await stack.text(ada.phone, 'yes');
  await stack.text(ben.phone, 'yes');
  return { id, ada, ben };
}

const texts = async (stack: Stack, phone: string) =>
  (await stack.outbox()).sms.filter((sms) => sms.to === phone);

describe('duplicates and races', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('applies the same MessageSid delivered 10 times at once exactly once, with one reply', async () => {
    // Prepare
    const { id, ada } = await joinedPair(stack, 1);
    await stack.advance({ to: '2026-11-25T14:00:00Z' });
    const before = (await texts(stack, ada.phone)).length;

    // Act
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        stack.text(ada.phone, 'grace', { messageSid: 'SMdup00000000000000000000000000001' }),
      ),
    );

    // Assess
    const replies = (await texts(stack, ada.phone))
      .slice(before)
      .filter((sms) => sms.direction === 'outbound-reply');
    const left = (await stack.partnership(id)).members[0]?.graceTokensLeft;
    figure(
      'Duplicates',
      'same MessageSid 10× at once: state changes / replies',
      `${2 - (left ?? 2)} / ${replies.length}`,
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(left).toBe(1);
    expect(replies).toHaveLength(1);
  });

  it('applies the same SES message delivered twice at once exactly once', async () => {
    // Prepare
    const email = 'ada.duplicates@example.com';
    const { id, ada } = await joinedPair(stack, 2, email);
    await stack.advance({ to: '2026-11-26T14:00:00Z' });
    const latest = (await stack.outbox()).email.filter((each) => each.to === email).at(-1);
    const raw = replyEmail({ from: email, to: latest?.replyTo ?? '', text: 'grace' });

    // Act
    const outcomes = await Promise.all([
      stack.emailIn(raw, { messageId: 'sesduplicate0001' }),
      stack.emailIn(raw, { messageId: 'sesduplicate0001' }),
    ]);

    // Assess
    const applied = outcomes.filter((outcome) => outcome.body.outcome.result === 'applied').length;
    const left = (await stack.partnership(id)).members[0]?.graceTokensLeft;
    figure('Duplicates', 'same SES message id twice: applied', applied);
    expect(applied).toBe(1);
    expect(outcomes.map((outcome) => outcome.body.outcome.result).sort()).toEqual(['applied', 'duplicate']);
    expect(left).toBe(1);
    expect(ada.phone).toBeTruthy();
  });

  it('sends one text when the same schedule and scheduled time arrive 5 times at once', async () => {
    // Prepare: real adapters over their own local servers; one check-in step, delivered by hand.
    const clock = new VirtualClock(new Date('2026-11-25T13:30:00Z'));
    const servers = await startTestServers({ name: 'dup', clock, twilioAuthToken: 'token' });
    const member: Member = {
      ...ADA,
      id: 'm1',
      partnershipId: 'pdup00000001',
      status: 'active',
      cadence: 'daily',
      checkInBy: 'sms',
    };
    await servers.store.createPartnership(
      {
        id: member.partnershipId,
        createdAt: '2026-11-20T14:00:00.000Z',
        startedAt: '2026-11-20T14:00:00.000Z',
        graceTokensPerMonth: 2,
        channels: ['sms'],
      },
      [member, { ...member, id: 'm2', name: 'Ben', phone: BEN.phone }],
    );
    const dispatch = createDispatchHandler(async () => ({ ...servers, clock }));

    // Act
    // Deliveries that find the claim held are refused, so the queue redelivers them later, when they find
    // the step done; none of them sends.
    const settled = await Promise.allSettled(
      Array.from({ length: 5 }, () => dispatch(checkInStep(member, '2026-11-25'))),
    );
    const outcomes = settled.flatMap((each) => (each.status === 'fulfilled' ? [each.value] : []));
    const refused = settled
      .filter((each) => each.status === 'rejected')
      .map((each) => (each.reason as Error).name);
    const redelivered = await dispatch(checkInStep(member, '2026-11-25'));
    const sent = servers.twilioApi.messages.filter((sms) => sms.to === ADA.phone).length;
    await servers.close();

    // Assess
    figure('Duplicates', 'same schedule + scheduled time 5× at once: texts sent', sent);
    expect(sent).toBe(1);
    expect(outcomes.filter((outcome) => outcome.outcome === 'sent')).toHaveLength(1);
    expect(refused.every((name) => name === 'ClaimInProgressError')).toBe(true);
    expect(redelivered.outcome).toBe('duplicate');
  });

  it('records a Twilio status callback delivered twice at once exactly once', async () => {
    // Prepare: the webhook handler over real adapters, and a signed delivery report.
    const clock = new VirtualClock(new Date('2026-11-25T13:31:00Z'));
    const servers = await startTestServers({ name: 'status', clock, twilioAuthToken: 'token' });
    const publicBaseUrl = 'https://sms.example.org';
    const handler = createTwilioWebhooksHandler(async () => ({
      ...servers,
      clock,
      authToken: 'token',
      publicBaseUrl,
    }));
    const form = {
      MessageSid: 'SMstatus000000000000000000000001',
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    };
    const event = {
      version: '2.0',
      rawPath: SMS_STATUS_PATH,
      headers: {
        'x-twilio-signature': getExpectedTwilioSignature('token', `${publicBaseUrl}${SMS_STATUS_PATH}`, form),
      },
      requestContext: { http: { method: 'POST', path: SMS_STATUS_PATH } },
      body: new URLSearchParams(form).toString(),
      isBase64Encoded: false,
    } as unknown as HttpEvent;

    // Act
    const answers = await Promise.all([handler(event), handler(event)]);
    const reports = await servers.store.deliveryReports(form.MessageSid);
    await servers.close();

    // Assess
    figure('Duplicates', 'same Twilio status callback twice at once: recorded', reports.length);
    expect(answers.map((answer) => answer.statusCode)).toEqual([204, 204]);
    expect(reports).toEqual([
      {
        messageSid: form.MessageSid,
        status: 'undelivered',
        errorCode: '30003',
        at: '2026-11-25T13:31:00.000Z',
      },
    ]);
  });

  it('spends exactly 2 grace tokens when 20 different GRACE texts arrive at once', async () => {
    // Prepare
    const { id, ada } = await joinedPair(stack, 4);

    // Act
    await Promise.all(Array.from({ length: 20 }, () => stack.text(ada.phone, 'grace')));

    // Assess
    const left = (await stack.partnership(id)).members[0]?.graceTokensLeft;
    figure('Races', '20 concurrent GRACE with 2 tokens: tokens spent', 2 - (left ?? 0));
    expect(left).toBe(0);
  });

  it('sends no check-in after a STOP that races the scheduled check-in is recorded', async () => {
    // Prepare: ten pairs whose check-in (13:30 UTC) falls due while their STOP is being handled.
    const pairs = [];
    for (let n = 10; n < 20; n++) pairs.push(await joinedPair(stack, n));
    const start = new Date(((await (await fetch(`${stack.url}/local/clock`)).json()) as { now: string }).now);
    const due = new Date(
      Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1, 13, 29),
    );
    await stack.advance({ to: due.toISOString() });

    // Act
    await Promise.all([
      ...pairs.map((pair) => stack.text(pair.ada.phone, 'STOP')),
      stack.advance({ minutes: 2 }),
    ]);
    await stack.advance({ minutes: 3 * 24 * 60 });

    // Assess: in send order, nothing unprompted reaches a member after their STOP confirmation.
    let after = 0;
    for (const pair of pairs) {
      const sent = await texts(stack, pair.ada.phone);
      const stop = sent.findIndex((sms) => sms.body.startsWith('You will get no more texts'));
      expect(stop).toBeGreaterThanOrEqual(0);
      after += sent.slice(stop + 1).filter((sms) => sms.direction === 'outbound-api').length;
    }
    figure('Races', 'texts after an opt-out was recorded (10 racing STOPs)', after);
    expect(after).toBe(0);
  });

  it('sends exactly one check-in on the day a TIME change races the old schedule', async () => {
    // Prepare: ten pairs; each changes 08:30 to 09:00 just as the 08:30 check-in falls due.
    const pairs = [];
    for (let n = 30; n < 40; n++) pairs.push(await joinedPair(stack, n));
    const start = new Date(((await (await fetch(`${stack.url}/local/clock`)).json()) as { now: string }).now);
    const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1));
    const localDate = day.toISOString().slice(0, 10);
    await stack.advance({ to: `${localDate}T13:29:00Z` });

    // Act
    await Promise.all([
      ...pairs.map((pair) => stack.text(pair.ada.phone, 'TIME 9:00')),
      stack.advance({ minutes: 2 }),
    ]);
    await stack.advance({ to: `${localDate}T23:00:00Z` });

    // Assess
    const perPair = [];
    for (const pair of pairs) {
      const view = await stack.partnership(pair.id);
      perPair.push(
        view.members[0]?.checkIns.filter((checkIn) => checkIn.localDate === localDate).length ?? 0,
      );
      const checkInTexts = (await texts(stack, pair.ada.phone)).filter(
        (sms) => sms.at.startsWith(localDate) && /^(Still on track|Day \d)/.test(sms.body),
      );
      perPair.push(checkInTexts.length);
    }
    figure(
      'Races',
      'check-ins on the day of a racing TIME change (10 pairs), each',
      [...new Set(perPair)].join(','),
    );
    expect(perPair.every((count) => count === 1)).toBe(true);
  });
});
