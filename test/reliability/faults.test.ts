import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSendQueueHandler } from '#functions/dispatch.js';
import { LocalClockDriver } from '#local/clock-driver.js';
import { dynamoDbClientConfig, LOCAL_CREDENTIALS } from '#local/stack.js';
import { VirtualClock } from '#local/virtual-clock.js';
import { DynamoDbSenderStore } from '#shared/adapters/dynamodb-sender-store.js';
import { createDocumentClient } from '#shared/adapters/dynamodb-store.js';
import { SesV2Email } from '#shared/adapters/sesv2-email.js';
import type { Member } from '#shared/domain/partnership.js';
import type { EmailPort } from '#shared/domain/ports.js';
import type { DispatchDeps } from '#shared/use-cases/dispatch/index.js';
import { scheduleCheckIn } from '#shared/use-cases/schedule-check-in.js';
import { startTestServers, type TestServers } from '../support/embedded-servers.js';
import { seededRandom } from '../support/seeded-random.js';
import { figure } from './figures.js';

/*
 * Where the backoff and jitter live:
 * - Twilio: the `twilio` package's RequestClient (node_modules/twilio/lib/base/RequestClient.js,
 *   getExponentialBackoffResponseHandler), enabled by shared/adapters/twilio-sms.ts with autoRetry and
 *   maxRetries 6. It retries 429 only, after floor(random() × min(3000, 100 × 2^n)) ms (full jitter);
 *   it ignores Retry-After, and a 500 is not retried there.
 * - DynamoDB and SES: the AWS SDK's standard retry strategy (3 attempts; full-jitter exponential
 *   backoff, a longer base for throttling errors; node_modules/@smithy/core/dist-cjs/submodules/retry).
 * - The platform: a failed step is reported in the sender's partial batch response, SQS redelivers it
 *   after the visibility timeout and dead-letters it after maxReceiveCount (infra/constructs/send-queue.ts).
 *   The local clock driver imitates that with its attempts, its dead letters and redrive().
 */

type Servers = TestServers;

/** Partnerships started on 5 Oct (New York): 6 Oct is Day 1 (email + text), 7 Oct a plain check-in. */
const STARTED_AT = '2026-10-05T16:00:00.000Z';
const DAY_1 = '2026-10-06';
const DAY_2 = '2026-10-07';
/** After 08:30 New York on each day, when the check-ins are due. */
const AFTER_DAY_1 = new Date('2026-10-06T13:00:00Z');
const AFTER_DAY_2 = new Date('2026-10-07T13:00:00Z');

/** A started pair (Ada and Ben, numbered n) with one check-in scheduled for each member in `scheduled`. */
async function startedPair(
  servers: Servers,
  n: number,
  localDate: string,
  { email, scheduled = ['m1'] }: { email?: string; scheduled?: string[] } = {},
) {
  const partnershipId = `pfault${String(n).padStart(6, '0')}`;
  const common = {
    partnershipId,
    timezone: 'America/New_York',
    checkInTime: '08:30',
    goal: 'write 300 words',
    cadence: 'daily',
    checkInBy: 'sms',
    status: 'active',
  } as const;
  const ada: Member = {
    ...common,
    id: 'm1',
    name: 'Ada',
    phone: `+1212555${String(n * 2).padStart(4, '0')}`,
    ...(email ? { email } : {}),
  };
  const ben: Member = {
    ...common,
    id: 'm2',
    name: 'Ben',
    phone: `+1212555${String(n * 2 + 1).padStart(4, '0')}`,
  };
  await servers.store.createPartnership(
    {
      id: partnershipId,
      createdAt: STARTED_AT,
      startedAt: STARTED_AT,
      graceTokensPerMonth: 2,
      channels: ['sms'],
    },
    [ada, ben],
  );
  for (const each of [ada, ben])
    if (scheduled.includes(each.id)) await scheduleCheckIn(servers.scheduler, each, localDate);
  return { ada, ben };
}

const textsTo = (servers: Servers, phone: string) =>
  servers.twilioApi.messages.filter((message) => message.to === phone);

const postsTo = (servers: Servers, phone: string) =>
  servers.twilioApi.attempts.filter((attempt) => attempt.to === phone);

