import { App, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apiThrottleFor,
  assertDeployable,
  MAX_SENDER_CONCURRENCY,
  MIN_SENDER_CONCURRENCY,
  PLACEHOLDER_MAIL_DOMAIN,
  PLACEHOLDER_TWILIO_FROM_NUMBER,
  placeholderProblems,
  resolveStageConfig,
  SECONDS_PER_SEND,
  secondsBetweenSends,
  senderConcurrency,
  senderSizing,
  smsBurstPerSender,
  TWILIO_QUEUE_LEAD_SECONDS,
} from '../../infra/config.js';

const configFor = (context: Record<string, unknown>) => resolveStageConfig(new App({ context }).node);

describe('stage config', () => {
  it('defaults to the dev stage with short log retention and destroyable resources', () => {
    const config = configFor({});
    expect(config).toMatchObject({
      stage: 'dev',
      resourcePrefix: 'soft-partner-dev',
      logRetention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
      tableDeletionProtection: false,
      twilioFromNumber: PLACEHOLDER_TWILIO_FROM_NUMBER,
    });
    expect(config.publicBaseUrl).toBeUndefined();
  });

  it('retains data and protects the table in prod', () => {
    expect(configFor({ stage: 'prod' })).toMatchObject({
      stage: 'prod',
      resourcePrefix: 'soft-partner-prod',
      logRetention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
      tableDeletionProtection: true,
      statefulTerminationProtection: true,
    });
  });

  it('rejects an unknown stage', () => {
    expect(() => configFor({ stage: 'staging' })).toThrow(/Unknown stage "staging"/);
  });

  it('takes publicBaseUrl from context without its trailing slash, and only over https', () => {
    expect(configFor({ publicBaseUrl: 'https://sms.example.com/' }).publicBaseUrl).toBe(
      'https://sms.example.com',
    );
    expect(() => configFor({ publicBaseUrl: 'http://sms.example.com' })).toThrow(/https/);
  });

  it('takes twilioFromNumber from context and insists on E.164', () => {
    expect(configFor({ twilioFromNumber: '+447700900123' }).twilioFromNumber).toBe('+447700900123');
    expect(() => configFor({ twilioFromNumber: '555-1234' })).toThrow(/E\.164/);
  });

  it("accepts numbers of the sending number's countries by default, or the smsCountries listed", () => {
    // Act
    const usNumber = configFor({ twilioFromNumber: '+12125550101' }).smsCountries;
    const ukNumber = configFor({ twilioFromNumber: '+447700900123' }).smsCountries;
    const listed = configFor({ twilioFromNumber: '+12125550101', smsCountries: 'us, ca' }).smsCountries;

    // Assess: +1 is shared by the US, Canada and the Caribbean; +44 by the UK and its islands.
    expect(usNumber).toEqual(expect.arrayContaining(['US', 'CA']));
    expect(usNumber).not.toContain('GB');
    expect(ukNumber).toEqual(expect.arrayContaining(['GB', 'JE', 'GG', 'IM']));
    expect(ukNumber).not.toContain('US');
    expect(listed).toEqual(['US', 'CA']);
    expect(() => configFor({ smsCountries: 'USA' })).toThrow(/smsCountries/);
  });

  it('allows 1 SMS per second in dev and 10 in prod', () => {
    expect(configFor({}).smsMessagesPerSecond).toBe(1);
    expect(configFor({ stage: 'prod' }).smsMessagesPerSecond).toBe(10);
  });

  it('takes smsMessagesPerSecond from context, as a number (cdk.json) or a string (-c)', () => {
    expect(configFor({ stage: 'prod', smsMessagesPerSecond: 30 }).smsMessagesPerSecond).toBe(30);
    expect(configFor({ smsMessagesPerSecond: '2.5' }).smsMessagesPerSecond).toBe(2.5);
    expect(configFor({ smsMessagesPerSecond: '' }).smsMessagesPerSecond).toBe(1);
  });

  it('rejects an smsMessagesPerSecond that is not a positive number', () => {
    for (const value of ['0', '-1', 'fast', '  ', 'Infinity', 0, -3, Number.NaN, true, [1]]) {
      expect(() => configFor({ smsMessagesPerSecond: value }), JSON.stringify(value)).toThrow(
        /smsMessagesPerSecond must be a positive number/,
      );
    }
  });

  it("allows SES's sandbox rate (1 email a second) in dev and a new production account's 14 in prod", () => {
    expect(configFor({}).sesMessagesPerSecond).toBe(1);
    expect(configFor({ stage: 'prod' }).sesMessagesPerSecond).toBe(14);
    expect(configFor({ stage: 'prod', sesMessagesPerSecond: '50' }).sesMessagesPerSecond).toBe(50);
    expect(() => configFor({ sesMessagesPerSecond: '0' })).toThrow(
      /sesMessagesPerSecond must be a positive number/,
    );
  });

  it("derives the sender's sizing from the stage's two rates", () => {
    expect(configFor({}).sender).toEqual(senderSizing(1, 1));
    expect(configFor({ stage: 'prod', smsMessagesPerSecond: 100, sesMessagesPerSecond: 20 }).sender).toEqual(
      senderSizing(100, 20),
    );
  });
});

