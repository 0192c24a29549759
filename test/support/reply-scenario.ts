import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { dynamoDbClientConfig, type startEmbeddedServers } from '#local/stack.js';
import { notePromptedWithSnapshot } from '#shared/adapters/dynamodb/send-turn.js';
import { DynamoDbSenderStore } from '#shared/adapters/dynamodb-sender-store.js';
import { createDocumentClient } from '#shared/adapters/dynamodb-store.js';
import type { Member } from '#shared/domain/partnership.js';
import type { HttpEvent } from '#shared/runtime/http.js';

type Servers = Awaited<ReturnType<typeof startEmbeddedServers>>;

export const SCENARIO_AUTH_TOKEN = 'token';
export const SCENARIO_PUBLIC_BASE_URL = 'https://bench.example';

/** A store on its own client to the local DynamoDB API server, counting every request it makes. */
export function countingStore(servers: Servers) {
  const db = createDocumentClient(dynamoDbClientConfig(servers.dynamoDb));
  const counter = { calls: 0, commands: [] as string[] };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      counter.calls += 1;
      counter.commands.push(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize' },
  );
  return { db, counter, store: new DynamoDbSenderStore(db, servers.dynamoDb.tableName) };
}

/**
 * A started pair (Ada, m1, and Ben) in New York whose Ada was sent today's check-in at 08:30 on
 * 25 Nov 2026 (the partnership started on 20 Nov), numbered `index` so that many can exist at once.
 */
export async function pairAwaitingReply(servers: Servers, index: number): Promise<Member> {
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
    [member, { ...member, id: 'm2', name: 'Ben', phone: `+1212555${String(6000 + index).padStart(4, '0')}` }],
  );
  await servers.store.recordCheckInSent({
    partnershipId: member.partnershipId,
    memberId: 'm1',
    localDate: '2026-11-25',
    status: 'sent',
    sentAt: '2026-11-25T13:30:00.000Z',
  });
  // As the check-in's step leaves it: prompted, with the phone's snapshot (send-turn.ts).
  await notePromptedWithSnapshot(servers.store, member, new Date('2026-11-25T13:30:00.000Z'));
  return member;
}

/** Twilio's signed webhook for a text from `member`, as API Gateway hands it to the function. */
export function inboundSmsEvent(member: Member, body: string, sid: string): HttpEvent {
  const url = `${SCENARIO_PUBLIC_BASE_URL}/webhooks/twilio/sms`;
  const form = { MessageSid: sid, From: member.phone, To: '+15005550006', Body: body };
  return {
    version: '2.0',
    rawPath: '/webhooks/twilio/sms',
    headers: { 'x-twilio-signature': getExpectedTwilioSignature(SCENARIO_AUTH_TOKEN, url, form) },
    requestContext: { http: { method: 'POST', path: '/webhooks/twilio/sms' } },
    body: new URLSearchParams(form).toString(),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}