async function emailsTo(servers: Servers, address: string): Promise<number> {
  const store = (await (await fetch(`http://127.0.0.1:${servers.ports.ses}/store`)).json()) as {
    emails: Array<{ destination: { to: string[] } }>;
  };
  return store.emails.filter((email) => email.destination.to.includes(address)).length;
}

/** What an operator reads on a dead letter: the error's name and message, and Twilio's status and code. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { status, code } = error as { status?: unknown; code?: unknown };
  return `${error.name}: ${error.message}${typeof status === 'number' ? ` (HTTP ${status}, code ${String(code)})` : ''}`;
}

/**
 * The sender as the local stack builds it (createSendQueueHandler over real adapters), driven by a
 * clock driver. Its ports are tapped: the partial batch response says only that a step failed, so the
 * dead letter's reason is the last error a port threw during that delivery.
 */
function senderOver(servers: Servers, clock: VirtualClock, ports: Partial<DispatchDeps> = {}) {
  const thrown: unknown[] = [];
  const tap = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          try {
            return await value.apply(target, args);
          } catch (error) {
            thrown.push(error);
            throw error;
          }
        };
      },
    });
  const deps: DispatchDeps = {
    store: tap(ports.store ?? servers.store),
    sms: tap(ports.sms ?? servers.sms),
    scheduler: tap(ports.scheduler ?? servers.scheduler),
    email: tap(ports.email ?? servers.email),
    emailSettings: servers.emailSettings,
    clock,
  };
  const sendQueue = createSendQueueHandler(async () => deps);
  let deliveries = 0;
  const sender = (event: SQSEvent) => {
    thrown.length = 0;
    deliveries += 1;
    return sendQueue(event);
  };
  const driver = new LocalClockDriver(clock, servers.scheduler, sender, {
    failureReason: () => (thrown.length > 0 ? describeError(thrown.at(-1)) : undefined),
  });
  return { driver, deliveries: () => deliveries };
}

/** A port whose named methods throw the planned errors on their next calls, one per call, then work. */
function withFaults<T extends object>(port: T, plan: Partial<Record<keyof T, Array<() => Error>>>): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const faults = plan[property as keyof T];
      if (typeof value !== 'function' || !faults) return value;
      return async (...args: unknown[]) => {
        const fault = faults.shift();
        if (fault) throw fault();
        return value.apply(target, args);
      };
    },
  });
}

/**
 * Refuses requests of an AWS SDK client below its retry middleware (in the deserialize step, before
 * the HTTP call), so the SDK's own retry handles the refusal as it would DynamoDB's or SES's.
 * `refuse` sees every attempt, retries included.
 */
function refuseAttempts(
  client: {
    middlewareStack:
      | SESv2Client['middlewareStack']
      | ReturnType<typeof createDocumentClient>['middlewareStack'];
  },
  refuse: (command: string, input: Record<string, unknown>) => Error | undefined,
) {
  (client.middlewareStack as SESv2Client['middlewareStack']).add(
    (next, context) => async (args) => {
      const error = refuse(context.commandName ?? '', args.input as Record<string, unknown>);
      if (error) throw error;
      return next(args);
    },
    { step: 'deserialize', priority: 'high', name: 'faultInjection' },
  );
}

/** Whether a request is the transaction that decides a step's send: its first item puts the step's claim. */
function decidesStep(command: string, input: Record<string, unknown>): boolean {
  const [first] = (input.TransactItems ?? []) as Array<{ Put?: { Item?: { pk?: { S?: string } } } }>;
  const pk = first?.Put?.Item?.pk?.S;
  return command === 'TransactWriteItemsCommand' && !!pk?.startsWith('CLAIM#step#');
}

const throughputExceeded = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400 },
  });
const dynamoDbTimeout = () =>
  Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
const sesThrottled = () =>
  new TooManyRequestsException({
    message: 'Maximum sending rate exceeded.',
    $metadata: { httpStatusCode: 429 },
  });

