import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { createDispatchHandler } from '../functions/dispatch.js';
import { createInboundSmsHandler } from '../functions/inbound-sms.js';
import { LOCAL_CREDENTIALS, LOCAL_TABLE_NAME, startEmbeddedServers } from '../local/stack.js';
import { VirtualClock } from '../local/virtual-clock.js';
import { createDocumentClient, DynamoDbStore } from '../shared/adapters/dynamodb-store.js';
import type { Member } from '../shared/domain/partnership.js';
import type { HttpEvent } from '../shared/runtime/http.js';
import { checkInStep } from '../shared/use-cases/schedule-check-in.js';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/**
 * Replies handled in process by the real webhook handler over the local DynamoDB API server, each
 * with a fresh member (so GRACE always has a token), timed and with their DynamoDB calls counted.
 */
export async function warmReplies(runs = 200) {
  const dataDir = mkdtempSync(join(tmpdir(), 'soft-partner-bench-db-'));
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));
  const servers = await startEmbeddedServers({ dataDir, clock, twilioAuthToken: 'token' });
  const db = createDocumentClient({
    endpoint: `http://127.0.0.1:${servers.ports.dynamodb}`,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
  });
  let calls = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      calls += 1;
      return next(args);
    },
    { step: 'initialize' },
  );
  const store = new DynamoDbStore(db, LOCAL_TABLE_NAME);
  const deps = { ...servers, store, clock, authToken: 'token', publicBaseUrl: 'https://bench.example' };
  const inbound = createInboundSmsHandler(async () => deps);
  const url = 'https://bench.example/webhooks/twilio/sms';

  const members: Member[] = [];
  for (let index = 0; index < runs; index++) {
    const member: Member = {
      id: 'm1',
      partnershipId: `pbench${String(index).padStart(6, '0')}`,
      name: 'Ada',
      phone: `+1212555${String(3000 + index).padStart(4, '0')}`,
      timezone: 'America/New_York',
      checkInTime: '08:30',
      goal: 'write',
      cadence: 'daily',
      checkInBy: 'sms',
      status: 'active',
    };
    await servers.store.createPartnership(
      {
        id: member.partnershipId,
        createdAt: '2026-11-20T14:00:00.000Z',
        startedAt: '2026-11-20T14:00:00.000Z',
        graceTokensPerMonth: 2,
        channels: ['sms'],
      },
      [
        member,
        { ...member, id: 'm2', name: 'Ben', phone: `+1212555${String(6000 + index).padStart(4, '0')}` },
      ],
    );
    await servers.store.recordCheckInSent({
      partnershipId: member.partnershipId,
      memberId: 'm1',
      localDate: '2026-11-25',
      status: 'sent',
      sentAt: '2026-11-25T13:30:00.000Z',
    });
    await servers.store.notePrompted(member, new Date('2026-11-25T13:30:00.000Z'));
    members.push(member);
  }

  const event = (member: Member, body: string, sid: string) => {
    const form = { MessageSid: sid, From: member.phone, To: '+15005550006', Body: body };
    return {
      version: '2.0',
      rawPath: '/webhooks/twilio/sms',
      headers: { 'x-twilio-signature': getExpectedTwilioSignature('token', url, form) },
      requestContext: { http: { method: 'POST', path: '/webhooks/twilio/sms' } },
      body: new URLSearchParams(form).toString(),
      isBase64Encoded: false,
    } as unknown as HttpEvent;
  };

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
      calls = 0;
      const started = performance.now();
      await inbound(event(member, body, sid));
      times.push(performance.now() - started);
      counts.push(calls);
    }
    const medianCalls = percentile(counts, 50);
    // The same number of raw DynamoDB calls, one after another, as the reference.
    const raw: number[] = [];
    for (let index = 0; index < Math.min(runs, 100); index++) {
      const started = performance.now();
      for (let call = 0; call < medianCalls; call++)
        await db.send(
          new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: { S: 'x' }, sk: { S: 'y' } } }),
        );
      raw.push(performance.now() - started);
    }
    replies.push({
      name,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      calls: medianCalls,
      rawP50: percentile(raw, 50),
    });
  }

  // A scheduled check-in for a fresh day.
  const dispatch = createDispatchHandler(async () => ({ ...servers, store, clock }));
  calls = 0;
  await dispatch(checkInStep(members[0] as Member, '2026-11-26'));
  const dispatchCalls = calls;

  await servers.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { replies, dispatchCalls };
}
