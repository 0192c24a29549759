import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.js';
import { textMember } from '#shared/use-cases/safety-valves.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';

describe('Twilio’s own opt-out (error 21610), as the local SMS API plays it', () => {
  let servers: TestServers;
  const clock = new VirtualClock(new Date('2026-11-25T14:00:00Z'));
  const ada = {
    partnershipId: 'poptout00001',
    id: 'm1',
    phone: '+12125550188',
    timezone: 'America/New_York',
  };

  beforeAll(async () => {
    servers = await startTestServers({ name: 'optout', clock, twilioAuthToken: 'token' });
  });
  afterAll(async () => {
    await servers.close();
  });

  it('refuses every send to a number that texted STOP, and the text is simply not sent (no retry)', async () => {
    // Prepare: Twilio sees "stop" before any webhook runs.
    servers.twilioApi.received(ada.phone, ' stop ');

    // Act
    const sent = await textMember(servers, ada, 'Still on track for writing today?', clock.now());

    // Assess
    expect(sent).toBe(false);
    expect(servers.twilioApi.attempts.filter((attempt) => attempt.to === ada.phone)).toEqual([
      expect.objectContaining({ status: 400 }),
    ]);
    expect(servers.twilioApi.messages.filter((message) => message.to === ada.phone)).toEqual([]);
  });

  it('sends again once the number texts START', async () => {
    servers.twilioApi.received(ada.phone, 'START');
    expect(await textMember(servers, ada, 'Welcome back', clock.now())).toBe(true);
    expect(servers.twilioApi.messages.filter((message) => message.to === ada.phone)).toHaveLength(1);
  });

  it('keeps other words as words: "stop by later" is not Twilio’s keyword', async () => {
    servers.twilioApi.received(ada.phone, 'stop by later');
    expect(await textMember(servers, ada, 'Noted', clock.now())).toBe(true);
  });
});