describe('stage config: per-stage context in cdk.json', () => {
  it('reads a stage\'s own settings under "stages", so a deploy never depends on repeating -c flags', () => {
    const stages = {
      dev: { mailDomain: 'dev.example.com' },
      prod: { mailDomain: 'example.com', twilioFromNumber: '+447700900123', dailySmsBudget: 900 },
    };
    expect(configFor({ stages, stage: 'prod' })).toMatchObject({
      mailDomain: 'example.com',
      twilioFromNumber: '+447700900123',
      dailySmsBudget: 900,
    });
    expect(configFor({ stages }).mailDomain).toBe('dev.example.com');
  });

  it("lets a -c value override the stage's entry for one run", () => {
    const stages = { prod: { mailDomain: 'example.com' } };
    expect(configFor({ stages, stage: 'prod', mailDomain: 'other.example.com' }).mailDomain).toBe(
      'other.example.com',
    );
  });

  it('rejects a stage entry that is not an object', () => {
    expect(() => configFor({ stages: { prod: 'example.com' }, stage: 'prod' })).toThrow(/stages\.prod/);
  });

  it('the cdk.json of the repository has an entry for every stage', async () => {
    const { readFile } = await import('node:fs/promises');
    const cdkJson = JSON.parse(await readFile(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
      context: { stages: Record<string, unknown> };
    };
    expect(Object.keys(cdkJson.context.stages).sort()).toEqual(['dev', 'prod']);
  });
});

describe('stage config: API throttle from the SMS rate', () => {
  it('allows 8 requests a second per text a second (3 delivery reports and a reply, twice over), at least 10', () => {
    expect([1, 10, 100, 1000].map((mps) => apiThrottleFor(mps))).toEqual([
      { rateLimit: 10, burstLimit: 20 },
      { rateLimit: 80, burstLimit: 160 },
      { rateLimit: 800, burstLimit: 1600 },
      { rateLimit: 8000, burstLimit: 16_000 },
    ]);
  });

  it('follows smsMessagesPerSecond from context', () => {
    expect(configFor({ stage: 'prod' }).apiThrottle).toEqual({ rateLimit: 80, burstLimit: 160 });
    expect(configFor({ stage: 'prod', smsMessagesPerSecond: '100' }).apiThrottle.rateLimit).toBe(800);
  });
});

describe('stage config: placeholders', () => {
  it('lets dev synthesize with the placeholder mail domain and Twilio test number', () => {
    expect(placeholderProblems(configFor({}))).toEqual([]);
    expect(() => assertDeployable(configFor({}))).not.toThrow();
  });

  it('refuses prod while mailDomain or twilioFromNumber is a placeholder, naming each', () => {
    const problems = placeholderProblems(configFor({ stage: 'prod' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/mailDomain is still the placeholder example\.org/);
    expect(problems[1]).toMatch(/twilioFromNumber is still Twilio's test number \+15005550006/);
    expect(() => assertDeployable(configFor({ stage: 'prod', mailDomain: 'example.com' }))).toThrow(
      /Refusing to synthesize stage prod with placeholders[\s\S]*twilioFromNumber/,
    );
    expect(() =>
      assertDeployable(
        configFor({ stage: 'prod', mailDomain: 'example.com', twilioFromNumber: '+447700900123' }),
      ),
    ).not.toThrow();
  });
});

describe('stage config: email', () => {
  it('defaults to the placeholder mail domain, in.<mailDomain>, hello@<mailDomain> and 30 days', () => {
    for (const stage of ['dev', 'prod']) {
      expect(configFor({ stage })).toMatchObject({
        mailDomain: PLACEHOLDER_MAIL_DOMAIN,
        mailFromDomain: `mail.${PLACEHOLDER_MAIL_DOMAIN}`,
        inboundDomain: `in.${PLACEHOLDER_MAIL_DOMAIN}`,
        emailFrom: `Soft Partner <hello@${PLACEHOLDER_MAIL_DOMAIN}>`,
        inboundMailRetentionDays: 30,
      });
    }
  });

  it('derives the MAIL FROM, inbound domain and sender from mailDomain, lower-cased', () => {
    expect(configFor({ mailDomain: 'Partner.Example.COM.' })).toMatchObject({
      mailDomain: 'partner.example.com',
      mailFromDomain: 'mail.partner.example.com',
      inboundDomain: 'in.partner.example.com',
      emailFrom: 'Soft Partner <hello@partner.example.com>',
    });
  });

  it('takes inboundDomain and emailFrom from context', () => {
    const config = configFor({
      mailDomain: 'example.com',
      inboundDomain: 'replies.example.com',
      emailFrom: 'Ana at Soft Partner <ana@example.com>',
    });
    expect(config.inboundDomain).toBe('replies.example.com');
    expect(config.emailFrom).toBe('Ana at Soft Partner <ana@example.com>');
    expect(configFor({ mailDomain: 'example.com', emailFrom: 'ana@Example.com' }).emailFrom).toBe(
      'ana@Example.com',
    );
  });

  it('rejects a mailDomain or inboundDomain that is not a domain name', () => {
    for (const value of [
      'localhost',
      'example',
      'exa mple.org',
      'https://example.org',
      '-bad.org',
      'a..org',
      42,
    ]) {
      expect(() => configFor({ mailDomain: value }), JSON.stringify(value)).toThrow(/mailDomain/);
      expect(() => configFor({ inboundDomain: value }), JSON.stringify(value)).toThrow(/inboundDomain/);
    }
  });

  it('rejects an inboundDomain equal to the MAIL FROM domain, whose MX belongs to SES bounces', () => {
    expect(() => configFor({ mailDomain: 'example.com', inboundDomain: 'mail.example.com' })).toThrow(
      /inboundDomain must differ from the MAIL FROM domain mail\.example\.com/,
    );
  });

  it('rejects an emailFrom that is not an address at mailDomain', () => {
    for (const value of [
      'Soft Partner <hello@other.org>',
      'hello@sub.example.com',
      'Soft Partner',
      'Soft Partner <hello>',
      '<a@example.com> trailing',
    ]) {
      expect(() => configFor({ mailDomain: 'example.com', emailFrom: value }), value).toThrow(
        /emailFrom must be an address at mailDomain example\.com/,
      );
    }
  });

  it('takes inboundMailRetentionDays from context as a whole positive number of days', () => {
    expect(configFor({ inboundMailRetentionDays: '7' }).inboundMailRetentionDays).toBe(7);
    expect(configFor({ inboundMailRetentionDays: 90 }).inboundMailRetentionDays).toBe(90);
    for (const value of ['0', '-1', 'month', 0]) {
      expect(() => configFor({ inboundMailRetentionDays: value }), JSON.stringify(value)).toThrow(
        /inboundMailRetentionDays must be a positive number/,
      );
    }
    expect(() => configFor({ inboundMailRetentionDays: '1.5' })).toThrow(
      /inboundMailRetentionDays must be a whole number of days/,
    );
  });
});

describe('secondsBetweenSends and smsBurstPerSender (how one sender paces its texts)', () => {
  it('hands Twilio exactly its rate, all the senders together, and runs at most the lead ahead of it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (mps) => {
        const senders = senderConcurrency(mps);
        expect(senders / secondsBetweenSends(mps)).toBeCloseTo(mps, 6);
        // What the senders may send ahead of the rate: at most TWILIO_QUEUE_LEAD_SECONDS of it (at least one each).
        const ahead = senders * smsBurstPerSender(mps);
        expect(ahead <= Math.max(senders, mps * TWILIO_QUEUE_LEAD_SECONDS)).toBe(true);
      }),
    );
  });

  it('is 0.5 s and 20 texts ahead for 10 texts a second (5 senders), 2 s and 5 for a long code', () => {
    expect(TWILIO_QUEUE_LEAD_SECONDS).toBe(10);
    expect(secondsBetweenSends(10)).toBe(0.5);
    expect(smsBurstPerSender(10)).toBe(20);
    expect(secondsBetweenSends(1)).toBe(2);
    expect(smsBurstPerSender(1)).toBe(5);
  });
});

