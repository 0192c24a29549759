import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dirs: string[] = [];

async function scan(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'soft-partner-logs-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'worker-1.log'), `${lines.join('\n')}\n`);
  try {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      'scripts/privacy-scan.ts',
      '--dir',
      dir,
    ]);
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('the privacy scan of the suite’s logs', () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('passes log lines that carry only ids', async () => {
    const result = await scan([
      '{"level":"INFO","message":"inbound sms handled","memberId":"m1","messageSid":"SM1"}',
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toContain('1 log lines from 1 test workers; 0 with personal data');
  });

  it.each([
    ['a phone number', '{"level":"INFO","message":"sent","to":"+12125550101"}'],
    ['an email address', '{"level":"WARN","message":"rejected","from":"ada@example.com"}'],
  ])('fails on %s, without repeating it', async (kind, line) => {
    const result = await scan([line]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`worker-1.log:1: ${kind}`);
    expect(result.output).not.toMatch(/\+12125550101|ada@example\.com/);
  });
});
