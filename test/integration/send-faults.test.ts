import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

// Addresses unique to this file: aws-ses-v2-local keeps one outbox per process.
const ADA_EMAIL = 'ada.send-faults@example.com';
const CLEO_EMAIL = 'cleo.send-faults@example.com';
const GWEN_EMAIL = 'gwen.send-faults@example.com';

/** Enrolls a pair and has both say YES: the partnership starts that day, Day 1 is the next. */
async function startedPair(stack: Stack, members: unknown[]): Promise<string> {
  const response = await stack.enroll({ members });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  for (const member of members as Array<{ phone: string }>) await stack.text(member.phone, 'YES');
  return id;
}

const isCharterLink = (body: string) => body.startsWith('Your one-page charter');

const apiTextsTo = async (stack: Stack, phone: string) =>
  (await stack.outbox()).sms.filter((sms) => sms.to === phone && sms.direction === 'outbound-api');

describe('POST /local/faults', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack('2026-10-05T12:00:00Z');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('takes a fault (201) that ends by the virtual clock, and DELETE ends them all', async () => {
    const created = await stack.fault({ service: 'sms', status: 503, minutes: 30 });
    expect(created).toMatchObject({
      status: 201,
      body: { service: 'sms', status: 503, code: 20503, until: '2026-10-05T12:30:00.000Z' },
    });
    expect(
      (
        await stack.fault({
          service: 'email',
          to: 'X@example.com',
          status: 400,
          code: 'MessageRejected',
          minutes: 60,
        })
      ).body,
    ).toMatchObject({ to: 'x@example.com', code: 'MessageRejected' });
    expect((await stack.faults()).faults).toHaveLength(2);

    await stack.advance({ minutes: 30 });
    expect((await stack.faults()).faults.map((fault) => fault.service)).toEqual(['email']);
    expect(await stack.clearFaults()).toBe(204);
    expect((await stack.faults()).faults).toEqual([]);
  });

  it.each([
    [{ service: 'fax', status: 503, minutes: 5 }, 'service'],
    [{ service: 'sms', status: 404, minutes: 5 }, 'status'],
    [{ service: 'sms', status: 400, minutes: 5 }, 'code'],
    [{ service: 'sms', status: 400, code: 'MessageRejected', minutes: 5 }, 'code'],
    [{ service: 'sms', to: '0207 946 0000', status: 503, minutes: 5 }, 'to'],
    [{ service: 'email', status: 429, code: 'MessageRejected', minutes: 5 }, 'status'],
    [{ service: 'email', status: 400, code: 'NoSuchError', minutes: 5 }, 'code'],
    [{ service: 'email', to: 'not-an-address', status: 503, minutes: 5 }, 'to'],
    [{ service: 'sms', status: 503, minutes: 0 }, 'minutes'],
    [{ service: 'sms', status: 503 }, 'minutes'],
  ])('refuses %j with a 400 naming %s', async (body, path) => {
    const answer = await stack.fault(body);
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });
});

