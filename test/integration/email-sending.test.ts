import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';

describe('sending email through SES v2 (aws-ses-v2-local)', () => {
  let servers: TestServers;
  const clock = new VirtualClock(new Date('2026-10-06T12:30:00Z'));

  beforeEach(async () => {
    servers = await startTestServers({ name: 'email', clock, twilioAuthToken: 'token' });
  });
  afterEach(async () => {
    await servers.close();
  });

  it('sends subject, both parts, Reply-To and the one-click unsubscribe headers, and remembers the virtual time', async () => {
    const sent = await servers.email.send({
      to: 'ada@example.org',
      subject: 'Day 1: your charter',
      html: '<p>Hello Ada</p>',
      text: 'Hello Ada',
      replyTo: 'reply+abc123@in.soft-partner.local',
      headers: {
        'List-Unsubscribe': '<https://soft-partner.local/unsubscribe/tok>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      tags: { template: 'day1', partnership: 'p0000000000a' },
    });
    const store = (await (await fetch(`http://127.0.0.1:${servers.ports.ses}/store`)).json()) as {
      emails: Array<{
        messageId: string;
        destination: { to: string[] };
        replyTo: string[];
        subject: string;
        body: { html: string; text: string };
        headers: Array<{ name: string; value: string }>;
      }>;
    };
    const email = store.emails.find((candidate) => candidate.messageId === sent.messageId);
    expect(email).toMatchObject({
      destination: { to: ['ada@example.org'] },
      replyTo: ['reply+abc123@in.soft-partner.local'],
      subject: 'Day 1: your charter',
      body: { html: '<p>Hello Ada</p>', text: 'Hello Ada' },
    });
    expect(email?.headers).toEqual([
      { name: 'List-Unsubscribe', value: '<https://soft-partner.local/unsubscribe/tok>' },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
    expect(servers.email.sentAt.get(sent.messageId)).toBe('2026-10-06T12:30:00.000Z');
  });
});
