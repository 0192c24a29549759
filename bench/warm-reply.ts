import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createDispatchHandler } from '#functions/dispatch.js';
import { createInboundSmsHandler } from '#functions/inbound-sms.js';
import { startEmbeddedServers } from '#local/stack.js';
import { VirtualClock } from '#local/virtual-clock.js';
import type { Member } from '#shared/domain/partnership.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import {
  countingStore,
  inboundSmsEvent,
  pairAwaitingReply,
  SCENARIO_AUTH_TOKEN,
  SCENARIO_PUBLIC_BASE_URL,
} from '../test/support/reply-scenario.js';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/**
 * Replies handled in process by the real webhook handler over DynamoDB Local, each
 * with a fresh member (so GRACE always has a token), timed and with their DynamoDB calls counted.
 */
export async function warmReplies(runs = 200) {
  const dataDir = mkdtempSync(join(tmpdir(), 'soft-partner-bench-db-'));
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));
  const servers = await startEmbeddedServers({ dataDir, clock, twilioAuthToken: SCENARIO_AUTH_TOKEN });
  const { db, counter, store } = countingStore(servers);
  const deps = {
    ...servers,
    store,
    clock,
    authToken: SCENARIO_AUTH_TOKEN,
    publicBaseUrl: SCENARIO_PUBLIC_BASE_URL,
  };
  const inbound = createInboundSmsHandler(async () => deps);
  // Each request as sent (marshalled), for the second floor, which sends the same requests on items of its own.
  let sent: Sent[] | undefined;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      sent?.push({
        kind: String(context.commandName).replace(/Command$/, ''),
        input: args.input as unknown as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'build' },
  );

  const members: Member[] = [];
  for (let index = 0; index < runs; index++) members.push(await pairAwaitingReply(servers, index));

  const replies = [];
  for (const [kindIndex, [name, body]] of (
    [
      ['YES', 'yes'],
      ['GRACE', 'grace'],
      ['need (free text)', 'could use a pep talk about the intro'],
      ['win', 'win: finished the intro'],
      ['STOP', 'STOP'],
    ] as const
  ).entries()) {
    const times: number[] = [];
    // Each reply's requests as it sent them: their number and kinds, and what the second floor sends again.
    const requests: Sent[][] = [];
    for (const [index, member] of members.entries()) {
      // One sid per reply kind and member (the kind's index: two names of one length gave one sid).
      const sid = `SMbench${kindIndex}${String(index).padStart(24, '0')}`;
      // Twilio's signed request is built before the clock starts: signing it is Twilio's work, not the reply's.
      const event = inboundSmsEvent(member, body, sid);
      sent = [];
      const started = performance.now();
      await inbound(event);
      times.push(performance.now() - started);
      requests.push(sent);
      sent = undefined;
    }
    const medianCalls = percentile(
      requests.map((each) => each.length),
      50,
    );
    // The floor: the same raw requests (the same kinds, in the same order) of a reply that made the
    // median number, one after another on the same client, each on an item of its own.
    const same = requests.find((each) => each.length === medianCalls)?.map(({ kind }) => kind) ?? [];
    const raw: number[] = [];
    for (let index = 0; index < Math.min(runs, 100); index++) {
      const started = performance.now();
      for (const [call, kind] of same.entries())
        await rawRequest(db, servers.dynamoDb.tableName, kind, `floor#${name}#${index}#${call}`);
      raw.push(performance.now() - started);
    }
    // The second floor: each reply's own requests as it sent them (the same items, sizes and expressions),
    // one after another on the same client, on items of their own (sameItems): what DynamoDB Local takes
    // for exactly what the reply asks, without our code around it.
    const sameRaw: number[] = [];
    for (const [index, each] of requests.slice(0, Math.min(runs, 100)).entries()) {
      const started = performance.now();
      for (const request of each) await sameItems(db, request, `floor2#${name}#${index}#`);
      sameRaw.push(performance.now() - started);
    }
    replies.push({
      name,
      sameP50: percentile(sameRaw, 50),
      sameP99: percentile(sameRaw, 99),
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      rawP50: percentile(raw, 50),
      rawP99: percentile(raw, 99),
      calls: medianCalls,
      requests: same.join(', '),
    });
  }

  // A plain scheduled check-in on a fresh day (one text): its DynamoDB calls. A pair of its own: every
  // member above has texted STOP by now, and a step for them sends nothing.
  const fresh = await pairAwaitingReply(servers, runs);
  const dispatch = createDispatchHandler(async () => ({ ...servers, store, clock }));
  counter.calls = 0;
  const { outcome } = await dispatch(checkInStep(fresh, '2026-11-28'));
  if (outcome !== 'sent') throw new Error(`the bench's plain check-in was ${outcome}, not sent`);
  const dispatchCalls = counter.calls;

  await servers.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { replies, dispatchCalls };
}