describe('a permanent Twilio error (21614) for one member', () => {
  let stack: Stack;
  let id: string;
  const ada = async () => (await stack.partnership(id)).members[0];

  beforeAll(async () => {
    // Prepare: Ada (New York, 08:30, an address too) and Ben (London, 19:00) start on 5 October.
    stack = await startTestStack('2026-10-05T12:00:00Z');
    id = await startedPair(stack, [{ ...ADA, email: ADA_EMAIL }, BEN]);
    // Twilio refuses every text to Ada from now on: her number is a landline.
    expect(
      (await stack.fault({ service: 'sms', to: ADA.phone, status: 400, code: 21614, minutes: 14 * 1440 }))
        .status,
    ).toBe(201);

    // Act: three days (Day 1 to Day 3).
    await stack.advance({ to: '2026-10-09T00:00:00Z' });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('is recorded on the member, with the code and since when', async () => {
    expect(await ada()).toMatchObject({
      status: 'active',
      smsStatus: 'undeliverable',
      smsStatusReason: '21614',
      smsStatusSince: '2026-10-06T12:30:00.000Z',
    });
  });

  it('is never retried nor dead-lettered: Twilio is asked once per check-in, and the step goes on', async () => {
    const refused = (await stack.faults()).refusals.filter((refusal) => refusal.to === ADA.phone);
    expect(refused.map((refusal) => [refusal.status, refusal.code, refusal.at])).toEqual([
      [400, 21614, '2026-10-06T12:30:00.000Z'],
      [400, 21614, '2026-10-07T12:30:00.000Z'],
      [400, 21614, '2026-10-08T12:30:00.000Z'],
    ]);
    expect((await stack.deadLetters()).deadLetters).toEqual([]);
    expect(await apiTextsTo(stack, ADA.phone)).toHaveLength(1); // the invitation, before the fault
  });

  it('carries on by email: the Day-1 email, then every check-in', async () => {
    const emails = (await stack.outbox()).email.filter((email) => email.to === ADA_EMAIL);
    expect(emails.map((email) => email.at)).toEqual([
      '2026-10-05T12:00:00.000Z', // the invitation
      '2026-10-06T12:30:00.000Z', // Day 1 and the charter
      '2026-10-07T12:30:00.000Z',
      '2026-10-08T12:30:00.000Z',
    ]);
    expect((await ada())?.checkIns.map((checkIn) => checkIn.localDate)).toEqual([
      '2026-10-06',
      '2026-10-07',
      '2026-10-08',
    ]);
  });

  it('tells Ben once, kindly, inside his own check-in, and leaves his chain as it was', async () => {
    const texts = await apiTextsTo(stack, BEN.phone);
    const told = texts.filter((sms) => sms.body.includes("Our texts can't reach Ada right now"));
    expect(told.map((sms) => sms.at)).toEqual(['2026-10-06T18:00:00.000Z']);
    expect(told[0]?.body).toMatch(/^Day 1 of 14, Ben/);
    expect(told[0]?.body.length).toBeLessThanOrEqual(160);
    // The invitation, then one check-in a day at 19:00 London (and on Day 1 the charter's link).
    expect(texts.filter((sms) => !isCharterLink(sms.body)).map((sms) => sms.at)).toEqual([
      '2026-10-05T12:00:00.000Z',
      '2026-10-06T18:00:00.000Z',
      '2026-10-07T18:00:00.000Z',
      '2026-10-08T18:00:00.000Z',
    ]);
  });

  it('clears with the first text Twilio takes again, and her check-ins are texts again', async () => {
    // Act: Ada answers from her phone; the number is fixed on Twilio's side.
    await stack.text(ADA.phone, 'YES');
    expect(await stack.clearFaults()).toBe(204);
    await stack.advance({ to: '2026-10-09T13:00:00Z' });

    // Assess
    const member = await ada();
    expect(member?.smsStatus).toBeUndefined();
    expect(member?.smsStatusReason).toBeUndefined();
    expect((await apiTextsTo(stack, ADA.phone)).map((sms) => sms.at)).toEqual([
      '2026-10-05T12:00:00.000Z',
      '2026-10-09T12:30:00.000Z',
    ]);
    const emails = (await stack.outbox()).email.filter((email) => email.to === ADA_EMAIL);
    expect(emails.at(-1)?.at).toBe('2026-10-08T12:30:00.000Z');
  });
});

describe('SES MessageRejected for one address', () => {
  let stack: Stack;
  let id: string;
  const cleo = { ...ADA, name: 'Cleo', phone: '+12125550142', email: CLEO_EMAIL, checkInBy: 'email' };
  const dan = { ...BEN, name: 'Dan', phone: '+447911123499' };

  beforeAll(async () => {
    // Prepare: SES refuses Cleo's address (in the sandbox, an address not verified) from the start.
    stack = await startTestStack('2026-10-05T12:00:00Z');
    await stack.fault({
      service: 'email',
      to: CLEO_EMAIL,
      status: 400,
      code: 'MessageRejected',
      minutes: 14 * 1440,
    });
    id = await startedPair(stack, [cleo, dan]);

    // Act: Day 1 and Day 2.
    await stack.advance({ to: '2026-10-08T00:00:00Z' });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('is recorded on the member, and refused once per email (no retry, no dead letter)', async () => {
    expect((await stack.partnership(id)).members[0]).toMatchObject({
      emailStatus: 'undeliverable',
      emailStatusReason: 'MessageRejected',
      emailStatusSince: '2026-10-05T12:00:00.000Z',
    });
    const refused = (await stack.faults()).refusals.filter((refusal) => refusal.service === 'email');
    // The invitation, then each day's check-in email: each asked once, then the text goes.
    expect(refused.map((refusal) => [refusal.status, refusal.code, refusal.at])).toEqual([
      [400, 'MessageRejected', '2026-10-05T12:00:00.000Z'],
      [400, 'MessageRejected', '2026-10-06T12:30:00.000Z'],
      [400, 'MessageRejected', '2026-10-07T12:30:00.000Z'],
    ]);
    expect((await stack.deadLetters()).deadLetters).toEqual([]);
    expect((await stack.outbox()).email.filter((email) => email.to === CLEO_EMAIL)).toEqual([]);
  });

  it('texts carry on: the invitation and every check-in', async () => {
    const texts = await apiTextsTo(stack, cleo.phone);
    expect(texts.map((sms) => [sms.at, isCharterLink(sms.body)])).toEqual([
      ['2026-10-05T12:00:00.000Z', false],
      ['2026-10-06T12:30:00.000Z', false],
      // Day 1's charter, which her email would have brought, comes as a link by text.
      ['2026-10-06T12:30:00.000Z', true],
      ['2026-10-07T12:30:00.000Z', false],
    ]);
    // Nobody is told about an email address: Dan's check-ins carry no news of it.
    expect((await apiTextsTo(stack, dan.phone)).some((sms) => /reach/.test(sms.body))).toBe(false);
  });
});

describe('SES sending paused for the whole account', () => {
  let stack: Stack;
  let id: string;
  const gwen = { ...ADA, name: 'Gwen', phone: '+12125550143', email: GWEN_EMAIL, checkInBy: 'email' };
  const hal = { ...BEN, name: 'Hal', phone: '+447911123498' };
  const logged: string[] = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk, ...rest) => {
        logged.push(String(chunk));
        return write(chunk, ...(rest as []));
      });
    }
    // Prepare: enrolled on 5 October; SES refuses every email from 6 October 00:00 to 14:00 UTC.
    stack = await startTestStack('2026-10-05T12:00:00Z');
    id = await startedPair(stack, [gwen, hal]);
    await stack.advance({ to: '2026-10-06T00:00:00Z' });
    await stack.fault({ service: 'email', status: 400, code: 'SendingPausedException', minutes: 14 * 60 });

    // Act: Day 1 (Gwen's check-in email refused at 12:30 UTC).
    await stack.advance({ to: '2026-10-06T23:00:00Z' });
  }, 60_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await stack?.close();
  });

  it('is recorded on the member, logged as an error for the operator, and nobody is told', async () => {
    expect((await stack.partnership(id)).members[0]).toMatchObject({
      emailStatus: 'undeliverable',
      emailStatusReason: 'SendingPausedException',
      emailStatusSince: '2026-10-06T12:30:00.000Z',
    });
    const errors = logged
      .filter((line) => line.includes('provider refuses every send of the account'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(errors).toEqual([
      expect.objectContaining({ level: 'ERROR', channel: 'email', reason: 'SendingPausedException' }),
    ]);
    expect((await stack.deadLetters()).deadLetters).toEqual([]);
    // Gwen's Day 1 came by text; Hal heard nothing about it.
    expect((await apiTextsTo(stack, gwen.phone)).map((sms) => sms.at)).toContain('2026-10-06T12:30:00.000Z');
    expect((await apiTextsTo(stack, hal.phone)).some((sms) => /reach/.test(sms.body))).toBe(false);
  });

  it('clears with the first email SES takes again: the next day’s check-in', async () => {
    await stack.advance({ to: '2026-10-07T13:00:00Z' });

    expect((await stack.partnership(id)).members[0]?.emailStatus).toBeUndefined();
    const emails = (await stack.outbox()).email.filter((email) => email.to === GWEN_EMAIL);
    expect(emails.map((email) => email.at)).toEqual(['2026-10-05T12:00:00.000Z', '2026-10-07T12:30:00.000Z']);
    // By email again, so no text that day.
    expect((await apiTextsTo(stack, gwen.phone)).map((sms) => sms.at)).not.toContain(
      '2026-10-07T12:30:00.000Z',
    );
  });
});

