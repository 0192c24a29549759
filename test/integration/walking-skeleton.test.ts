import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

describe('walking skeleton over the local HTTP surface', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let partnershipId = '';

  beforeAll(async () => {
    stack = await startTestStack('2026-10-05T12:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('enrolls a pair and texts each an invitation that asks for YES and says how to opt out', async () => {
    const response = await stack.enroll({ members: [ADA, BEN] });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string };
    partnershipId = created.id;
    const { sms } = await stack.outbox();
    expect(sms.map((message) => message.to).sort()).toEqual([ADA.phone, BEN.phone].sort());
    for (const invitation of sms) {
      expect(invitation.body).toMatch(/reply YES/i);
      expect(invitation.body).toMatch(/STOP/);
    }
    const view = await stack.partnership(partnershipId);
    expect(view.members.map((member) => member.status)).toEqual(['invited', 'invited']);
  });

  it('activates both members when they reply YES, signed as Twilio signs', async () => {
    const first = await stack.text(ADA.phone, 'Yes!');
    expect(first.status).toBe(200);
    expect(first.body).toContain('<Message>');
    const second = await stack.text(BEN.phone, 'yes');
    expect(second.status).toBe(200);
    const view = await stack.partnership(partnershipId);
    expect(view.members.map((member) => member.status)).toEqual(['active', 'active']);
  });

  it('sends each member a check-in at their own local time, mentioning their goal', async () => {
    const advanced = await stack.advance({ minutes: 2 * 24 * 60 });
    expect(advanced.now).toBe('2026-10-07T12:00:00.000Z');
    const { sms } = await stack.outbox();
    const checkIns = (phone: string) =>
      sms.filter((message) => message.to === phone && /still on track|^Day 1 of 14/i.test(message.body));
    // 08:30 in New York (EDT, UTC-4) and 19:00 in London (BST, UTC+1) on the day after joining.
    expect(checkIns(ADA.phone).map((message) => message.at)).toEqual(['2026-10-06T12:30:00.000Z']);
    expect(checkIns(BEN.phone).map((message) => message.at)).toEqual(['2026-10-06T18:00:00.000Z']);
    expect(checkIns(ADA.phone)[0]?.body).toContain(ADA.goal);
    expect(checkIns(BEN.phone)[0]?.body).toContain(BEN.goal);
    const view = await stack.partnership(partnershipId);
    expect(view.members.map((member) => member.checkIns)).toEqual([
      [{ localDate: '2026-10-06', status: 'sent', sentAt: '2026-10-06T12:30:00.000Z' }],
      [{ localDate: '2026-10-06', status: 'sent', sentAt: '2026-10-06T18:00:00.000Z' }],
    ]);
  });

  it('spends grace tokens down to zero and kindly refuses a third', async () => {
    const first = await stack.text(ADA.phone, 'grace');
    expect(first.body).toMatch(/1 grace left/);
    expect((await stack.partnership(partnershipId)).members[0]?.graceTokensLeft).toBe(1);
    const second = await stack.text(ADA.phone, 'GRACE');
    expect(second.body).toMatch(/0 grace left/);
    expect((await stack.partnership(partnershipId)).members[0]?.graceTokensLeft).toBe(0);
    const third = await stack.text(ADA.phone, 'grace please');
    expect(third.body).toMatch(/okay/i);
    expect(third.body).toMatch(/used up/);
    const view = await stack.partnership(partnershipId);
    expect(view.members[0]?.graceTokensLeft).toBe(0);
    expect(view.members[0]?.checkIns[0]?.status).toBe('grace');
  });

  it('records an on-track reply against the open check-in', async () => {
    const reply = await stack.text(BEN.phone, 'yep 👍');
    expect(reply.status).toBe(200);
    const view = await stack.partnership(partnershipId);
    expect(view.members[1]?.checkIns[0]?.status).toBe('on_track');
  });

  it('applies the same MessageSid once, however often Twilio delivers it', async () => {
    const messageSid = 'SMduplicate0000000000000000000001';
    const first = await stack.text(BEN.phone, 'grace', { messageSid });
    const second = await stack.text(BEN.phone, 'grace', { messageSid });
    expect(first.body).toMatch(/1 grace left/);
    expect(second.status).toBe(200);
    expect(second.body).not.toContain('<Message>');
    expect((await stack.partnership(partnershipId)).members[1]?.graceTokensLeft).toBe(1);
    const replies = (await stack.outbox()).sms.filter(
      (message) => message.to === BEN.phone && /grace left/.test(message.body),
    );
    expect(replies).toHaveLength(1);
  });

  it('rejects a forged or missing signature with 403 and changes nothing', async () => {
    const forged = await stack.text(BEN.phone, 'grace', { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' });
    expect(forged.status).toBe(403);
    const missing = await stack.text(BEN.phone, 'grace', { signature: null });
    expect(missing.status).toBe(403);
    expect((await stack.partnership(partnershipId)).members[1]?.graceTokensLeft).toBe(1);
  });

  it('answers a signed webhook without a MessageSid with 400 naming the field', async () => {
    const response = await stack.text(BEN.phone, 'yes', { messageSid: '' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).issues.map((issue: { path: string }) => issue.path)).toEqual([
      'MessageSid',
    ]);
  });

  it('names every bad field with 400', async () => {
    const response = await stack.enroll({
      members: [
        { ...ADA, timezone: 'Mars/Olympus_Mons' },
        { ...BEN, phone: '555-0100' },
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: string;
      issues: Array<{ path: string; message: string }>;
    };
    expect(body.issues.map((issue) => issue.path).sort()).toEqual(['members.0.timezone', 'members.1.phone']);
  });

  it('refuses enrollment without a valid API key with 401', async () => {
    expect((await stack.enroll({ members: [ADA, BEN] }, null)).status).toBe(401);
    expect((await stack.enroll({ members: [ADA, BEN] }, 'wrong-key')).status).toBe(401);
  });
});