/** A request as the SDK sent it: its kind (UpdateItem, Query …) and its marshalled input. */
interface Sent {
  kind: string;
  input: Record<string, unknown>;
}

type Marshalled = Record<string, { S?: string }>;

/**
 * The same request on items of its own: every key's partition gets `prefix` (so the items are new, the
 * partitions as many as the reply's), every condition also holds for an absent item (`attribute_not_exists(pk)
 * OR (…)`, so nothing fails and every expression is still evaluated), and a transaction's request token is
 * new. A Query reads the very partition the reply read (a read changes nothing).
 */
function sameItems(db: ReturnType<typeof countingStore>['db'], { kind, input }: Sent, prefix: string) {
  const own = (key: Marshalled) => ({ ...key, pk: { S: `${prefix}${key.pk?.S ?? ''}` } });
  const holds = <T extends Record<string, unknown>>(part: T): T => ({
    ...part,
    ...(part.Key ? { Key: own(part.Key as Marshalled) } : {}),
    ...(part.Item ? { Item: own(part.Item as Marshalled) } : {}),
    ...(part.ConditionExpression
      ? { ConditionExpression: `attribute_not_exists(pk) OR (${part.ConditionExpression})` }
      : {}),
  });
  switch (kind) {
    case 'UpdateItem':
      return db.send(new UpdateItemCommand(holds(input) as unknown as UpdateItemCommandInput));
    case 'PutItem':
      return db.send(new PutItemCommand(holds(input) as unknown as PutItemCommandInput));
    case 'Query':
      return db.send(new QueryCommand(input as unknown as QueryCommandInput));
    case 'TransactWriteItems': {
      const items = (input.TransactItems ?? []) as Array<Record<string, Record<string, unknown>>>;
      return db.send(
        new TransactWriteItemsCommand({
          TransactItems: items.map((item) =>
            Object.fromEntries(Object.entries(item).map(([action, part]) => [action, holds(part)])),
          ),
          ClientRequestToken: randomUUID(),
        } as unknown as TransactWriteItemsCommandInput),
      );
    }
    default:
      return db.send(new GetItemCommand(holds(input) as unknown as GetItemCommandInput));
  }
}

/** One raw request of a kind the SDK names (UpdateItem, Query …), on an item of its own. */
async function rawRequest(
  db: ReturnType<typeof countingStore>['db'],
  TableName: string,
  kind: string,
  pk: string,
) {
  const Key = { pk: { S: pk }, sk: { S: 'floor' } };
  switch (kind) {
    case 'UpdateItem':
      return db.send(
        new UpdateItemCommand({
          TableName,
          Key,
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': { N: '1' } },
        }),
      );
    case 'PutItem':
      return db.send(new PutItemCommand({ TableName, Item: Key }));
    case 'Query':
      return db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
        }),
      );
    case 'TransactWriteItems':
      return db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: Key } }] }));
    default:
      return db.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }));
  }
}
