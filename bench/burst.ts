/**
 * The 09:00 burst: every member has the same check-in time, so every check-in falls due at once.
 *
 *   scheduler → queue → sender → SMS API (N messages a second, 429 above it)
 *
 * - The scheduler is the local one (schedules in the local DynamoDB API server, indexed by due time);
 *   at 09:00 every due schedule goes onto the queue, as EventBridge Scheduler puts each on the send queue.
 * - The queue behaves as SQS does for an event source mapping: batches of SENDER_BATCH_SIZE, a visibility
 *   timeout, partial batch responses (only the failed messages come back, after the timeout).
 * - The senders are `senderConcurrency(N)` instances of the real sender handler (createSendQueueHandler),
 *   each with its own Twilio adapter keeping secondsBetweenSends(N) between sends, as each Lambda instance does.
 * - The SMS API is the local Twilio-compatible one, reached through the `twilio` package's client; it
 *   accepts at most N sends in any 1-second window and answers 429 (Twilio's 20429) above it.
 *
 * Counts what arrived at the SMS API: every member exactly once is the goal (0 lost, 0 duplicated).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createSendQueueHandler } from '../functions/dispatch.js';
import { secondsBetweenSends, senderConcurrency } from '../infra/config.js';
import { VISIBILITY_TIMEOUT_FACTOR } from '../infra/constructs/send-queue.js';
import { DISPATCH_TIMEOUT, SENDER_BATCH_SIZE } from '../infra/stacks/stateless-stack.js';
import { sqsEvent } from '../local/clock-driver.js';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_NUMBER, startEmbeddedServers } from '../local/stack.js';
import { VirtualClock } from '../local/virtual-clock.js';
import { TwilioSms } from '../shared/adapters/twilio-sms.js';
import type { Member } from '../shared/domain/partnership.js';
import { scheduleCheckIn } from '../shared/use-cases/schedule-check-in.js';
import { countingStore } from '../test/support/reply-scenario.js';

export interface BurstOptions {
  members: number;
  messagesPerSecond: number;
  /** How long a failed message stays invisible before the queue delivers it again. */
  visibilityTimeoutSeconds?: number;
}

export interface BurstResult {
  members: number;
  messagesPerSecond: number;
  senders: number;
  seedSeconds: number;
  fireSeconds: number;
  drainSeconds: number;
  idealSeconds: number;
  /** ideal / drain: 1.0 means the API was kept at its limit from the first send to the last. */
  efficiency: number;
  delivered: number;
  lost: number;
  duplicated: number;
  refused429: number;
  redelivered: number;
  dynamoDbCallsPerSend: number;
  busiestSecond: number;
}

const TIMEZONE = 'America/New_York';
const LOCAL_DATE = '2026-11-26';
/** 09:00 in New York on that date. */
const NINE_AM = new Date('2026-11-26T14:00:00.000Z');

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

/** The send queue: what SQS does for an event source mapping, in process. */
class BenchQueue {
  private readonly messages: Array<{
    messageId: string;
    body: string;
    receiveCount: number;
    visibleAt: number;
  }> = [];
  private inFlight = 0;
  redelivered = 0;

  constructor(private readonly visibilityTimeoutMs: number) {}

  send(body: string) {
    this.messages.push({ messageId: randomUUID(), body, receiveCount: 0, visibleAt: 0 });
  }

  /** Up to `max` visible messages, hidden for the visibility timeout. */
  receive(max: number) {
    const now = performance.now();
    const batch = [];
    for (const message of this.messages) {
      if (batch.length >= max) break;
      if (message.visibleAt > now) continue;
      message.visibleAt = now + this.visibilityTimeoutMs;
      message.receiveCount += 1;
      if (message.receiveCount > 1) this.redelivered += 1;
      batch.push(message);
    }
    this.inFlight += batch.length;
    return batch;
  }

  /** The batch's successes are deleted; its failures stay hidden until their timeout ends. */
  settle(batch: Array<{ messageId: string }>, failedIds: Set<string>) {
    this.inFlight -= batch.length;
    const done = new Set(
      batch.filter((message) => !failedIds.has(message.messageId)).map((message) => message.messageId),
    );
    for (let index = this.messages.length - 1; index >= 0; index--) {
      if (done.has(this.messages[index]?.messageId ?? '')) this.messages.splice(index, 1);
    }
  }

  get empty() {
    return this.messages.length === 0 && this.inFlight === 0;
  }
}

