import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Member } from '#shared/domain/partnership.js';
import { checkInStep } from '#shared/use-cases/schedule-check-in.js';
import { createDispatchHandler } from '../functions/dispatch.js';
import { createInboundSmsHandler } from '../functions/inbound-sms.js';
import { startEmbeddedServers } from '../local/stack.js';
import { VirtualClock } from '../local/virtual-clock.js';
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

  const members: Member[] = [];
  for (let index = 0; index < runs; index++) members.push(await pairAwaitingReply(servers, index));

  const replies = [];
  for (const [name, body] of [
    ['YES', 'yes'],
    ['GRACE', 'grace'],
    ['need (free text)', 'could use a pep talk about the intro'],
  ] as const) {
    const times: number[] = [];
    const counts: number[] = [];
    for (const [index, member] of members.entries()) {
      const sid = `SMbench${name.length}${String(index).padStart(24, '0')}`;
      counter.calls = 0;
      const started = performance.now();
      await inbound(inboundSmsEvent(member, body, sid));
      times.push(performance.now() - started);
      counts.push(counter.calls);
    }
    const medianCalls = percentile(counts, 50);
    // The same number of raw DynamoDB calls, one after another, as the reference.
    const raw: number[] = [];
    for (let index = 0; index < Math.min(runs, 100); index++) {
      const started = performance.now();
      for (let call = 0; call < medianCalls; call++)
        await db.send(
          new GetItemCommand({
            TableName: servers.dynamoDb.tableName,
            Key: { pk: { S: 'x' }, sk: { S: 'y' } },
          }),
        );
      raw.push(performance.now() - started);
    }
    replies.push({
      name,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      rawP50: percentile(raw, 50),
      rawP99: percentile(raw, 99),
      calls: medianCalls,
    });
  }

  // A plain scheduled check-in on a fresh day (one text): its DynamoDB calls.
  const dispatch = createDispatchHandler(async () => ({ ...servers, store, clock }));
  counter.calls = 0;
  await dispatch(checkInStep(members[1] as Member, '2026-11-28'));
  const dispatchCalls = counter.calls;

  await servers.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { replies, dispatchCalls };
}
