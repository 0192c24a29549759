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
});
