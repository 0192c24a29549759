import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { seededRandom } from '../support/seeded-random.js';
import { figure } from './figures.js';

/*
 * A 14-day fault soak over the local stack, driven only over its HTTP surface: for a seeded 10 % of the
 * virtual hours Twilio answers 500 or 503 to every send, and independently for 10 % of them SES does.
 * The local clock driver delivers a failing step three times, then dead-letters it; the operator's
 * runbook (docs/deploy.md) redrives the dead-letter queue at the first hour with no fault. 429s are left
 * out here only for wall time (each costs the clients' real backoff); test/reliability/faults.test.ts
 * plays them.
 */

type Stack = Awaited<ReturnType<typeof startTestStack>>;

const SEED = 19;
const FAULT_SHARE = 0.1;
const START = '2026-10-05T12:00:00Z';
/** Faults from the first check-in (Day 1) until Day 14 has passed everywhere. */
const FAULTS_FROM = Date.parse('2026-10-06T00:00:00Z');
const FAULTS_UNTIL = Date.parse('2026-10-20T12:00:00Z');
const DAY_1 = '2026-10-06';
const DAY_14 = '2026-10-19';
const HOUR = 3_600_000;

// Addresses unique to this file: aws-ses-v2-local keeps one outbox per process.
const MEMBERS = [
  {
    name: 'Ada',
    phone: '+12125550161',
    email: 'ada.soak@example.com',
    timezone: 'America/New_York',
    checkInTime: '08:30',
  },
  { name: 'Ben', phone: '+447911123461', timezone: 'Europe/London', checkInTime: '19:00' },
  {
    name: 'Chitra',
    phone: '+919812345661',
    email: 'chitra.soak@example.com',
    checkInBy: 'email',
    timezone: 'Asia/Kolkata',
    checkInTime: '07:00',
  },
  { name: 'Dieter', phone: '+4915112345661', timezone: 'Europe/Berlin', checkInTime: '09:00' },
  { name: 'Eve', phone: '+61412345661', timezone: 'Australia/Sydney', checkInTime: '18:00' },
  {
    name: 'Finn',
    phone: '+12135550161',
    email: 'finn.soak@example.com',
    checkInBy: 'email',
    timezone: 'America/Los_Angeles',
    checkInTime: '12:00',
  },
].map((member) => ({ ...member, goal: 'walk 20 minutes' }));
type SoakMember = (typeof MEMBERS)[number];

const localDate = (at: string, timezone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(at));
const localHour = (at: string, timezone: string) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(at),
    ),
  );

