import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';

const ADA = {
  name: 'Ada',
  phone: '+12125550171',
  timezone: 'America/New_York',
  checkInTime: '08:30',
  goal: 'write 300 words',
  email: 'ada.parity@example.com',
};
const BEN = {
  name: 'Ben',
  phone: '+447911123471',
  timezone: 'Europe/London',
  checkInTime: '08:00',
  goal: 'run',
};

describe('local parity: what a route makes due now goes out before the route answers', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;

  beforeAll(async () => {
    // Prepare: a pair joins on 2 November and the clock runs to the afternoon of Day 14.
    stack = await startTestStack('2026-11-02T14:00:00Z');
    await stack.enroll({ members: [ADA, BEN] });
    await stack.text(ADA.phone, 'yes');
    await stack.text(BEN.phone, 'yes');
    await stack.advance({ to: '2026-11-16T14:00:00Z' });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('confirms a choice made with an email button by the time the button’s page is answered', async () => {
    // Prepare
    const review = (await stack.outbox()).email.find(
      (email) => email.to === ADA.email && email.subject.startsWith('Day 14'),
    );
    const link = review?.text.match(/Continue: (\S+)/)?.[1] ?? '';
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);

    // Act: no clock advance after the press.
    const pressed = await stack.open(link, 'POST');
    const confirmations = (await stack.outbox()).email.filter(
      (email) => email.to === ADA.email && email.subject.startsWith('Noted, Ada: you chose to continue'),
    );

    // Assess
    expect(pressed.status).toBe(200);
    expect(confirmations).toHaveLength(1);
  });
});
