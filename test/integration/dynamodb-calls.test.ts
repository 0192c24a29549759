import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '#functions/dispatch.js';
import { createInboundSmsHandler } from '#functions/inbound-sms.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { keys } from '#shared/adapters/dynamodb/table.js';
import { limits } from '#shared/domain/limits.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import {
  countingStore,
  inboundSmsEvent,
  pairAwaitingReply,
  SCENARIO_AUTH_TOKEN,
  SCENARIO_PUBLIC_BASE_URL,
} from '../support/reply-scenario.js';

/*
 * DynamoDB requests per reply and per scheduled send, counted at the SDK client. The goals are 3 per
 * reply and 3 per send (issue 22); these are the counts today (bench/results.md says what holds each back).
 * A change that adds a request fails here; one that saves one lowers the number here too.
 */
const CALLS = {
  // Every reply kind is the raw message stored and claimed (UpdateItem), one Query of the phone's
  // partition (its memberships with each one's snapshot of what a reply needs, the setup, the person
  // record) and one TransactWriteItems (the answer, the event, the partners' news, GRACE's token, a need
  // and its forward's news slot, STOP's person record and memberships, the refreshed snapshot, the
  // snapshot's revision checks and the completion): docs/data-model.md, "A reply".
  yes: 3,
  grace: 3,
  need: 3,
  win: 3,
  stop: 3,
  // One Query of the partnership (members, check-ins, news waiting); one TransactWriteItems just before
  // the provider call that decides the send (the step's claim, the check-in: one a day, the member's and
  // the deployment's text allowances, consent as a condition, the text's own claim); then one
  // TransactWriteItems after it (the text's claim done, the news removed, the prompt and the phone's
  // snapshot, the step done): docs/data-model.md, "A scheduled send".
  plainCheckIn: 3,
};

