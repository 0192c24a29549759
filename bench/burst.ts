/**
 * The 09:00 burst: every member has the same check-in time, so every check-in falls due at once.
 *
 *   scheduler → queue → senders → Twilio-compatible API (accepts, queues per sender, lets out N a second)
 *
 * - The scheduler is the local one (schedules in the local DynamoDB API server, indexed by due time);
 *   at 09:00 every due schedule goes onto the queue, as EventBridge Scheduler puts each on the send queue.
 * - The queue behaves as SQS does for an event source mapping: batches of the derived batch size, a
 *   visibility timeout, partial batch responses (only the failed messages come back, after the timeout).
 * - The senders are `senderConcurrency(N)` instances of the real sender handler (createSendQueueHandler),
 *   each with its own Twilio adapter keeping its share of the rate with a bounded lead (secondsBetweenSends,
 *   smsBurstPerSender), as each Lambda instance does.
 * - The SMS API is the local Twilio-compatible one, as Twilio behaves: it accepts every send, queues it
 *   behind its sender's earlier texts and lets out N a second; it answers 429 only above its concurrent
 *   requests. Its clock runs from 09:00 in step with the wall clock, so when each text left is measured.
 *
 * Counts what left the API: every member exactly once is the goal (0 lost, 0 duplicated), none inside
 * the member's quiet hours; and the time from 09:00 to the last text leaving, against N members / N a second.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createSendQueueHandler } from '#functions/dispatch.js';
import { sqsEvent } from '#local/clock-driver.js';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_NUMBER, startEmbeddedServers } from '#local/stack.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { TwilioSms } from '#shared/adapters/twilio-sms.js';
import { localMs, timeOf, zoned } from '#shared/domain/calendar.js';
import type { Member } from '#shared/domain/partnership.js';
import { isQuietTime } from '#shared/domain/quiet-hours.js';
import { scheduleCheckIn } from '#shared/use-cases/schedule-check-in.js';
import { senderSizing } from '../infra/config.js';
import { VISIBILITY_TIMEOUT_FACTOR } from '../infra/constructs/send-queue.js';
import { countingStore } from '../test/support/reply-scenario.js';

export interface BurstOptions {
  members: number;
  messagesPerSecond: number;
  /** SES's rate, which sizes the sender's batches with the SMS rate (default: a new production account's 14). */
  sesMessagesPerSecond?: number;
  /** How long a failed message stays invisible before the queue delivers it again. */
  visibilityTimeoutSeconds?: number;
}

export interface BurstResult {
  members: number;
  messagesPerSecond: number;
  sesMessagesPerSecond: number;
  senders: number;
  batchSize: number;
  smsBurst: number;
  seedSeconds: number;
  fireSeconds: number;
  /** From 09:00 (the first due check-in) to the last text leaving Twilio's queue. */
  drainSeconds: number;
  idealSeconds: number;
  /** ideal / drain: 1.0 means the API was kept at its limit from the first due check-in to the last text. */
  efficiency: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Texts that left Twilio's queue inside the member's quiet hours. */
  insideQuietHours: number;
  /** Texts that never left (ValidityPeriod ran out, queue overflow). */
  failed: number;
  /** From 09:00 to the first text leaving Twilio's queue (the senders' start), in seconds. */
  firstLeftSeconds: number;
  /** Time Twilio's sender sat idle (its queue empty) between the first text and the last, in seconds. */
  idleSeconds: number;
  /** The longest any text waited in Twilio's queue, in seconds. */
  longestQueueWait: number;
  refused429: number;
  redelivered: number;
  dynamoDbCallsPerSend: number;
  busiestSecond: number;
}

/**
 * The bench's clock: still while the members are set up, then running with the wall clock from 09:00, so
 * the senders' pacing (wall clock) and Twilio's queue (this clock) share one timeline.
 */
class BurstClock extends VirtualClock {
  private running: { from: number; wall: number } | undefined;

  runFrom(at: Date): void {
    this.set(at);
    this.running = { from: at.getTime(), wall: performance.now() };
  }

  override now(): Date {
    if (!this.running) return super.now();
    return new Date(this.running.from + (performance.now() - this.running.wall));
  }
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
  const sesMessagesPerSecond = options.sesMessagesPerSecond ?? 14;
  const sizing = senderSizing(messagesPerSecond, sesMessagesPerSecond);
  const dataDir = mkdtempSync(join(tmpdir(), 'soft-partner-burst-'));
  const clock = new BurstClock(new Date(NINE_AM.getTime() - 60 * 60 * 1000));
  const servers = await startEmbeddedServers({
    dataDir,
    clock,
    twilioAuthToken: 'token',
    smsMessagesPerSecond: messagesPerSecond,
  });
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

