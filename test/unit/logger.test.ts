import { describe, expect, it, vi } from 'vitest';
import { logger, redact } from '#shared/runtime/logger.js';

describe('the logger', () => {
  it('masks phone numbers and email addresses in free text, and leaves dates and ids alone', () => {
    expect(
      redact('The number +12125550101 is not valid; mail ada@example.com at 2026-11-24T14:00:00Z (m1)'),
    ).toBe('The number [phone] is not valid; mail [email] at 2026-11-24T14:00:00Z (m1)');
  });

  it('masks them in every string it writes, however they got into the log line', () => {
    // Prepare
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    logger.info('step failed', {
      reason: 'Twilio: +447911123456 is unreachable',
      nested: { to: 'ben@example.org' },
    });
    spy.mockRestore();

    // Assess
    const line = written.join('');
    expect(line).toContain('Twilio: [phone] is unreachable');
    expect(line).toContain('"to":"[email]"');
    expect(line).not.toMatch(/447911123456|ben@example\.org/);
  });

  it('writes one JSON line as Powertools did: level, message, timestamp, service, then its fields; warnings to stderr', () => {
    // Prepare
    const out: string[] = [];
    const err: string[] = [];
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0),
    ];
    const cyclic: Record<string, unknown> = { id: 'p1' };
    cyclic.self = cyclic;

    // Act
    logger.info('step dispatched', { scheduleName: 'ci-1', outcome: 'sent', missing: undefined });
    logger.warn('step failed', { reason: new Error('Twilio 500'), cyclic });
    logger.setLogLevel('ERROR');
    logger.info('not written');
    logger.setLogLevel('INFO');
    for (const spy of spies) spy.mockRestore();

    // Assess
    expect(out).toHaveLength(1);
    expect(out[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(out[0] ?? '')).toEqual({
      level: 'INFO',
      message: 'step dispatched',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: expect.any(String),
      sampling_rate: 0,
      scheduleName: 'ci-1',
      outcome: 'sent',
    });
    expect(err).toHaveLength(1);
    expect(JSON.parse(err[0] ?? '')).toMatchObject({
      level: 'WARN',
      reason: { name: 'Error', message: 'Twilio 500' },
      cyclic: { id: 'p1' },
    });
  });
});
