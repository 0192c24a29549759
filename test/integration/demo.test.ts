import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestStack } from '../support/local-http.js';
import { ADA } from '../support/members.js';

const run = promisify(execFile);
const dirs: string[] = [];

describe('npm run demo', () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([[[]], [['--team', '5']]])(
    'runs a scripted 14-day trial %j, checks it and writes the transcript and emails',
    async (extra) => {
      // Prepare
      const out = mkdtempSync(join(tmpdir(), 'soft-partner-demo-out-'));
      dirs.push(out);

      // Act: the same command `npm run demo` runs (exit code 0 only if every expectation held).
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'scripts/demo.ts', '--out', out, ...extra],
        {
          timeout: 60_000,
        },
      );

      // Assess
      expect(stdout).toContain('Every expectation held.');
      const transcript = readFileSync(join(out, 'transcript.md'), 'utf8');
      expect(transcript).toMatch(
        /\| Tue 3 Feb 08:30 \(America\/New_York\) \| Ada \| email \| → Ada \| Day 1 of 14/,
      );
      expect(transcript).toContain('## Every expectation held');
      expect(readdirSync(join(out, 'emails')).some((file) => file.includes('day-14'))).toBe(true);
    },
    90_000,
  );
});

describe('invitations and quiet hours', () => {
  it('holds an invitation until the member’s quiet hours end', async () => {
    // Prepare: 05:00 in Tokyo, 15:00 in New York.
    const stack = await startTestStack('2026-11-24T20:00:00Z');
    const ed = { ...ADA, name: 'Ed', phone: '+12125550124', timezone: 'Asia/Tokyo', checkInTime: '12:00' };
    try {
      // Act
      await stack.enroll({ members: [ADA, ed] });
      const before = (await stack.outbox()).sms.filter((sms) => sms.to === ed.phone);
      await stack.advance({ to: '2026-11-24T23:00:00Z' });
      const after = (await stack.outbox()).sms.filter((sms) => sms.to === ed.phone);

      // Assess: nothing at 05:00 Tokyo; the invitation at 07:00 (22:00 UTC).
      expect(before).toEqual([]);
      expect(after.map((sms) => [sms.at, sms.body.slice(0, 8)])).toEqual([
        ['2026-11-24T22:00:00.000Z', 'Hi Ed! A'],
      ]);
      expect((await stack.outbox()).sms.filter((sms) => sms.to === ADA.phone)).toHaveLength(1);
    } finally {
      await stack.close();
    }
  });
});