describe('a 3-hour SMS outage over a 09:00 burst', () => {
  let stack: Stack;
  const members = Array.from({ length: 8 }, (_, n) => ({
    name: `M${n}`,
    phone: `+1212555${String(300 + n).padStart(4, '0')}`,
    timezone: 'America/New_York',
    checkInTime: '09:00',
    goal: 'stretch for 10 minutes',
  }));
  let refusedInOutage = 0;
  let deadLettered = 0;

  beforeAll(async () => {
    // Prepare: four pairs, every check-in at 09:00 New York (13:00 UTC), the hourly sweep on.
    stack = await startTestStack('2026-10-05T12:00:00Z', { sweepEveryMinutes: 60 });
    for (let n = 0; n < members.length; n += 2) await startedPair(stack, [members[n], members[n + 1]]);
    await stack.advance({ to: '2026-10-07T12:59:00Z' });

    // Act: Twilio answers 503 to every send from 08:59 to 11:59; then the operator redrives the DLQ.
    await stack.fault({ service: 'sms', status: 503, minutes: 180 });
    await stack.advance({ to: '2026-10-07T16:00:00Z' });
    refusedInOutage = (await stack.faults()).refusals.length;
    deadLettered = (await stack.deadLetters()).deadLetters.length;
    const redriven = await stack.redrive();
    expect(redriven.fired.map((each) => each.outcome)).toEqual(Array(8).fill('delivered'));
    await stack.advance({ to: '2026-10-10T00:00:00Z' });
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('dead-letters each due check-in after its retries, and the redrive sends each once', async () => {
    expect(refusedInOutage).toBe(8 * 3);
    expect(deadLettered).toBe(8);
    expect((await stack.deadLetters()).deadLetters).toEqual([]);
    for (const member of members) {
      const day2 = (await apiTextsTo(stack, member.phone)).filter((sms) => sms.at.startsWith('2026-10-07'));
      expect(day2.map((sms) => sms.at)).toEqual(['2026-10-07T16:00:00.000Z']);
    }
  });

  it('keeps every member’s next check-ins on time, once a day', async () => {
    for (const member of members) {
      const after = (await apiTextsTo(stack, member.phone)).filter((sms) => sms.at >= '2026-10-08');
      expect(after.map((sms) => sms.at)).toEqual(['2026-10-08T13:00:00.000Z', '2026-10-09T13:00:00.000Z']);
    }
  });
});