describe('senderSizing (batch size, timeout and pacing from the SMS and SES rates)', () => {
  it('sizes the dev stage (1 text and 1 email a second): batches of 2 in a 46 s timeout', () => {
    expect(senderSizing(1, 1)).toEqual({
      senders: 2,
      smsSecondsBetweenSends: 2,
      smsBurst: 5,
      emailSecondsBetweenSends: 2.5,
      stepSeconds: 9,
      batchSize: 2,
      reserveSeconds: 18,
      timeoutSeconds: 46,
    });
  });

  it('sizes the prod defaults (10 texts and 14 emails a second): batches of 10 in 34 s', () => {
    expect(senderSizing(10, 14)).toMatchObject({
      senders: 5,
      stepSeconds: 2,
      batchSize: 10,
      reserveSeconds: 4,
      timeoutSeconds: 34,
    });
  });

  it('lets SES bound the batch when it is far slower than the texts', () => {
    const sizing = senderSizing(1000, 14);
    expect(sizing.senders).toBe(500);
    expect(sizing.emailSecondsBetweenSends).toBeCloseTo(500 / 11.2, 6);
    expect(sizing.batchSize).toBe(1);
    expect(sizing.timeoutSeconds).toBe(Math.ceil(sizing.stepSeconds + sizing.reserveSeconds + 10));
  });

  it('always leaves a normal batch and the reserve inside a valid Lambda timeout', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        (sms, ses) => {
          const sizing = senderSizing(sms, ses);
          expect(Number.isInteger(sizing.batchSize)).toBe(true);
          expect(sizing.batchSize).toBeGreaterThanOrEqual(1);
          expect(sizing.batchSize).toBeLessThanOrEqual(10);
          expect(sizing.timeoutSeconds).toBeGreaterThanOrEqual(30);
          expect(sizing.timeoutSeconds).toBeLessThanOrEqual(900);
          // Unless capped at Lambda's 15 minutes, a batch of expected steps ends before the reserve begins.
          if (sizing.timeoutSeconds < 900)
            expect(sizing.batchSize * sizing.stepSeconds + sizing.reserveSeconds).toBeLessThan(
              sizing.timeoutSeconds,
            );
          expect(sizing.reserveSeconds).toBeGreaterThanOrEqual(sizing.stepSeconds);
        },
      ),
    );
  });

  it('rejects an SES rate that is not a positive finite number', () => {
    for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => senderSizing(10, value)).toThrow(RangeError);
  });
});