export async function burst(options: BurstOptions): Promise<BurstResult> {
  const { members: memberCount, messagesPerSecond } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'soft-partner-burst-'));
  const clock = new VirtualClock(new Date(NINE_AM.getTime() - 60 * 60 * 1000));
  const servers = await startEmbeddedServers({ dataDir, clock, twilioAuthToken: 'token' });
  try {
    // The senders' store counts its requests; the scheduler's own writes are left out (in AWS they are
    // Scheduler calls).
    const { db, counter, store } = countingStore(servers);

    // Seed: pairs started three days ago, every member checking in at 09:00 New York time.
    const seedStarted = performance.now();
    const pairs = Array.from({ length: Math.ceil(memberCount / 2) }, (_, index) => index);
    await inParallel(pairs, 16, async (index) => {
      const partnershipId = `pburst${String(index).padStart(6, '0')}`;
      const member = (id: string, name: string, phone: string): Member => ({
        id,
        partnershipId,
        name,
        phone,
        timezone: TIMEZONE,
        checkInTime: '09:00',
        goal: 'write 500 words',
        cadence: 'daily',
        checkInBy: 'sms',
        status: 'active',
      });
      const pair = [
        member('m1', 'Ada', `+1212${String(5_000_000 + index).padStart(7, '0')}`),
        member('m2', 'Ben', `+1646${String(5_000_000 + index).padStart(7, '0')}`),
      ].slice(0, Math.min(2, memberCount - index * 2));
      await servers.store.createPartnership(
        {
          id: partnershipId,
          createdAt: '2026-11-22T14:00:00.000Z',
          startedAt: '2026-11-23T14:00:00.000Z',
          graceTokensPerMonth: 2,
          channels: ['sms'],
        },
        pair,
      );
      for (const each of pair) await scheduleCheckIn(servers.scheduler, each, LOCAL_DATE);
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    // The SMS API: at most N accepted sends in any 1-second window, 429 above it.
    const window: number[] = [];
    const acceptedAt: number[] = [];
    servers.twilioApi.failWhen(() => {
      const now = performance.now();
      while (window.length > 0 && (window[0] ?? 0) <= now - 1000) window.shift();
      if (window.length >= messagesPerSecond) return { status: 429, retryAfterSeconds: 1 };
      window.push(now);
      acceptedAt.push(now);
      return undefined;
    });

    // 09:00: the scheduler puts every due check-in on the send queue.
    clock.set(NINE_AM);
    const queue = new BenchQueue(
      (options.visibilityTimeoutSeconds ?? DISPATCH_TIMEOUT.toSeconds() * VISIBILITY_TIMEOUT_FACTOR) * 1000,
    );
    const fireStarted = performance.now();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: servers.dynamoDb.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :until',
          ExpressionAttributeValues: { ':pk': 'SCHEDULES', ':until': `${NINE_AM.toISOString()}#\uffff` },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) queue.send(String(item.payload));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const fireSeconds = (performance.now() - fireStarted) / 1000;

    // The senders: as many as the stack gives the send queue's event source, each its own instance.
    const senders = senderConcurrency(messagesPerSecond);
    const callsBefore = counter.calls;
    const drainStarted = performance.now();
    let lastSendAt = drainStarted;
    await Promise.all(
      Array.from({ length: senders }, async () => {
        const sms = new TwilioSms({
          accountSid: LOCAL_TWILIO_ACCOUNT_SID,
          authToken: 'token',
          from: LOCAL_TWILIO_NUMBER,
          apiBaseUrl: `http://127.0.0.1:${servers.ports.twilio}`,
          secondsBetweenSends: secondsBetweenSends(messagesPerSecond),
        });
        const handler = createSendQueueHandler(async () => ({
          store,
          sms,
          scheduler: servers.scheduler,
          clock,
          email: servers.email,
          emailSettings: servers.emailSettings,
        }));
        while (!queue.empty) {
          const batch = queue.receive(SENDER_BATCH_SIZE);
          if (batch.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          const response = await handler(sqsEvent(batch));
          queue.settle(batch, new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier)));
          lastSendAt = performance.now();
        }
      }),
    );
    const drainSeconds = (lastSendAt - drainStarted) / 1000;
    const sendCalls = counter.calls - callsBefore;

    const sent = servers.twilioApi.messages.filter((message) => message.direction === 'outbound-api');
    const perPhone = new Map<string, number>();
    for (const message of sent) perPhone.set(message.to, (perPhone.get(message.to) ?? 0) + 1);
    const perSecond = new Map<number, number>();
    for (const at of acceptedAt) {
      const second = Math.floor((at - drainStarted) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const idealSeconds = memberCount / messagesPerSecond;
    return {
      members: memberCount,
      messagesPerSecond,
      senders,
      seedSeconds,
      fireSeconds,
      drainSeconds,
      idealSeconds,
      efficiency: idealSeconds / drainSeconds,
      delivered: perPhone.size,
      lost: memberCount - perPhone.size,
      duplicated: sent.length - perPhone.size,
      refused429: servers.twilioApi.attempts.filter((attempt) => attempt.status === 429).length,
      redelivered: queue.redelivered,
      dynamoDbCallsPerSend: sendCalls / Math.max(1, sent.length),
      busiestSecond: Math.max(0, ...perSecond.values()),
    };
  } finally {
    await servers.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `npx tsx bench/burst.ts [members] [messagesPerSecond]` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const [members = '10000', mps = '50'] = process.argv.slice(2);
  console.log(await burst({ members: Number(members), messagesPerSecond: Number(mps) }));
}
