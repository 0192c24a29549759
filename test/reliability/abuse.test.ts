import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchHandler } from '#functions/dispatch.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { limits } from '#shared/domain/limits.js';
import type { Member } from '#shared/domain/partnership.js';
import { textMember } from '#shared/use-cases/safety-valves.js';
import { functionEntries, metafileOf } from '../support/bundles.js';
import { startTestServers } from '../support/embedded-servers.js';
import { API_KEY, startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';
import { figure } from './figures.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

/** n distinct valid New York numbers. */
const phones = (n: number, from: number) =>
  Array.from({ length: n }, (_, index) => `+1212555${String(from + index).padStart(4, '0')}`);

describe('abuse', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack('2026-11-24T14:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('enrolls only with the API key', async () => {
    const statuses = [
      (await stack.enroll({ members: [ADA, BEN] }, null)).status,
      (await stack.enroll({ members: [ADA, BEN] }, 'wrong-key')).status,
      (await stack.enroll({ members: [ADA, BEN] }, `${API_KEY}x`)).status,
    ];
    figure(
      'Abuse',
      'enrollments without a valid API key refused (401)',
      `${statuses.filter((s) => s === 401).length}/3`,
    );
    expect(statuses).toEqual([401, 401, 401]);
  });

  it('caps members per partnership', async () => {
    const members = phones(9, 300).map((phone, index) => ({ ...ADA, name: `M${index}`, phone }));
    const response = await stack.enroll({ members });
    figure('Abuse', 'partnership of 9 refused', response.status);
    expect(response.status).toBe(400);
  });

  it(`rate limits enrollment per key: ${limits.enrollmentsPerKeyPerMinute} a minute, even when they arrive at once`, async () => {
    // Prepare: five more than the limit, all in the same fresh (virtual) minute, concurrently.
    await stack.advance({ minutes: 1 });
    const count = limits.enrollmentsPerKeyPerMinute + 5;
    const numbers = phones(count * 2, 400);

    // Act
    const responses = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        stack.enroll({
          members: [
            { ...ADA, phone: numbers[index * 2] },
            { ...BEN, phone: numbers[index * 2 + 1] },
          ],
        }),
      ),
    );

    // Assess
    const accepted = responses.filter((response) => response.status === 201).length;
    const limited = responses.filter((response) => response.status === 429);
    figure('Abuse', `enrollments accepted of ${count} in one minute`, accepted);
    expect(accepted).toBe(limits.enrollmentsPerKeyPerMinute);
    expect(limited).toHaveLength(5);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The next minute, enrollment works again.
    await stack.advance({ minutes: 1 });
    expect(
      (
        await stack.enroll({
          members: [
            { ...ADA, phone: '+12125559001' },
            { ...BEN, phone: '+12125559002' },
          ],
        })
      ).status,
    ).toBe(201);
  });

  it('signs, scopes and expires email links', async () => {
    // Prepare
    await stack.advance({ minutes: 1 });
    const enrolled = await stack.enroll({
      members: [
        { ...ADA, phone: '+12125559011', email: 'ada.abuse@example.com' },
        { ...BEN, phone: '+12125559012' },
      ],
    });
    expect(enrolled.status).toBe(201);
    const invitation = (await stack.outbox()).email.find((email) => email.to === 'ada.abuse@example.com');
    const unsubscribe = invitation?.headers['List-Unsubscribe']?.slice(1, -1) ?? '';
    const token = new URL(unsubscribe).searchParams.get('token') ?? '';

    // Act
    const wrongScope = await stack.open(`${stack.url}/email/action?token=${token}`, 'POST');
    const tampered = await stack.open(`${stack.url}/email/unsubscribe?token=${token.slice(0, -2)}xx`, 'POST');
    const missing = await stack.open(`${stack.url}/email/unsubscribe`, 'POST');
    await stack.advance({ minutes: 366 * 24 * 60 });
    const expired = await stack.open(unsubscribe, 'POST');

    // Assess
    const statuses = [wrongScope.status, tampered.status, missing.status, expired.status];
    figure(
      'Abuse',
      'misused link tokens refused (wrong scope, tampered, missing, expired)',
      `${statuses.filter((s) => s >= 400).length}/4`,
    );
    expect(statuses).toEqual([400, 400, 400, 410]);
  });
});

