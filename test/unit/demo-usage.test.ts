import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Runs `tsx scripts/demo.ts` with the given arguments; never starts a stack for these. */
async function demo(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run demo -- --help', () => {
  it('prints its usage with every option and exits 0', async () => {
    // Act
    const { code, stdout } = await demo('--help');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run demo -- \[options\]/);
    for (const option of ['--team <n>', '--out <dir>', '-h, --help']) expect(stdout).toContain(option);
  });

  it('names an unknown option, prints the usage and exits 2', async () => {
    // Act
    const { code, stderr } = await demo('--teams', '4');

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--teams'");
    expect(stderr).toContain('Usage: npm run demo');
  });
});