describe('a 14-day soak with transient SMS and email faults 10 % of the virtual time', () => {
  let stack: Stack;
  const faultHours = { sms: 0, email: 0 };
  let hours = 0;
  /** Steps dead-lettered over the soak, and still dead-lettered at its end. */
  let deadLettered = 0;
  let stillDead = 0;
  let redrives = 0;
  const redrive = async () => {
    deadLettered += (await stack.deadLetters()).deadLetters.length;
    redrives += 1;
    return (await stack.redrive()).fired;
  };
  let wallSeconds = 0;
  /** Per member, per local date of the trial: the check-in texts and emails they got. */
  const got = new Map<string, Map<string, { sms: string[]; email: string[] }>>();
  let refusals = { sms: 0, email: 0 };
  let insideQuietHours = 0;

  beforeAll(async () => {
    const started = performance.now();
    // Prepare: three pairs in six zones, two of them checking in by email; everyone joins on 5 October.
    // The sweep runs every 4 hours rather than every hour: locally each costs a scan of the table, and the
    // chains need none here (each check-in schedules the next before it sends).
    stack = await startTestStack(START, { sweepEveryMinutes: 240 });
    for (let n = 0; n < MEMBERS.length; n += 2) {
      const response = await stack.enroll({ members: [MEMBERS[n], MEMBERS[n + 1]] });
      expect(response.status).toBe(201);
      for (const member of [MEMBERS[n], MEMBERS[n + 1]] as SoakMember[])
        await stack.text(member.phone, 'YES');
    }
    await stack.advance({ to: new Date(FAULTS_FROM).toISOString() });

    // Act: for each service, a seeded 10 % of the hours fail (each with 500 or 503); the clock moves in
    // one step to the next hour where something starts or ends.
    const random = seededRandom(SEED);
    const plan: Array<{ at: number; sms?: number; email?: number }> = [];
    for (let at = FAULTS_FROM; at < FAULTS_UNTIL; at += HOUR) plan.push({ at });
    hours = plan.length;
    for (const service of ['sms', 'email'] as const) {
      // A seeded shuffle's first tenth (Fisher-Yates).
      const order = plan.map((_hour, index) => index);
      for (let index = order.length - 1; index > 0; index--) {
        const other = Math.floor(random() * (index + 1));
        [order[index], order[other]] = [order[other] ?? 0, order[index] ?? 0];
      }
      for (const index of order.slice(0, Math.round(hours * FAULT_SHARE))) {
        const hour = plan[index];
        if (hour) hour[service] = random() < 0.5 ? 500 : 503;
      }
    }
    for (const hour of plan) {
      const faulty = hour.sms !== undefined || hour.email !== undefined;
      if (!faulty) {
        // A clean hour: the operator redrives whatever was dead-lettered (docs/deploy.md).
        if ((await stack.deadLetters()).deadLetters.length > 0) {
          await stack.advance({ to: new Date(hour.at).toISOString() });
          const fired = await redrive();
          expect(fired.every((each) => each.outcome === 'delivered')).toBe(true);
        }
        continue;
      }
      // Just before the hour, so that what falls due on the hour meets the faults too.
      await stack.advance({ to: new Date(hour.at - 1).toISOString() });
      for (const service of ['sms', 'email'] as const) {
        const status = hour[service];
        if (status === undefined) continue;
        faultHours[service] += 1;
        expect((await stack.fault({ service, status, minutes: 60 })).status).toBe(201);
      }
      // Everything that falls due inside the faulty hour meets the faults.
      await stack.advance({ to: new Date(hour.at + HOUR).toISOString() });
    }
    await stack.advance({ to: new Date(FAULTS_UNTIL).toISOString() });
    if ((await stack.deadLetters()).deadLetters.length > 0) await redrive();

    // Assess (gathered here, asserted below)
    const { refusals: refused } = await stack.faults();
    refusals = {
      sms: refused.filter((each) => each.service === 'sms').length,
      email: refused.filter((each) => each.service === 'email').length,
    };
    const outbox = await stack.outbox();
    for (const member of MEMBERS) {
      const days = new Map<string, { sms: string[]; email: string[] }>();
      const day = (at: string) => {
        const date = localDate(at, member.timezone);
        const entry = days.get(date) ?? { sms: [], email: [] };
        days.set(date, entry);
        return date >= DAY_1 && date <= DAY_14 ? entry : undefined;
      };
      for (const sms of outbox.sms) {
        if (sms.to !== member.phone || sms.direction !== 'outbound-api') continue;
        const hourThere = localHour(sms.at, member.timezone);
        if (hourThere >= 21 || hourThere < 7) insideQuietHours += 1;
        // The check-ins (and the news riding on them); not the invitation, nor Day 1's charter link.
        if (!/^Your one-page charter|invited you to a 14-day/.test(sms.body)) day(sms.at)?.sms.push(sms.body);
      }
      for (const email of outbox.email)
        if (member.email && email.to === member.email) day(email.at)?.email.push(email.subject);
      got.set(member.name, days);
    }
    stillDead = (await stack.deadLetters()).deadLetters.length;
    wallSeconds = (performance.now() - started) / 1000;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const trialDays = (member: SoakMember) =>
    [...(got.get(member.name)?.entries() ?? [])].filter(([date]) => date >= DAY_1 && date <= DAY_14);

  it('faults 10 % of the virtual time on each service, seeded', () => {
    figure('Fault soak', `virtual hours (seed ${SEED}; 6 members, 3 pairs, 6 zones)`, hours);
    figure(
      'Fault soak',
      'hours Twilio answered 500/503 to every send',
      `${faultHours.sms} (${Math.round((faultHours.sms / hours) * 100)} %)`,
    );
    figure(
      'Fault soak',
      'hours SES answered 500/503 to every send',
      `${faultHours.email} (${Math.round((faultHours.email / hours) * 100)} %)`,
    );
    figure(
      'Fault soak',
      'sends refused: Twilio / SES (retries included)',
      `${refusals.sms} / ${refusals.email}`,
    );
    figure(
      'Fault soak',
      'steps dead-lettered after 3 deliveries / redrives (at the first clean hour)',
      `${deadLettered} / ${redrives}`,
    );
    expect(faultHours.sms / hours).toBeGreaterThan(0.05);
    expect(faultHours.email / hours).toBeGreaterThan(0.05);
    expect(refusals.sms).toBeGreaterThan(0);
  });

  it('gives every member a check-in on at least 13 of their 14 days', () => {
    const least = Math.min(
      ...MEMBERS.map(
        (member) => trialDays(member).filter(([, got]) => got.sms.length + got.email.length > 0).length,
      ),
    );
    figure('Fault soak', 'days of 14 with a check-in, the fewest of any member', least);
    expect(least).toBeGreaterThanOrEqual(13);
  });

  it('sends nothing twice: at most one check-in text and one of each email a day', () => {
    const twice = MEMBERS.flatMap((member) =>
      trialDays(member).filter(([, got]) => got.sms.length > 1 || new Set(got.email).size < got.email.length),
    );
    figure('Fault soak', 'member-days with a text or an email sent twice', twice.length);
    expect(twice).toEqual([]);
  });

  it('loses nothing: the dead-letter queue ends empty and every check-in went out', async () => {
    const view = await Promise.all(
      (
        (await (await fetch(`${stack.url}/local/simulator/partnerships`)).json()) as { ids: string[] }
      ).ids.map((id) => stack.partnership(id)),
    );
    const recorded = view.flatMap((partnership) =>
      partnership.members.flatMap((member) =>
        member.checkIns.filter((each) => each.localDate >= DAY_1 && each.localDate <= DAY_14),
      ),
    ).length;
    const delivered = MEMBERS.reduce(
      (sum, member) =>
        sum + trialDays(member).filter(([, got]) => got.sms.length + got.email.length > 0).length,
      0,
    );
    figure(
      'Fault soak',
      'check-ins recorded / delivered (6 members × 14 days)',
      `${recorded} / ${delivered}`,
    );
    figure('Fault soak', 'steps still dead-lettered at the end (lost)', stillDead);
    figure('Fault soak', 'texts inside the recipient’s quiet hours', insideQuietHours);
    figure('Fault soak', 'wall time', wallSeconds.toFixed(1), 's');
    expect(stillDead).toBe(0);
    expect(recorded).toBe(MEMBERS.length * 14);
    expect(delivered).toBe(recorded);
  });
});
