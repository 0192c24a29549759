import { describe, expect, it } from 'vitest';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import { sesEventSchema } from '#shared/schemas/ses-events.js';
import { handleEmailEvent } from '#shared/use-cases/handle-email-event.js';
import { ADA, BEN } from '../support/members.js';
import { memoryStore } from '../support/memory-store.js';

const NOW = new Date('2026-11-25T14:00:00Z');
const ADA_EMAIL = 'Ada@Example.com';

/** Ada (with an email address) and Ben, active, in the in-memory store; no server. */
async function pair() {
  const store = memoryStore();
  const partnership: Partnership = { id: 'p1', createdAt: '2026-11-24T14:00:00Z', graceTokensPerMonth: 2 };
  const member = (id: string, input: typeof ADA, email?: string): Member => ({
    ...input,
    id,
    partnershipId: 'p1',
    status: 'active',
    cadence: 'daily',
    checkInBy: 'sms',
    ...(email ? { email } : {}),
  });
  await store.createPartnership(partnership, [member('m1', ADA, ADA_EMAIL), member('m2', BEN)]);
  const deps = { store, clock: { now: () => NOW } };
  const ada = async () => (await store.getPartnership('p1'))?.members.find((each) => each.id === 'm1');
  return { store, deps, ada };
}

const event = (eventType: string, extra: Record<string, unknown> = {}, member = 'm1') =>
  sesEventSchema.parse({
    eventType,
    mail: { messageId: `ses-${eventType}`, tags: { partnership: ['p1'], member: [member] } },
    ...extra,
  });

describe('handleEmailEvent (in memory: the logic, not the storage)', () => {
  it('turns email off on a permanent bounce, once, and records it in the history once', async () => {
    // Prepare
    const { store, deps, ada } = await pair();

    // Act
    const first = await handleEmailEvent(deps, event('Bounce', { bounce: { bounceType: 'Permanent' } }));
    const again = await handleEmailEvent(deps, event('Bounce', { bounce: { bounceType: 'Permanent' } }));

    // Assess
    expect([first, again]).toEqual(['email_off', 'already_off']);
    expect((await ada())?.emailStatus).toBe('bounced');
    expect((await ada())?.status).toBe('active');
    expect((await store.history('p1')).events).toEqual([
      { memberId: 'm1', kind: 'email_bounced', at: NOW.toISOString(), data: { sesMessageId: 'ses-Bounce' } },
    ]);
    expect(await store.getPerson('email', 'ada@example.com')).toBeUndefined();
  });

  it('ignores a soft bounce, a delivery and an event without our tags', async () => {
    const { deps, ada } = await pair();
    const untagged = sesEventSchema.parse({ eventType: 'Complaint', mail: { messageId: 'ses-x' } });

    const outcomes = [
      await handleEmailEvent(deps, event('Bounce', { bounce: { bounceType: 'Transient' } })),
      await handleEmailEvent(deps, event('Delivery')),
      await handleEmailEvent(deps, untagged),
    ];

    expect(outcomes).toEqual(['ignored', 'ignored', 'not_ours']);
    expect((await ada())?.emailStatus).toBeUndefined();
  });

  it('takes a complaint as an opt-out of the address everywhere, by its lower-case form', async () => {
    // Prepare
    const { store, deps, ada } = await pair();

    // Act
    const outcome = await handleEmailEvent(deps, event('Complaint'));
    const redelivered = await handleEmailEvent(deps, event('Complaint'));

    // Assess
    expect([outcome, redelivered]).toEqual(['email_off', 'already_off']);
    expect((await ada())?.emailStatus).toBe('complained');
    expect(await store.getPerson('email', 'ada@example.com')).toMatchObject({
      suppressed: true,
      suppressedBy: 'email_complaint',
    });
    expect((await store.history('p1')).events.map((each) => each.kind)).toEqual(['email_complained']);
  });

  it('takes a complaint after a bounce as the newer news: complained, and the address suppressed', async () => {
    const { store, deps, ada } = await pair();
    await handleEmailEvent(deps, event('Bounce', { bounce: { bounceType: 'Permanent' } }));

    const outcome = await handleEmailEvent(deps, event('Complaint'));

    expect(outcome).toBe('email_off');
    expect((await ada())?.emailStatus).toBe('complained');
    expect((await store.getPerson('email', 'ada@example.com'))?.suppressed).toBe(true);
  });
});