describe('faults at the ports', () => {
  let servers: Servers;
  let clock: VirtualClock;

  beforeEach(async () => {
    clock = new VirtualClock(new Date('2026-10-06T00:00:00Z'));
    servers = await startTestServers({ name: 'faults', clock, twilioAuthToken: 'token' });
  });
  afterEach(async () => {
    await servers.close();
  });

  it('delivers a check-in once when Twilio answers 429 twice: the twilio client retries with backoff', async () => {
    // Prepare
    const { ada } = await startedPair(servers, 1, DAY_2);
    const { driver, deliveries } = senderOver(servers, clock);
    servers.twilioApi.injectFailures({ status: 429, retryAfterSeconds: 1 }, 429);

    // Act
    const { fired } = await driver.advanceTo(AFTER_DAY_2);

    // Assess
    const posts = postsTo(servers, ada.phone).map((post) => post.status);
    figure('Faults', 'Twilio 429 ×2: POSTs for one check-in (twilio client retries)', posts.length);
    figure('Faults', 'Twilio 429 ×2: deliveries of the step to the sender', deliveries());
    figure('Faults', 'Twilio 429 ×2: check-ins delivered', textsTo(servers, ada.phone).length);
    expect(posts).toEqual([429, 429, 201]);
    expect(deliveries()).toBe(1);
    expect(fired.map((each) => each.outcome)).toEqual(['delivered']);
    expect(textsTo(servers, ada.phone)).toHaveLength(1);
  });

  it('dead-letters a check-in Twilio refuses with 500 on every attempt, and a redrive sends it once', async () => {
    // Prepare
    const { ada } = await startedPair(servers, 2, DAY_2);
    const { driver, deliveries } = senderOver(servers, clock);
    servers.twilioApi.failWhen(({ to }) => (to === ada.phone ? 500 : undefined));

    // Act: the clock run fails three times; then Twilio recovers and the dead letter is redriven twice.
    const { fired } = await driver.advanceTo(AFTER_DAY_2);
    const deliveriesInRun = deliveries();
    const deadLetters = [...driver.deadLetters];
    servers.twilioApi.clearFailures();
    const redriven = await driver.redrive();
    const textsAfterRedrive = textsTo(servers, ada.phone).length;
    const nothingLeft = await driver.redrive();
    // The same message once more, as a second redrive of a copy would bring it: the step's claim holds.
    driver.deadLetters.push(...deadLetters);
    const duplicate = await driver.redrive();

    // Assess
    figure('Faults', 'Twilio 500 always: deliveries before dead-lettering', deliveriesInRun);
    figure('Faults', 'Twilio 500 always: dead letter reason', deadLetters[0]?.reason ?? 'none');
    figure('Faults', 'Twilio 500 always: check-ins sent after one redrive', textsAfterRedrive);
    figure(
      'Faults',
      'Twilio 500 always: check-ins sent after redriving the same message again',
      textsTo(servers, ada.phone).length,
    );
    expect(deliveriesInRun).toBe(3);
    expect(fired.map((each) => each.outcome)).toEqual(['dead_lettered']);
    expect(postsTo(servers, ada.phone).map((post) => post.status)).toEqual([500, 500, 500, 201]);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.reason).toBe('Error: Internal Server Error (HTTP 500, code 20500)');
    expect(JSON.parse(deadLetters[0]?.payload ?? '{}')).toMatchObject({ kind: 'check_in', localDate: DAY_2 });
    expect(redriven.map((each) => each.outcome)).toEqual(['delivered']);
    expect(textsAfterRedrive).toBe(1);
    expect(nothingLeft).toEqual([]);
    expect(duplicate.map((each) => each.outcome)).toEqual(['delivered']);
    expect(textsTo(servers, ada.phone)).toHaveLength(1);
    expect(driver.deadLetters).toEqual([]);
  });

  it('delivers the Day-1 email once when SES throttles it twice: the SDK retries with backoff', async () => {
    // Prepare: SES v2 over the local server, refused below the SDK's retry middleware.
    const address = 'ada.faults@example.com';
    const { ada } = await startedPair(servers, 3, DAY_1, { email: address });
    const ses = new SESv2Client({
      endpoint: `http://127.0.0.1:${servers.ports.ses}`,
      region: 'local',
      credentials: LOCAL_CREDENTIALS,
    });
    let sendAttempts = 0;
    refuseAttempts(ses, (command) => {
      if (command !== 'SendEmailCommand') return undefined;
      sendAttempts += 1;
      return sendAttempts <= 2 ? sesThrottled() : undefined;
    });
    const email = new SesV2Email(ses, { from: 'Soft Partner <hello@soft-partner.local>' });
    const { driver, deliveries } = senderOver(servers, clock, { email });

    // Act
    const { fired } = await driver.advanceTo(AFTER_DAY_1);

    // Assess
    figure('Faults', 'SES throttled ×2: SendEmail attempts by the SDK', sendAttempts);
    figure('Faults', 'SES throttled ×2: deliveries of the step to the sender', deliveries());
    figure('Faults', 'SES throttled ×2: Day-1 emails delivered', await emailsTo(servers, address));
    expect(sendAttempts).toBe(3);
    expect(deliveries()).toBe(1);
    expect(fired.map((each) => each.outcome)).toEqual(['delivered']);
    expect(await emailsTo(servers, address)).toBe(1);
    expect(textsTo(servers, ada.phone)).toHaveLength(1);
  });

  it('dead-letters a Day-1 step while SES keeps throttling, and a redrive sends one email', async () => {
    // Prepare: SES throttles every send (after the SDK's own retries) until it recovers.
    const address = 'ada.throttled@example.com';
    const { ada } = await startedPair(servers, 4, DAY_1, { email: address });
    let throttling = true;
    const email: EmailPort = {
      send: async (message) => {
        if (throttling) throw sesThrottled();
        return servers.email.send(message);
      },
    };
    const { driver } = senderOver(servers, clock, { email });

    // Act
    const { fired } = await driver.advanceTo(AFTER_DAY_1);
    const deadLetters = [...driver.deadLetters];
    throttling = false;
    const redriven = await driver.redrive();
    driver.deadLetters.push(...deadLetters);
    const duplicate = await driver.redrive();

    // Assess
    figure('Faults', 'SES throttled always: dead letter reason', deadLetters[0]?.reason ?? 'none');
    figure(
      'Faults',
      'SES throttled always: Day-1 emails after redrive (twice)',
      await emailsTo(servers, address),
    );
    expect(fired.map((each) => each.outcome)).toEqual(['dead_lettered']);
    expect(deadLetters.map((letter) => letter.reason)).toEqual([
      'TooManyRequestsException: Maximum sending rate exceeded.',
    ]);
    expect(redriven.map((each) => each.outcome)).toEqual(['delivered']);
    expect(duplicate.map((each) => each.outcome)).toEqual(['delivered']);
    expect(await emailsTo(servers, address)).toBe(1);
    expect(textsTo(servers, ada.phone)).toHaveLength(1);
  });

  it('delivers a check-in once when DynamoDB throttles its claim twice: the SDK retries with backoff', async () => {
    // Prepare: a store of our own over the same table, refused below the SDK's retry middleware.
    const { ada } = await startedPair(servers, 5, DAY_2);
    const db = createDocumentClient(dynamoDbClientConfig(servers.dynamoDb));
    let claimAttempts = 0;
    refuseAttempts(db, (command, input) => {
      // The step's own claim: the first item of the transaction that decides the send (send-turn.ts).
      if (!decidesStep(command, input)) return undefined;
      claimAttempts += 1;
      return claimAttempts <= 2 ? throughputExceeded() : undefined;
    });
    const { driver, deliveries } = senderOver(servers, clock, {
      store: new DynamoDbSenderStore(db, servers.dynamoDb.tableName),
    });

    // Act
    const { fired } = await driver.advanceTo(AFTER_DAY_2);

    // Assess
    figure('Faults', 'DynamoDB throughput exceeded ×2: claim attempts by the SDK', claimAttempts);
    figure('Faults', 'DynamoDB throughput exceeded ×2: deliveries of the step', deliveries());
    figure(
      'Faults',
      'DynamoDB throughput exceeded ×2: check-ins delivered',
      textsTo(servers, ada.phone).length,
    );
    expect(claimAttempts).toBe(3);
    expect(deliveries()).toBe(1);
    expect(fired.map((each) => each.outcome)).toEqual(['delivered']);
    expect(textsTo(servers, ada.phone)).toHaveLength(1);
  });

  it('redelivers a check-in whose first writes fail past the SDK’s retries, and texts once', async () => {
    // Prepare: a client that does not retry (its retries spent), whose transaction deciding the send
    // (the step's claim, the check-in and the allowances: send-turn.ts) is refused for throughput on the
    // first delivery and times out on the second.
    const { ada } = await startedPair(servers, 6, DAY_2);
    const db = createDocumentClient({ ...dynamoDbClientConfig(servers.dynamoDb), maxAttempts: 1 });
    let delivery = () => 0;
    refuseAttempts(db, (command, input) => {
      if (!decidesStep(command, input)) return undefined;
      return [undefined, throughputExceeded, dynamoDbTimeout][delivery()]?.();
    });
    const { driver, deliveries } = senderOver(servers, clock, {
      store: new DynamoDbSenderStore(db, servers.dynamoDb.tableName),
    });
    delivery = deliveries;

    // Act
    const { fired } = await driver.advanceTo(AFTER_DAY_2);

    // Assess
    figure('Faults', 'DynamoDB claim refused, then a timeout: deliveries of the step', deliveries());
    figure(
      'Faults',
      'DynamoDB claim refused, then a timeout: check-ins delivered',
      textsTo(servers, ada.phone).length,
    );
    expect(deliveries()).toBe(3);
    expect(fired.map((each) => each.outcome)).toEqual(['delivered']);
    expect(driver.deadLetters).toEqual([]);
    expect(textsTo(servers, ada.phone)).toHaveLength(1);
  });

  it('loses nothing and duplicates nothing in a batch of 50 check-ins with seeded Twilio 500s', async () => {
    // Prepare: 25 pairs, every member due at 08:30 New York on Day 2. In the clock run, a seeded 30%
    // of the numbers are refused on every attempt (an outage) and any other send fails 20% of the time;
    // during the redrive, any send still fails 30% of the time.
    const random = seededRandom(9);
    const members: Member[] = [];
    for (let n = 100; n < 125; n++) {
      const { ada, ben } = await startedPair(servers, n, DAY_2, { scheduled: ['m1', 'm2'] });
      members.push(ada, ben);
    }
    const outage = new Set(members.filter(() => random() < 0.3).map((member) => member.phone));
    const { driver } = senderOver(servers, clock);
    servers.twilioApi.failWhen(({ to }) => (outage.has(to) || random() < 0.2 ? 500 : undefined));

    // Act
    const { fired } = await driver.advanceTo(AFTER_DAY_2);
    const deadLetteredInRun = driver.deadLetters.length;
    servers.twilioApi.failWhen(() => (random() < 0.3 ? 500 : undefined));
    const redriven = await driver.redrive();
    servers.twilioApi.clearFailures();

    // Assess: every due step was delivered exactly once, or is still dead-lettered with a reason.
    const stillDead = new Set(driver.deadLetters.map((letter) => letter.name));
    const deadLettered = (member: Member) =>
      driver.deadLetters.some((letter) => {
        const step = JSON.parse(letter.payload) as { partnershipId: string; memberId: string };
        return step.partnershipId === member.partnershipId && step.memberId === member.id;
      });
    const sent = (member: Member) => textsTo(servers, member.phone).length;
    const delivered = members.filter((member) => sent(member) === 1 && !deadLettered(member)).length;
    const lost = members.filter((member) => sent(member) === 0 && !deadLettered(member)).length;
    const duplicated = members.filter((member) => sent(member) > 1).length;
    const refused = servers.twilioApi.attempts.filter((attempt) => attempt.status === 500).length;
    figure('Faults', 'batch of 50: Twilio 500s injected', refused);
    figure('Faults', 'batch of 50: dead-lettered by the clock run', deadLetteredInRun);
    figure(
      'Faults',
      'batch of 50: delivered by one redrive',
      redriven.filter((each) => each.outcome === 'delivered').length,
    );
    figure('Faults', 'batch of 50: delivered exactly once', delivered);
    figure('Faults', 'batch of 50: still dead-lettered, with a reason', stillDead.size);
    figure('Faults', 'batch of 50: lost', lost);
    figure('Faults', 'batch of 50: duplicated', duplicated);
    expect(fired).toHaveLength(50);
    expect(deadLetteredInRun).toBeGreaterThan(0);
    expect(redriven.some((each) => each.outcome === 'delivered')).toBe(true);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(delivered + stillDead.size).toBe(50);
    expect(driver.deadLetters.every((letter) => letter.reason.includes('HTTP 500, code 20500'))).toBe(true);
    expect(members.filter(deadLettered).every((member) => sent(member) === 0)).toBe(true);
  });

  // A step is retried whole; each message it sends has a claim of its own (step key + the message), news is
  // removed only once it went out, and a claim left in progress makes the step retry later, never drop.
  describe('a step that fails half-way is retried whole without repeating or losing what it sent', () => {
    it('texts a check-in once when a DynamoDB write after the text times out', async () => {
      // Prepare: noting the prompt (the write right after the text) times out past the SDK's retries.
      const { ada } = await startedPair(servers, 7, DAY_2);
      const store = withFaults(servers.store, { notePrompted: [dynamoDbTimeout] });
      const { driver } = senderOver(servers, clock, { store });

      // Act
      await driver.advanceTo(AFTER_DAY_2);

      // Assess
      const sent = textsTo(servers, ada.phone).length;
      figure('Faults', 'half-way failure: check-in texts when the write after the text times out', sent);
      expect(sent).toBe(1);
    });

    it('emails the Day-1 charter once when the Day-1 text after it fails', async () => {
      // Prepare: SES accepts the Day-1 email; Twilio refuses the Day-1 text once.
      const address = 'ada.day1@example.com';
      const { ada } = await startedPair(servers, 8, DAY_1, { email: address });
      servers.twilioApi.injectFailures(500);
      const { driver } = senderOver(servers, clock);

      // Act
      await driver.advanceTo(AFTER_DAY_1);

      // Assess
      const emails = await emailsTo(servers, address);
      figure('Faults', 'half-way failure: Day-1 emails when the Day-1 text after it failed once', emails);
      expect(textsTo(servers, ada.phone)).toHaveLength(1);
      expect(emails).toBe(1);
    });

    it('keeps the partner news of a check-in whose text fails, and sends it inside the retried check-in', async () => {
      // Prepare: Ben's news waits for Ada's check-in; Twilio refuses the check-in text once.
      const { ada } = await startedPair(servers, 9, DAY_2);
      const at = '2026-10-06T20:00:00.000Z';
      await servers.store.recordEvent(ada.partnershipId, { memberId: 'm2', kind: 'on_track', at }, [
        { recipientId: ada.id, item: { fromMemberId: 'm2', fromName: 'Ben', kind: 'on_track', at } },
      ]);
      servers.twilioApi.injectFailures(500);
      const { driver } = senderOver(servers, clock);

      // Act
      await driver.advanceTo(AFTER_DAY_2);

      // Assess: the redelivery texts the check-in once, with the news the failed attempt left waiting.
      const bodies = textsTo(servers, ada.phone).map((sms) => sms.body);
      figure(
        'Faults',
        'half-way failure: texts (the check-in carrying the news) when the text failed once',
        bodies.length,
      );
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatch(/\nBen checked in\.$/);
    });

    it('loses no step when releasing its claim fails (the local redelivery comes within the lease)', async () => {
      // Prepare: Twilio refuses the text once, and releasing the claim then times out.
      const { ada } = await startedPair(servers, 10, DAY_2);
      const store = withFaults(servers.store, { releaseClaim: [dynamoDbTimeout] });
      servers.twilioApi.injectFailures(500);
      const { driver } = senderOver(servers, clock, { store });

      // Act
      await driver.advanceTo(AFTER_DAY_2);

      // Assess: the redelivery finds the claim in progress, counts the step a duplicate and acks it.
      const lost = textsTo(servers, ada.phone).length === 0 && driver.deadLetters.length === 0 ? 1 : 0;
      figure('Faults', 'half-way failure: steps lost when releasing the claim fails (local driver)', lost);
      expect(lost).toBe(0);
    });
  });
});
