import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '#functions/dispatch.js';
import { createInboundSmsHandler } from '#functions/inbound-sms.js';
import { dynamoDbClientConfig } from '#local/stack.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { DynamoDbSenderStore } from '#shared/adapters/dynamodb-sender-store.js';
import { createDocumentClient } from '#shared/adapters/dynamodb-store.js';
import type { SmsPort } from '#shared/domain/ports.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import {
  inboundSmsEvent,
  pairAwaitingReply,
  SCENARIO_AUTH_TOKEN,
  SCENARIO_PUBLIC_BASE_URL,
} from '../support/reply-scenario.js';

/**
 * A store whose process "dies" once `survives` DynamoDB requests have been answered: every later request
 * fails unsent, and `dead()` says so (for the provider, which a dead process does not reach either).
 */
function storeKilledAfter(servers: TestServers, survives: number) {
  const db = createDocumentClient(dynamoDbClientConfig(servers.dynamoDb));
  let answered = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      if (answered >= survives) throw new Error('killed');
      const result = await next(args);
      answered += 1;
      return result;
    },
    { step: 'initialize' },
  );
  return { store: new DynamoDbSenderStore(db, servers.dynamoDb.tableName), dead: () => answered >= survives };
}

/*
 * A reply's delivery killed between any two of its DynamoDB requests, then delivered again once the first
 * delivery's claim has lapsed (Twilio or the fallback retries): the reply changes state once and is
 * answered once. The requests of each reply are counted in test/integration/dynamodb-calls.test.ts.
 */
describe('a reply killed between two requests, then delivered again', () => {
  let servers: TestServers;
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));
  let index = 100;

  beforeAll(async () => {
    servers = await startTestServers({ name: 'crash', clock, twilioAuthToken: SCENARIO_AUTH_TOKEN });
  });
  afterAll(async () => {
    await servers?.close();
  });

  const webhook = (store: DynamoDbSenderStore) =>
    createInboundSmsHandler(async () => ({
      ...servers,
      store,
      clock,
      authToken: SCENARIO_AUTH_TOKEN,
      publicBaseUrl: SCENARIO_PUBLIC_BASE_URL,
    }));

  // [body, the requests the reply makes, the event it records]
  const replies: Array<[string, number, string]> = [
    ['yes', 3, 'on_track'],
    ['grace', 3, 'grace'],
    ['win: finished the intro', 3, 'win'],
    ['need a pep talk about the intro', 3, 'need'],
    ['STOP', 3, 'opted_out'],
  ];
  const cases = replies.flatMap(([body, calls, kind]) =>
    Array.from({ length: calls - 1 }, (_, n) => [body, n + 1, kind] as const),
  );

  it.each(cases)(
    '"%s" killed after request %i changes state once and answers once',
    async (body, survives, kind) => {
      // Prepare
      // Each case a few minutes after the last: the virtual clock only moves forward.
      const start = clock.now().getTime() + 60_000;
      clock.set(new Date(start));
      const ada = await pairAwaitingReply(servers, index++);
      const event = inboundSmsEvent(ada, body, `SMcrash${String(index).padStart(27, '0')}`);

      // Act: the first delivery dies; Twilio's retry comes after the claim's lease (60 s).
      // Lambda reports the error: API Gateway answers 5xx and Twilio gets no reply.
      const killed = await webhook(storeKilledAfter(servers, survives).store)(event).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      clock.set(new Date(start + 120_000));
      const again = await webhook(servers.store)(event);
      const duplicate = await webhook(servers.store)(event);

      // Assess
      const history = await servers.store.history(ada.partnershipId);
      const events = history.events.filter((each) => each.memberId === ada.id && each.kind === kind);
      const checkIn = history.checkIns.find((each) => each.memberId === ada.id);
      const spent = await servers.store.graceSpent(ada.partnershipId, ada.id, '2026-11');
      expect(killed).toBe('killed');
      expect(again.statusCode).toBe(200);
      expect((String(again.body).match(/<Message>/g) ?? []).length).toBe(1);
      expect(String(duplicate.body)).not.toContain('<Message>');
      expect(events).toHaveLength(1);
      expect(history.needs.filter((need) => need.memberId === ada.id)).toHaveLength(kind === 'need' ? 1 : 0);
      expect(spent).toBe(kind === 'grace' ? 1 : 0);
      const answer = { grace: 'grace', on_track: 'on_track', opted_out: 'sent' }[kind] ?? 'answered';
      expect(checkIn?.status).toBe(answer);
    },
  );
});

