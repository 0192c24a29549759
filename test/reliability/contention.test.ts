import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '#functions/dispatch.js';
import { createInboundSmsHandler } from '#functions/inbound-sms.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import {
  inboundSmsEvent,
  pairAwaitingReply,
  SCENARIO_AUTH_TOKEN,
  SCENARIO_PUBLIC_BASE_URL,
} from '../support/reply-scenario.js';
import { figure } from './figures.js';

/*
 * Conditional writes under contention, against DynamoDB Local (the emulator AWS ships): many deliveries
 * of different messages or of the same step at once, through the real handlers, end with the invariants
 * kept (grace never below 0, one text a step).
 */
describe('contention on one member', () => {
  let servers: TestServers;
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));

  beforeAll(async () => {
    servers = await startTestServers({ name: 'contention', clock, twilioAuthToken: SCENARIO_AUTH_TOKEN });
  });
  afterAll(async () => {
    await servers?.close();
  });

  it('spends exactly 2 grace tokens when 20 different GRACE texts from one member arrive at once', async () => {
    // Prepare: Ada (2 tokens a month) was sent today's check-in.
    const ada = await pairAwaitingReply(servers, 1);
    const webhook = createInboundSmsHandler(async () => ({
      ...servers,
      clock,
      authToken: SCENARIO_AUTH_TOKEN,
      publicBaseUrl: SCENARIO_PUBLIC_BASE_URL,
    }));

    // Act
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        webhook(inboundSmsEvent(ada, 'grace', `SMgrace${String(n).padStart(27, '0')}`)),
      ),
    );

    // Assess
    const spent = await servers.store.graceSpent(ada.partnershipId, ada.id, '2026-11');
    const history = await servers.store.history(ada.partnershipId);
    const graceEvents = history.events.filter((event) => event.kind === 'grace' && event.memberId === ada.id);
    const today = history.checkIns.filter((checkIn) => checkIn.memberId === ada.id);
    const bodies = answers.map((answer) => String(answer.body));
    const spentAnswers = bodies.filter((body) => body.includes('Grace taken'));
    const noneLeftAnswers = bodies.filter((body) => body.includes('grace is used up'));
    figure('Races', '20 concurrent GRACE (webhook, DynamoDB Local): tokens spent', spent);
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
    expect(spent).toBe(2);
    expect(graceEvents).toHaveLength(2);
    // Every text is answered, once: two say a token was spent, the rest that none is left.
    expect(bodies.every((body) => (body.match(/<Message>/g) ?? []).length === 1)).toBe(true);
    expect(spentAnswers).toHaveLength(2);
    expect(noneLeftAnswers).toHaveLength(18);
    // The day's check-in holds one answer: grace.
    expect(today).toHaveLength(1);
    expect(today[0]).toMatchObject({ localDate: '2026-11-25', status: 'grace' });
  });

  it('sends one text when one scheduled check-in step is delivered 10 times at once', async () => {
    // Prepare: Ben's partnership, nothing sent yet on 28 Nov.
    const ada = await pairAwaitingReply(servers, 2);
    const dispatch = createDispatchHandler(async () => ({ ...servers, clock }));
    const before = servers.twilioApi.messages.filter((sms) => sms.to === ada.phone).length;

    // Act: deliveries that find the claim held are refused (the queue redelivers them later).
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, () => dispatch(checkInStep(ada, '2026-11-28'))),
    );
    const redelivered = await dispatch(checkInStep(ada, '2026-11-28'));

    // Assess
    const sent = servers.twilioApi.messages.filter((sms) => sms.to === ada.phone).length - before;
    const outcomes = settled.flatMap((each) => (each.status === 'fulfilled' ? [each.value.outcome] : []));
    const refused = settled.flatMap((each) =>
      each.status === 'rejected' ? [(each.reason as Error).name] : [],
    );
    const checkIn = await servers.store.checkInOn(ada.partnershipId, ada.id, '2026-11-28');
    figure('Duplicates', 'same check-in step 10× at once (DynamoDB Local): texts sent', sent);
    expect(sent).toBe(1);
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome === 'sent' || outcome === 'duplicate')).toBe(true);
    expect(refused.every((name) => name === 'ClaimInProgressError')).toBe(true);
    expect(redelivered.outcome).toBe('duplicate');
    expect(checkIn?.status).toBe('sent');
  });
});