describe('the daily text cap (a safety valve against loops and SMS pumping)', () => {
  // The person-level cap on texts others cause (issue 18) is the tighter of the two for notifications.
  const cap = Math.min(limits.textsPerMemberPerDay, limits.unpromptedTextsPerPersonPerDay);
  it(`sends one member at most ${cap} texts others cause a day, whatever is scheduled`, async () => {
    // Prepare: a runaway of 30 notifications for the same member on the same day.
    const clock = new VirtualClock(new Date('2026-11-24T15:00:00Z'));
    const servers = await startTestServers({ name: 'cap', clock, twilioAuthToken: 'token' });
    const member: Member = {
      ...ADA,
      id: 'm1',
      partnershipId: 'pcap00000001',
      status: 'active',
      cadence: 'daily',
      checkInBy: 'sms',
    };
    await servers.store.createPartnership(
      {
        id: member.partnershipId,
        createdAt: clock.now().toISOString(),
        graceTokensPerMonth: 2,
        channels: ['sms'],
      },
      [member, { ...member, id: 'm2', name: 'Ben', phone: BEN.phone }],
    );
    const handler = createDispatchHandler(async () => ({ ...servers, clock }));

    // Act
    for (let index = 0; index < 30; index++) {
      await handler({
        version: 1,
        kind: 'notify',
        partnershipId: member.partnershipId,
        memberId: member.id,
        scheduleName: `nt-loop-${index}`,
        scheduledTime: clock.now().toISOString(),
        template: 'winShare',
        values: { partner: 'Ben', win: `win number ${index}` },
      });
    }
    const sent = servers.twilioApi.messages.filter((sms) => sms.to === ADA.phone).length;
    // The next local day, texts flow again.
    clock.set(new Date('2026-11-25T15:00:00Z'));
    await handler({
      version: 1,
      kind: 'notify',
      partnershipId: member.partnershipId,
      memberId: member.id,
      scheduleName: 'nt-next-day',
      scheduledTime: clock.now().toISOString(),
      template: 'winShare',
      values: { partner: 'Ben', win: 'a new day' },
    });
    await servers.close();

    // Assess
    figure('Abuse', 'texts delivered of 30 scheduled for one member in one day', sent);
    expect(sent).toBe(cap);
    expect(servers.twilioApi.messages.filter((sms) => sms.to === ADA.phone)).toHaveLength(sent + 1);
  });
});

describe('the daily text cap and failed sends', () => {
  it('does not count a send that failed against the day’s texts', async () => {
    // Prepare: a provider that refuses 20 times in a row, then accepts.
    const clock = new VirtualClock(new Date('2026-11-24T15:00:00Z'));
    const servers = await startTestServers({ name: 'cap-retry', clock, twilioAuthToken: 'token' });
    let attempts = 0;
    const flaky = {
      send: async () => {
        attempts += 1;
        if (attempts <= 20) throw new Error('Twilio 500');
        return { sid: 'SM1' };
      },
      // Every failure above is a refusal: nothing was sent before.
      findSent: async () => undefined,
    };
    const member = { partnershipId: 'pcapretry001', id: 'm1', phone: ADA.phone, timezone: ADA.timezone };

    // Act: every failure is retried, as the queue would.
    let sent = false;
    for (let delivery = 0; delivery < 30 && !sent; delivery++) {
      try {
        sent = await textMember({ store: servers.store, sms: flaky }, member, 'Still on track?', clock.now());
      } catch {
        // retried
      }
    }
    const more = await textMember({ store: servers.store, sms: flaky }, member, 'Partner news', clock.now());
    await servers.close();

    // Assess
    figure(
      'Abuse',
      'text delivered after 20 failed sends in one day (failures do not use the cap)',
      sent ? 'yes' : 'no',
    );
    expect(sent).toBe(true);
    expect(more).toBe(true);
  });
});

describe('what the AWS build contains', () => {
  it('bundles no local stack, simulator or /local route into any function', async () => {
    // Act
    const carrying: string[] = [];
    for (const entry of functionEntries) {
      const inputs = Object.keys((await metafileOf(entry)).inputs);
      if (inputs.some((input) => input.startsWith('local/') || input.includes('/local/')))
        carrying.push(entry);
    }

    // Assess
    figure(
      'Abuse',
      'function bundles carrying local/ or the simulator',
      `${carrying.length}/${functionEntries.length}`,
    );
    expect(carrying).toEqual([]);
  });
});
