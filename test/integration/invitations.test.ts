import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

describe('invitations that wait', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let id = '';

  beforeEach(async () => {
    stack = await startTestStack('2026-10-05T12:00:00Z');
    id = ((await (await stack.enroll({ members: [ADA, BEN] })).json()) as { id: string }).id;
    await stack.text(ADA.phone, 'yes');
  });
  afterEach(async () => {
    await stack.close();
  });

  it('after 7 days tells those who joined kindly, and never texts the invitee again', async () => {
    await stack.advance({ to: '2026-10-12T11:59:00Z' });
    expect((await stack.outbox()).sms.filter((message) => /hasn't joined yet/.test(message.body))).toEqual(
      [],
    );
    await stack.advance({ to: '2026-10-13T12:00:00Z' });
    const { sms } = await stack.outbox();
    const told = sms.filter((message) => /hasn't joined yet/.test(message.body));
    expect(told.map((message) => [message.to, message.body])).toEqual([
      [
        ADA.phone,
        "Ben hasn't joined yet, Ada. We won't text them again, but if they reply YES later, they're in.",
      ],
    ]);
    expect(sms.filter((message) => message.to === BEN.phone)).toHaveLength(1);
  });

  it('still lets a later YES join, and starts the check-ins', async () => {
    await stack.advance({ to: '2026-10-14T12:00:00Z' });
    expect((await stack.text(BEN.phone, 'yes')).body).toMatch(
      /Welcome aboard, Ben! Your daily check-ins start tomorrow/,
    );
    await stack.advance({ to: '2026-10-15T20:00:00Z' });
    const view = await stack.partnership(id);
    expect(view.members.map((member) => member.status)).toEqual(['active', 'active']);
    expect(view.members.map((member) => member.checkIns.map((checkIn) => checkIn.localDate))).toEqual([
      ['2026-10-15'],
      ['2026-10-15'],
    ]);
  });
});