/*
 * A scheduled check-in's delivery killed right after one of its DynamoDB requests (nothing after the kill
 * reaches DynamoDB), then delivered again once the step's claim has lapsed (SQS redelivers it): one
 * check-in, one text. The send is 3 requests (test/integration/dynamodb-calls.test.ts): the read, the
 * transaction that decides the send (the step's claim, the check-in, the allowances, consent, the text's
 * claim), the provider call, then the step's transaction. Killed after the decision, the text's claim is
 * left taken: the redelivery takes it over and asks Twilio first (GET Messages.json) whether the text went,
 * whether the dead delivery died before its provider call (nothing found: it texts) or after it, before
 * the step's transaction (found: it records that text, and sends none).
 */
describe('a scheduled check-in killed between two requests, then delivered again', () => {
  let servers: TestServers;
  const clock = new VirtualClock(new Date('2026-11-28T14:00:00Z'));
  let index = 200;

  beforeAll(async () => {
    servers = await startTestServers({ name: 'crash-send', clock, twilioAuthToken: SCENARIO_AUTH_TOKEN });
  });
  afterAll(async () => {
    await servers?.close();
  });

  const dispatch = (store: DynamoDbSenderStore, sms: SmsPort = servers.sms) =>
    createDispatchHandler(async () => ({ ...servers, sms, store, clock }));

  // [DynamoDB requests answered before the kill, whether the provider call still happens, the look-ups]
  const cases: Array<[number, 'before' | 'after', number]> = [
    [0, 'before', 0],
    [1, 'before', 0],
    [2, 'before', 1],
    [2, 'after', 1],
  ];

  it.each(cases)(
    'killed after request %i, %s the provider call: one check-in and one text',
    async (survives, when, lookups) => {
      // Prepare
      const start = clock.now().getTime() + 60_000;
      clock.set(new Date(start));
      const ada = await pairAwaitingReply(servers, index++);
      // 28 Nov is Day 8: a plain check-in, one text.
      const step = checkInStep(ada, '2026-11-28');
      const dying = storeKilledAfter(servers, survives);
      const sms: SmsPort = {
        findSent: (message) => servers.sms.findSent(message),
        send: (message) =>
          when === 'before' && dying.dead() ? Promise.reject(new Error('killed')) : servers.sms.send(message),
      };

      // Act: the first delivery dies; the queue delivers the step again after its claim's lease (120 s).
      const killed = await dispatch(
        dying.store,
        sms,
      )(step).then(
        () => 'sent',
        (error: Error) => error.message,
      );
      const textedBefore = servers.twilioApi.messages.filter((message) => message.to === ada.phone).length;
      clock.set(new Date(start + 180_000));
      const again = await dispatch(servers.store)(step);
      const duplicate = await dispatch(servers.store)(step);

      // Assess
      const texts = servers.twilioApi.messages.filter((message) => message.to === ada.phone);
      const checkIns = (await servers.store.history(ada.partnershipId)).checkIns.filter(
        (each) => each.memberId === ada.id && each.localDate === '2026-11-28',
      );
      expect(killed).toBe('killed');
      expect(textedBefore).toBe(when === 'after' ? 1 : 0);
      expect(again.outcome).toBe('sent');
      expect(duplicate.outcome).toBe('duplicate');
      expect(texts).toHaveLength(1);
      expect(checkIns).toHaveLength(1);
      expect(checkIns[0]?.status).toBe('sent');
      expect(servers.twilioApi.lists.filter((list) => list.to === ada.phone)).toHaveLength(lookups);
    },
  );
});
