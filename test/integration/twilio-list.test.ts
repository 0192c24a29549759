import twilioPackage from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTwilioApi } from '#local/twilio-api.js';
import { twilioPackageTransport } from '#local/twilio-package-transport.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { fetchTransport, TWILIO_CLOCK_SKEW_SECONDS, TwilioSms } from '#shared/adapters/twilio-sms.js';

const ACCOUNT_SID = `AC${'0'.repeat(31)}7`;
const FROM = '+15005550006';
const ADA = '+12125550101';
const BEN = '+12125550102';
const NINE = new Date('2026-11-26T14:00:00.000Z');

describe("the local Twilio API lists Messages as Twilio does, and the adapter's look-up reads it", () => {
  const clock = new VirtualClock(NINE);
  const api = new LocalTwilioApi({ accountSid: ACCOUNT_SID, authToken: 'token', clock });
  let base = '';
  const sms = (transport = fetchTransport(), from = FROM) =>
    new TwilioSms({ accountSid: ACCOUNT_SID, authToken: 'token', from, apiBaseUrl: base, transport });
  const at = (seconds: number) => clock.set(new Date(NINE.getTime() + seconds * 1000));

  beforeAll(async () => {
    base = `http://127.0.0.1:${await api.listen(0)}`;
    // Prepare: Ada gets three texts a minute apart, Ben one; a reply from a Messaging Service to Ada.
    for (const [seconds, to, body] of [
      [0, ADA, 'first'],
      [60, BEN, 'first'],
      [120, ADA, 'second'],
      [180, ADA, 'third'],
    ] as const) {
      at(seconds);
      await sms().send({ to, body });
    }
    at(240);
    await sms(fetchTransport(), `MG${'1'.repeat(32)}`).send({ to: ADA, body: 'from the service' });
  });
  afterAll(() => api.close());

  it('filters by To and From, newest first, in pages with Twilio’s paging fields, read by the twilio package', async () => {
    // Prepare
    const client = twilioPackage(ACCOUNT_SID, 'token');
    client.api.baseUrl = base;

    // Act
    const listed = await client.messages.list({ to: ADA, from: FROM, limit: 10 });
    const page = await client.messages.page({ to: ADA, from: FROM, pageSize: 2 });
    const next = await page.nextPage();

    // Assess
    expect(listed.map(({ body }) => body)).toEqual(['third', 'second', 'first']);
    expect(listed[0]).toMatchObject({
      to: ADA,
      from: FROM,
      direction: 'outbound-api',
      status: 'delivered',
      dateCreated: new Date(NINE.getTime() + 180_000),
      accountSid: ACCOUNT_SID,
    });
    expect(page.instances.map(({ body }) => body)).toEqual(['third', 'second']);
    expect(next?.instances.map(({ body }) => body)).toEqual(['first']);
    expect(api.lists.filter((list) => list.to === ADA)).toHaveLength(3);
  });

  it('filters by DateSent (a day, on or before, on or after) as Twilio does', async () => {
    const client = twilioPackage(ACCOUNT_SID, 'token');
    client.api.baseUrl = base;

    const after = await client.messages.list({
      to: ADA,
      from: FROM,
      dateSentAfter: new Date(NINE.getTime() + 120_000),
    });
    const before = await client.messages.list({
      from: FROM,
      dateSentBefore: new Date(NINE.getTime() + 60_000),
    });

    expect(after.map(({ body }) => body)).toEqual(['third', 'second']);
    expect(before.map(({ to, body }) => `${to} ${body}`)).toEqual([`${BEN} first`, `${ADA} first`]);
  });

  it.each([
    ['fetch (Lambda)', fetchTransport],
    ['twilio RequestClient (local stack)', twilioPackageTransport],
  ])(
    '%s: findSent finds a text sent since the time given, less the skew allowed, and nothing older',
    async (_, transport) => {
      const sent = api.messages.find((message) => message.to === ADA && message.body === 'second');
      const second = { to: ADA, body: 'second' };

      const since = new Date(NINE.getTime() + 120_000 + TWILIO_CLOCK_SKEW_SECONDS * 1000);
      expect(await sms(transport()).findSent({ ...second, since })).toEqual({ sid: sent?.sid });
      expect(
        await sms(transport()).findSent({ ...second, since: new Date(since.getTime() + 1000) }),
      ).toBeUndefined();
      expect(await sms(transport()).findSent({ to: BEN, body: 'second', since: NINE })).toBeUndefined();
      // From a Messaging Service: the list by To, the service's texts alone.
      const service = sms(transport(), `MG${'1'.repeat(32)}`);
      expect(await service.findSent({ to: ADA, body: 'from the service', since: NINE })).toBeDefined();
      expect(await service.findSent({ to: ADA, body: 'second', since: NINE })).toBeUndefined();
    },
  );
});