describe('senderConcurrency (SMS messages per second -> sender maxConcurrency)', () => {
  it('is ceil(mps × 0.5 s per send), at least 2 and at most 1000', () => {
    expect(SECONDS_PER_SEND).toBe(0.5);
    expect([MIN_SENDER_CONCURRENCY, MAX_SENDER_CONCURRENCY]).toEqual([2, 1000]);
    expect(senderConcurrency(0.1)).toBe(2);
    expect(senderConcurrency(1)).toBe(2);
    expect(senderConcurrency(4)).toBe(2);
    expect(senderConcurrency(5)).toBe(3);
    expect(senderConcurrency(10)).toBe(5);
    expect(senderConcurrency(11)).toBe(6);
    expect(senderConcurrency(100)).toBe(50);
    expect(senderConcurrency(2000)).toBe(1000);
    expect(senderConcurrency(1e9)).toBe(1000);
  });

  it('gives the senders just enough throughput for the provider limit, within the SQS bounds', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (mps) => {
        const concurrency = senderConcurrency(mps);
        expect(Number.isInteger(concurrency)).toBe(true);
        expect(concurrency).toBeGreaterThanOrEqual(MIN_SENDER_CONCURRENCY);
        expect(concurrency).toBeLessThanOrEqual(MAX_SENDER_CONCURRENCY);
        const throughput = concurrency / SECONDS_PER_SEND;
        // Enough senders to keep up (unless capped at 1000), and one fewer could not (unless at the floor of 2).
        if (concurrency < MAX_SENDER_CONCURRENCY) expect(throughput).toBeGreaterThanOrEqual(mps);
        if (concurrency > MIN_SENDER_CONCURRENCY)
          expect((concurrency - 1) / SECONDS_PER_SEND).toBeLessThan(mps);
      }),
    );
  });

  it('never decreases as the allowed throughput grows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(senderConcurrency(low)).toBeLessThanOrEqual(senderConcurrency(high));
        },
      ),
    );
  });

  it('rejects a throughput that is not a positive finite number', () => {
    for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => senderConcurrency(value)).toThrow(RangeError);
    }
  });
});