describe('DynamoDB requests per reply and per scheduled send', () => {
  let servers: TestServers;
  let counted: ReturnType<typeof countingStore>;
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));

  beforeAll(async () => {
    servers = await startTestServers({ name: 'calls', clock, twilioAuthToken: SCENARIO_AUTH_TOKEN });
    counted = countingStore(servers);
  });
  afterAll(async () => {
    await servers.close();
  });

  const webhook = () =>
    createInboundSmsHandler(async () => ({
      ...servers,
      store: counted.store,
      clock,
      authToken: SCENARIO_AUTH_TOKEN,
      publicBaseUrl: SCENARIO_PUBLIC_BASE_URL,
    }));
  const reply = async (index: number, body: string) => {
    const member = await pairAwaitingReply(servers, index);
    const handler = webhook();
    counted.counter.calls = 0;
    counted.counter.commands = [];
    const response = await handler(
      inboundSmsEvent(member, body, `SMcalls${String(index).padStart(26, '0')}`),
    );
    return { response, calls: counted.counter.calls, commands: counted.counter.commands.join(' ') };
  };

  it.each([
    ['yes', CALLS.yes, 1],
    ['grace', CALLS.grace, 2],
    ['need a pep talk about the intro', CALLS.need, 3],
    ['win: finished the intro', CALLS.win, 6],
    ['STOP', CALLS.stop, 7],
  ])(
    'the reply "%s" takes %i requests (raw message and claim in one, event and news in one)',
    async (body, calls, index) => {
      const { response, calls: made, commands } = await reply(index, body);
      expect(response.statusCode).toBe(200);
      expect(made, commands).toBe(calls);
    },
  );

  it('replies one after another each take 3 requests (each leaves the snapshot the next one reads)', async () => {
    const member = await pairAwaitingReply(servers, 8);
    const handler = webhook();
    const made: number[] = [];
    for (const [turn, body] of ['yes', 'grace', 'win: finished the intro', 'STOP'].entries()) {
      counted.counter.calls = 0;
      const response = await handler(
        inboundSmsEvent(member, body, `SMcalls8${String(turn).padStart(25, '0')}`),
      );
      expect(response.statusCode).toBe(200);
      made.push(counted.counter.calls);
    }
    expect(made).toEqual([3, 3, 3, 3]);
  });

  it("the bench's order (yes, grace, a need, a win, STOP on one member on one day) takes 3 requests each", async () => {
    const member = await pairAwaitingReply(servers, 10);
    const handler = webhook();
    const made: string[] = [];
    const bodies = [
      'yes',
      'grace',
      'could use a pep talk about the intro',
      'win: finished the intro',
      'STOP',
    ];
    for (const [turn, body] of bodies.entries()) {
      counted.counter.calls = 0;
      counted.counter.commands = [];
      const response = await handler(
        inboundSmsEvent(member, body, `SMcalls10${String(turn).padStart(24, '0')}`),
      );
      expect(response.statusCode).toBe(200);
      made.push(`${body}: ${counted.counter.commands.join(' ')}`);
    }
    // The free-text need is inferred: its reply asks to confirm it (the question is kept on the member,
    // in the reply's transaction with the member's revision counted, so the snapshot stays good).
    const three = 'UpdateItem Query TransactWriteItems';
    expect(made).toEqual(bodies.map((body) => `${body}: ${three}`));
  });

  it('an inferred need confirmed with SEND takes 3 requests for each text, and is passed on once', async () => {
    const member = await pairAwaitingReply(servers, 11);
    const handler = webhook();
    const made: string[] = [];
    const bodies = ['yes', 'could use a pep talk about the intro', 'SEND', 'SEND'];
    const replies: string[] = [];
    for (const [turn, body] of bodies.entries()) {
      counted.counter.calls = 0;
      counted.counter.commands = [];
      const response = await handler(
        inboundSmsEvent(member, body, `SMcalls11${String(turn).padStart(24, '0')}`),
      );
      expect(response.statusCode).toBe(200);
      replies.push(String(response.body));
      made.push(`${body}: ${counted.counter.commands.join(' ')}`);
    }
    const three = 'UpdateItem Query TransactWriteItems';
    expect(made).toEqual(bodies.map((body) => `${body}: ${three}`));
    const { needs } = await servers.store.history(member.partnershipId);
    expect(needs.map(({ text }) => text)).toEqual(['a pep talk about the intro']);
    const members = (await servers.store.getPartnership(member.partnershipId))?.members ?? [];
    expect(members.find(({ id }) => id === member.id)?.pendingConfirmation).toBeUndefined();
    expect(replies[3]).not.toBe(replies[2]);
  });

  it("a win after YES, which changes nothing the phone's snapshot holds, leaves the snapshot out of its transaction", async () => {
    // Prepare: the partition of each item a transaction writes or checks, as the reply sends it.
    const member = await pairAwaitingReply(servers, 12);
    const handler = webhook();
    let partitions: string[] = [];
    counted.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: Array<Record<string, { Key?: { pk?: unknown } }>> };
        if (context.commandName === 'TransactWriteItemsCommand')
          partitions = (input.TransactItems ?? []).map(
            (item) => String(Object.values(item)[0]?.Key?.pk ?? 'PUT').split('#')[0] ?? '',
          );
        return next(args);
      },
      { step: 'initialize', name: 'transactionPartitions' },
    );

    // Act
    const written: string[][] = [];
    // (A first answer of the day would change the check-in: the win comes after YES answered it.)
    for (const [turn, body] of ['yes', 'win: finished the intro', 'grace'].entries()) {
      const response = await handler(
        inboundSmsEvent(member, body, `SMcalls12${String(turn).padStart(24, '0')}`),
      );
      expect(response.statusCode).toBe(200);
      written.push(partitions);
    }
    counted.db.middlewareStack.remove('transactionPartitions');

    // Assess: YES and GRACE refresh the snapshot; the win's is still the one read (GRACE after it takes 3
    // requests).
    expect(written.map((partitions) => partitions.includes('PHONE'))).toEqual([true, false, true]);
    expect(counted.counter.commands.slice(-3).join(' ')).toBe('UpdateItem Query TransactWriteItems');
  });

  it('a snapshot that no longer holds costs the reply 3 more requests, and the reply acts on the table', async () => {
    // Prepare: a check-in recorded after the phone's snapshot was taken, outside a step (no new snapshot).
    const member = await pairAwaitingReply(servers, 9);
    await servers.store.recordCheckInSent({
      partnershipId: member.partnershipId,
      memberId: member.id,
      localDate: '2026-11-26',
      status: 'sent',
      sentAt: '2026-11-25T13:45:00.000Z',
    });
    const handler = webhook();
    counted.counter.calls = 0;
    counted.counter.commands = [];

    // Act
    const response = await handler(inboundSmsEvent(member, 'yes', `SMcalls9${'0'.repeat(25)}`));

    // Assess: the transaction refused the snapshot (no check-in after the 25th), the reply read the
    // partnership and answered the newer check-in.
    expect(response.statusCode).toBe(200);
    expect(counted.counter.commands.join(' ')).toBe(
      'UpdateItem Query TransactWriteItems Query Query TransactWriteItems',
    );
    const checkIns = (await servers.store.history(member.partnershipId)).checkIns;
    expect(checkIns.map(({ localDate, status }) => `${localDate} ${status}`)).toEqual([
      '2026-11-25 sent',
      '2026-11-26 on_track',
    ]);
  });

  it('a duplicate delivery of a reply takes 2 requests and changes nothing', async () => {
    const member = await pairAwaitingReply(servers, 4);
    const handler = webhook();
    const event = inboundSmsEvent(member, 'yes', `SMcalls${'9'.repeat(26)}`);
    await handler(event);
    counted.counter.calls = 0;
    const again = await handler(event);
    expect(again.body).not.toContain('<Message>');
    expect(counted.counter.calls).toBe(2);
  });

  it(`a plain scheduled check-in (one text) takes ${CALLS.plainCheckIn} requests, a duplicate delivery 2`, async () => {
    const member = await pairAwaitingReply(servers, 5);
    const dispatch = createDispatchHandler(async () => ({ ...servers, store: counted.store, clock }));
    counted.counter.calls = 0;
    counted.counter.commands = [];
    // 28 Nov is Day 8: no weekly ritual, no special question, no news waiting.
    const { outcome } = await dispatch(checkInStep(member, '2026-11-28'));
    expect(outcome).toBe('sent');
    expect(counted.counter.calls, counted.counter.commands.join(' ')).toBe(CALLS.plainCheckIn);
    expect(servers.twilioApi.messages.filter((message) => message.to === member.phone)).toHaveLength(1);

    // The same step delivered again: the read, and the decision the table refuses (its claim is done).
    counted.counter.calls = 0;
    counted.counter.commands = [];
    const again = await dispatch(checkInStep(member, '2026-11-28'));
    expect(again.outcome).toBe('duplicate');
    expect(counted.counter.calls, counted.counter.commands.join(' ')).toBe(2);
    expect(servers.twilioApi.messages.filter((message) => message.to === member.phone)).toHaveLength(1);
  });

  it("a plain check-in past 80 % of the day's budget decides in one transaction: 5 requests for the first a sender makes that day, then 3", async () => {
    // Prepare: the day's first counter (80 % of the budget) used up; the alert not claimed yet.
    const [first, second] = [await pairAwaitingReply(servers, 14), await pairAwaitingReply(servers, 15)];
    const TableName = servers.dynamoDb.tableName;
    const beforeAlert = Math.floor(limits.textsPerDeploymentPerDay * limits.budgetAlertShare);
    await servers.store.db.send(
      new PutCommand({
        TableName,
        Item: { ...keys.quota('sms-budget#2026-11-25'), entity: 'quota', v: 1, used: beforeAlert },
      }),
    );
    const dispatch = createDispatchHandler(async () => ({ ...servers, store: counted.store, clock }));
    const made: string[] = [];

    // Act
    for (const member of [first, second]) {
      counted.counter.commands = [];
      const { outcome } = await dispatch(checkInStep(member, '2026-11-28'));
      made.push(`${outcome}: ${counted.counter.commands.join(' ')}`);
    }

    // Assess: the first learns from the refused decision that the counter is full, claims the alert (the
    // UpdateItem) and decides again with the second counter; the next goes to the second counter at once.
    expect(made).toEqual([
      'sent: Query TransactWriteItems UpdateItem TransactWriteItems TransactWriteItems',
      'sent: Query TransactWriteItems TransactWriteItems',
    ]);
    const used = async (key: string) =>
      (await servers.store.db.send(new GetCommand({ TableName, Key: keys.quota(key) }))).Item?.used;
    expect(await used('sms-budget#2026-11-25')).toBe(beforeAlert);
    expect(await used('sms-budget-rest#2026-11-25')).toBe(2);
    for (const member of [first, second])
      expect(servers.twilioApi.messages.filter((message) => message.to === member.phone)).toHaveLength(1);
  });
});
