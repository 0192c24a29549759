import { expect, it } from 'vitest';
import type { Member, Partnership } from '#shared/domain/partnership.js';
import type { SendClaimPort, StorePort } from '#shared/domain/ports.js';

/**
 * What use cases rely on from any StorePort, as tests to run against each implementation: the in-memory
 * fakes (test/unit/memory-store.test.ts) and DynamoDbStore on DynamoDB Local
 * (test/integration/dynamodb-store-contract.test.ts). When the two disagree, one of these fails.
 * Every test works in partnerships of its own, so one store can serve them all.
 */
export function storeContract(store: () => StorePort & SendClaimPort) {
  let next = 0;
  const fresh = () => {
    next += 1;
    return `contract-${Date.now().toString(36)}-${next}`;
  };
  const T0 = new Date('2026-11-25T14:00:00Z');
  const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

  async function pair() {
    const id = fresh();
    const partnership: Partnership = { id, createdAt: T0.toISOString(), graceTokensPerMonth: 2 };
    const member = (memberId: string, phone: string): Member => ({
      id: memberId,
      partnershipId: id,
      status: 'active',
      name: memberId,
      phone,
      timezone: 'America/New_York',
      checkInTime: '08:30',
      goal: 'write',
      cadence: 'daily',
      checkInBy: 'sms',
    });
    await store().createPartnership(partnership, [
      member('m2', '+12125559002'),
      member('m1', '+12125559001'),
    ]);
    return id;
  }

  it('reads a partnership back with its members in member-id order, and starts it once', async () => {
    const id = await pair();

    const found = await store().getPartnership(id);
    const started = [
      await store().markPartnershipStarted(id, T0),
      await store().markPartnershipStarted(id, T0),
    ];

    expect(found?.members.map((member) => member.id)).toEqual(['m1', 'm2']);
    expect(started).toEqual([true, false]);
    expect((await store().getPartnership(id))?.partnership.startedAt).toBe(T0.toISOString());
    expect(await store().getPartnership(fresh())).toBeUndefined();
  });

  it('spends grace tokens up to the allowance and never past it', async () => {
    const id = await pair();

    const spent = [];
    for (let n = 0; n < 3; n++) spent.push(await store().spendGraceToken(id, 'm1', '2026-11', 2));

    expect(spent).toEqual([1, 0, undefined]);
    expect(await store().graceSpent(id, 'm1', '2026-11')).toBe(2);
    expect(await store().spendGraceToken(id, 'm1', '2026-12', 0)).toBeUndefined();
    expect(await store().graceSpent(id, 'm1', '2026-12')).toBe(0);
  });

  it('records a check-in once, answers it, and gives the latest by local date', async () => {
    const id = await pair();
    const checkIn = (localDate: string) => ({
      partnershipId: id,
      memberId: 'm1',
      localDate,
      status: 'sent' as const,
      sentAt: T0.toISOString(),
    });

    const recorded = [
      await store().recordCheckInSent(checkIn('2026-11-25')),
      await store().recordCheckInSent(checkIn('2026-11-25')),
      await store().recordCheckInSent(checkIn('2026-11-24')),
    ];
    await store().answerCheckIn(id, 'm1', '2026-11-25', 'grace', later(60));

    expect(recorded).toEqual([true, false, true]);
    expect(await store().latestCheckIn(id, 'm1')).toMatchObject({ localDate: '2026-11-25', status: 'grace' });
    expect(await store().checkInOn(id, 'm2', '2026-11-25')).toBeUndefined();
  });

  it('takes a quota up to its limit, and gives a unit back never below zero', async () => {
    const quota = fresh();
    const until = later(86_400);

    const taken = [
      await store().takeQuota(quota, 2, until),
      await store().takeQuota(quota, 2, until),
      await store().takeQuota(quota, 2, until),
    ];
    await store().returnQuota(quota);
    const afterReturn = await store().takeQuota(quota, 2, until);
    const empty = fresh();
    await store().returnQuota(empty);

    expect(taken).toEqual([true, true, false]);
    expect(afterReturn).toBe(true);
    expect(await store().takeQuota(empty, 1, until)).toBe(true);
    expect(await store().takeQuota(empty, 1, until)).toBe(false);
  });

  it('claims a key once; a lease that ran out may be taken over; a completed one never', async () => {
    const key = fresh();

    const first = await store().claim(key, T0, 30);
    const meanwhile = await store().claim(key, later(10), 30);
    const afterLease = await store().claim(key, later(31), 30);
    await store().completeClaim(key, later(32));
    const done = await store().claim(key, later(999), 30);
    const released = fresh();
    await store().claim(released, T0, 30);
    await store().releaseClaim(released);

    expect([first, meanwhile, afterLease, done]).toEqual([
      'claimed',
      'in_progress',
      'claimed',
      'already_done',
    ]);
    expect(await store().claim(released, T0, 30)).toBe('claimed');
  });

  it("claims a send once, and says when it takes over an earlier attempt's claim and since when", async () => {
    const key = fresh();

    const first = await store().claimSend(key, T0, 30);
    const meanwhile = await store().claimSend(key, later(10), 30);
    const afterLease = await store().claimSend(key, later(31), 30);
    await store().releaseSend(key);
    const afterRelease = await store().claimSend(key, later(40), 30);
    await store().completeClaim(key, later(41));
    const done = await store().claimSend(key, later(999), 30);

    expect([first, meanwhile, done]).toEqual([
      { claim: 'claimed' },
      { claim: 'in_progress' },
      { claim: 'already_done' },
    ]);
    // Each takeover names the first claim: the earliest an earlier attempt may have reached the provider.
    expect(afterLease).toEqual({ claim: 'claimed', takenOverSince: T0 });
    expect(afterRelease).toEqual({ claim: 'claimed', takenOverSince: T0 });
    // A released send's claim is not free: it is taken over, as one whose lease ran out.
    const released = fresh();
    await store().claimSend(released, T0, 30);
    await store().releaseSend(released);
    expect(await store().claimSend(released, later(1), 30)).toEqual({ claim: 'claimed', takenOverSince: T0 });
  });

  it('receives an inbound text once: in progress while leased, free once released, done once completed', async () => {
    const sid = `SM${fresh()}`;
    const record = {
      messageSid: sid,
      from: '+12125559001',
      to: '+15005550006',
      body: 'yes',
      receivedAt: T0.toISOString(),
      raw: {},
    };

    const first = await store().receiveInbound(record, T0, 30);
    const duplicate = await store().receiveInbound(record, later(1), 30);
    await store().releaseInbound(sid);
    const retaken = await store().receiveInbound(record, later(2), 30);
    await store().completeInbound(sid, { intent: 'on_track', memberId: 'm1' });
    const afterDone = await store().receiveInbound(record, later(999), 30);

    expect([first, duplicate, retaken, afterDone]).toEqual([
      'claimed',
      'in_progress',
      'claimed',
      'already_done',
    ]);
  });

  it('closes a pending confirmation once, and only the one asked at that time', async () => {
    const id = await pair();
    const pending = {
      intent: { kind: 'win' as const, text: 'ran 3 km' },
      askedAt: T0.toISOString(),
      expiresAt: later(3600).toISOString(),
    };
    await store().setPendingConfirmation(id, 'm1', pending);

    const wrong = await store().takePendingConfirmation(id, 'm1', later(1).toISOString());
    const right = await store().takePendingConfirmation(id, 'm1', T0.toISOString());
    const again = await store().takePendingConfirmation(id, 'm1', T0.toISOString());

    expect([wrong, right, again]).toEqual([false, true, false]);
  });

  it('pauses and resumes a member only from the status each expects', async () => {
    const id = await pair();
    await store().pauseMember(id, 'm1', '2026-12-01', T0);

    const wrongDate = await store().resumeMember(id, 'm1', later(1), '2026-12-02');
    const resumed = await store().resumeMember(id, 'm1', later(2), '2026-12-01');
    const notPaused = await store().resumeMember(id, 'm1', later(3));

    expect([wrongDate, resumed, notPaused]).toEqual([false, true, false]);
    const member = (await store().getPartnership(id))?.members.find((each) => each.id === 'm1');
    expect(member?.status).toBe('active');
    expect(member?.pausedUntil).toBeUndefined();
  });

  it('sets an email status once and clears it only from the statuses named', async () => {
    const id = await pair();

    const set = [
      await store().setEmailStatus(id, 'm1', 'bounced', T0),
      await store().setEmailStatus(id, 'm1', 'bounced', T0),
    ];
    const cleared = [
      await store().clearEmailStatus(id, 'm1', ['unsubscribed'], T0),
      await store().clearEmailStatus(id, 'm1', [], T0),
      await store().clearEmailStatus(id, 'm1', ['unsubscribed', 'bounced'], T0),
    ];

    expect(set).toEqual([true, false]);
    expect(cleared).toEqual([false, false, true]);
  });

  it('opts a membership out from the status it had, and restores it', async () => {
    const id = await pair();

    const wrongBefore = await store().optOutMembership(id, 'm1', 'paused', T0);
    const out = await store().optOutMembership(id, 'm1', 'active', T0);
    const restored = [
      await store().restoreMembership(id, 'm1', 'active', T0),
      await store().restoreMembership(id, 'm1', 'active', T0),
    ];

    expect([wrongBefore, out]).toEqual([false, true]);
    expect(restored).toEqual([true, false]);
  });

  it('suppresses a person once, keeping the first path, and restores them once', async () => {
    const address = `${fresh()}@example.com`;

    const suppressed = [
      await store().suppressPerson('email', address, 'email_unsubscribe', T0),
      await store().suppressPerson('email', address, 'email_complaint', later(1)),
    ];
    const restored = [
      await store().restorePerson('email', address, T0),
      await store().restorePerson('email', address, T0),
    ];

    expect(suppressed).toEqual([true, false]);
    expect(restored).toEqual([true, false]);
    expect(await store().getPerson('email', address)).toMatchObject({
      suppressed: false,
      suppressedBy: 'email_unsubscribe',
    });
  });

  it('spaces news slots and keeps news until it is removed, oldest first', async () => {
    const id = await pair();
    const item = (at: string) => ({
      fromMemberId: 'm1',
      fromName: 'm1',
      kind: 'win' as const,
      at,
      text: 'a win',
    });

    const slots = [
      await store().reserveNewsSlot(id, 'm2', T0, 60),
      await store().reserveNewsSlot(id, 'm2', T0, 60),
      await store().reserveNewsSlot(id, 'm2', later(86_400), 60),
    ];
    await store().recordEvent(id, { memberId: 'm1', kind: 'win', at: later(2).toISOString() }, [
      { recipientId: 'm2', item: item(later(2).toISOString()) },
    ]);
    await store().recordEvent(id, { memberId: 'm1', kind: 'win', at: later(1).toISOString() }, [
      { recipientId: 'm2', item: item(later(1).toISOString()) },
    ]);
    const pending = await store().pendingNews(id, 'm2');
    await store().removeNews(id, 'm2', pending.slice(0, 1));

    expect(slots.map((slot) => slot.toISOString())).toEqual(
      [T0, later(3600), later(86_400)].map((at) => at.toISOString()),
    );
    expect(pending.map((news) => news.at)).toEqual([later(1), later(2)].map((at) => at.toISOString()));
    expect((await store().pendingNews(id, 'm2')).map((news) => news.at)).toEqual([later(2).toISOString()]);
    expect((await store().history(id)).events.map((event) => event.at)).toEqual(
      [later(1), later(2)].map((at) => at.toISOString()),
    );
  });
}