    // 09:00: the scheduler puts every due check-in on the send queue.
    clock.runFrom(NINE_AM);
    const queue = new BenchQueue(
      (options.visibilityTimeoutSeconds ?? sizing.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR) * 1000,
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
    const senders = sizing.senders;
    const callsBefore = counter.calls;
    await Promise.all(
      Array.from({ length: senders }, async () => {
        const sms = new TwilioSms({
          accountSid: LOCAL_TWILIO_ACCOUNT_SID,
          authToken: 'token',
          from: LOCAL_TWILIO_NUMBER,
          apiBaseUrl: `http://127.0.0.1:${servers.ports.twilio}`,
          secondsBetweenSends: sizing.smsSecondsBetweenSends,
          burst: sizing.smsBurst,
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
          const batch = queue.receive(sizing.batchSize);
          if (batch.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          const response = await handler(sqsEvent(batch));
          queue.settle(batch, new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier)));
        }
      }),
    );
    // The senders are done; Twilio's queue still holds at most the lead. Wait for it to empty.
    const api = servers.twilioApi;
    for (api.release(); api.queued > 0; api.release())
      await new Promise((resolve) => setTimeout(resolve, 50));
    const sendCalls = counter.calls - callsBefore;

    const sent = api.messages.filter((message) => message.direction === 'outbound-api');
    const left = sent.filter((message) => message.sentAt !== undefined);
    const perPhone = new Map<string, number>();
    for (const message of left) perPhone.set(message.to, (perPhone.get(message.to) ?? 0) + 1);
    const leftAt = left.map((message) => Date.parse(message.sentAt ?? ''));
    const perSecond = new Map<number, number>();
    for (const at of leftAt) {
      const second = Math.floor((at - NINE_AM.getTime()) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const lastLeft = leftAt.reduce((latest, at) => Math.max(latest, at), NINE_AM.getTime());
    const inOrder = [...leftAt].sort((a, b) => a - b);
    const slot = 1000 / messagesPerSecond;
    // A gap longer than one slot between two texts leaving is time the sender had nothing queued.
    const idleMs = inOrder.reduce(
      (idle, at, index) => idle + (index === 0 ? 0 : Math.max(0, at - (inOrder[index - 1] ?? at) - slot)),
      0,
    );
    const drainSeconds = (lastLeft - NINE_AM.getTime()) / 1000;
    const idealSeconds = memberCount / messagesPerSecond;
    return {
      members: memberCount,
      messagesPerSecond,
      sesMessagesPerSecond,
      senders,
      batchSize: sizing.batchSize,
      smsBurst: sizing.smsBurst,
      seedSeconds,
      fireSeconds,
      drainSeconds,
      idealSeconds,
      efficiency: idealSeconds / drainSeconds,
      firstLeftSeconds: ((inOrder[0] ?? NINE_AM.getTime()) - NINE_AM.getTime()) / 1000,
      idleSeconds: idleMs / 1000,
      delivered: perPhone.size,
      lost: memberCount - perPhone.size,
      duplicated: left.length - perPhone.size,
      insideQuietHours: left.filter((message) =>
        isQuietTime(timeOf(localMs(zoned(new Date(message.sentAt ?? ''), TIMEZONE)))),
      ).length,
      failed: sent.filter((message) => message.status === 'failed').length,
      longestQueueWait: left.reduce(
        (longest, message) =>
          Math.max(longest, (Date.parse(message.sentAt ?? '') - Date.parse(message.at)) / 1000),
        0,
      ),
      refused429: api.attempts.filter((attempt) => attempt.status === 429).length,
      redelivered: queue.redelivered,
      dynamoDbCallsPerSend: sendCalls / Math.max(1, sent.length),
      busiestSecond: [...perSecond.values()].reduce((busiest, count) => Math.max(busiest, count), 0),
    };
  } finally {
    await servers.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The burst's own goal: at least this share of the N / MPS ideal. */
export const BURST_GOAL = 0.97;

/** Section 5 of bench/results.md for one run. */
export function burstSection(
  run: BurstResult,
  loadAverage: readonly number[],
  /** A second run at a rate this machine's senders keep up with, to tell the design from the machine. */
  sustained?: BurstResult,
): string[] {
  const { members, messagesPerSecond: mps } = run;
  const also = sustained
    ? [
        '',
        `The same burst at ${sustained.messagesPerSecond} a second (${sustained.members.toLocaleString('en')} members, ` +
          `${sustained.senders} senders, batches of ${sustained.batchSize}), a rate this machine's senders keep up with: ` +
          `09:00 to the last text leaving took ${sustained.drainSeconds.toFixed(1)} s against ${sustained.idealSeconds.toFixed(1)} s, ` +
          `${(sustained.efficiency * 100).toFixed(1)} % of ideal (the senders starting: ${sustained.firstLeftSeconds.toFixed(1)} s; ` +
          `Twilio's queue empty: ${sustained.idleSeconds.toFixed(1)} s; longest wait in it: ${sustained.longestQueueWait.toFixed(1)} s); ` +
          `${sustained.delivered} delivered, ${sustained.lost} lost, ${sustained.duplicated} duplicated, ` +
          `${sustained.insideQuietHours} inside quiet hours, ${sustained.failed} never left.`,
      ]
    : [];
  return [
    `## 5. The 09:00 burst: ${members.toLocaleString('en')} members, a sender Twilio lets out ${mps} a second`,
    '',
    `Scheduler → queue → ${run.senders} senders (senderConcurrency(${mps})) taking batches of ${run.batchSize} ` +
      `(senderSizing(${mps} texts, ${run.sesMessagesPerSecond} emails a second)), each handing Twilio its share of ` +
      `${mps} a second and at most ${run.smsBurst} texts ahead of it (smsBurstPerSender) → the local Twilio-compatible ` +
      `API, which accepts every send, queues it behind its sender's earlier texts and lets out ${mps} a second, ` +
      'each text with its ValidityPeriod (429 only above its concurrent requests). Measured from 09:00, when every ' +
      "check-in falls due, to the last text leaving Twilio's queue, on a clock that runs with the wall clock. " +
      `The floor: ${members} / ${mps} a second.`,
    '',
    '| figure | measured | floor (N-MPS ideal) | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| 09:00 to the last text leaving Twilio's queue | ${run.drainSeconds.toFixed(1)} s | ${run.idealSeconds.toFixed(1)} s | ${(run.efficiency * 100).toFixed(1)} % of ideal |`,
    `| busiest second leaving Twilio | ${run.busiestSecond} | ${mps} | |`,
    `| texts delivered / lost / duplicated | ${run.delivered} / ${run.lost} / ${run.duplicated} | ${members} / 0 / 0 | |`,
    `| texts that left inside the member's quiet hours | ${run.insideQuietHours} | 0 | |`,
    `| texts that never left (ValidityPeriod ran out, queue full) | ${run.failed} | 0 | |`,
    `| 09:00 to the first text leaving (the senders starting) | ${run.firstLeftSeconds.toFixed(1)} s | 0 s | |`,
    `| time Twilio's queue sat empty between the first text and the last | ${run.idleSeconds.toFixed(1)} s | 0 s | |`,
    `| longest wait in Twilio's queue | ${run.longestQueueWait.toFixed(1)} s | | |`,
    `| sends refused with 429 (too many concurrent requests) | ${run.refused429} | 0 | |`,
    `| messages the send queue delivered again | ${run.redelivered} | 0 | |`,
    `| DynamoDB calls per send | ${run.dynamoDbCallsPerSend.toFixed(1)} | | |`,
    '',
    `Setting up took ${run.seedSeconds.toFixed(0)} s (the members and their schedules), and moving the due schedules ` +
      `onto the queue ${run.fireSeconds.toFixed(1)} s. The machine's load average during the run: ` +
      `${loadAverage.map((load) => load.toFixed(1)).join(', ')} (1, 5, 15 minutes) on its cores: the senders, ` +
      'the local DynamoDB API server and the SMS API share them, where each Lambda sender has its own. ' +
      'What 1,000,000 members need is in docs/scale.md.',
    ...also,
  ];
}

/** The burst's row of the Goals table. */
export function burstGoal(run: BurstResult, sustained?: BurstResult): [string, string, boolean, string] {
  const machine =
    run.idleSeconds > 1
      ? `; Twilio's queue sat empty ${run.idleSeconds.toFixed(0)} s because this machine's senders fell behind` +
        (sustained
          ? ` (at ${sustained.messagesPerSecond} a second, which they keep up with: ${(sustained.efficiency * 100).toFixed(1)} %)`
          : '')
      : '';
  return [
    "burst: the last text leaves Twilio's queue within 97 % of the N-MPS ideal, 0 lost, 0 duplicated, 0 inside quiet hours",
    `${(run.efficiency * 100).toFixed(1)} %, ${run.lost} lost, ${run.duplicated} duplicated, ${run.insideQuietHours} inside quiet hours`,
    run.efficiency >= BURST_GOAL && run.lost === 0 && run.duplicated === 0 && run.insideQuietHours === 0,
    `the senders hand Twilio its rate with a lead of 10 s (TWILIO_QUEUE_LEAD_SECONDS), so its queue never runs dry while the senders keep up${machine}`,
  ];
}

// `npx tsx bench/burst.ts [members] [messagesPerSecond] [sesMessagesPerSecond]` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const [members = '10000', mps = '50', ses = '14'] = process.argv.slice(2);
  console.log(
    await burst({
      members: Number(members),
      messagesPerSecond: Number(mps),
      sesMessagesPerSecond: Number(ses),
    }),
  );
}
