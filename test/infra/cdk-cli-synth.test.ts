import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('npm run synth (the pinned CDK CLI, with real bundling)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'soft-partner-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes both CloudFormation templates offline and bundles every function', () => {
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', outdir], {
      stdio: 'pipe',
      timeout: 120_000,
    });
    for (const stack of ['SoftPartnerStateful-dev', 'SoftPartnerStateless-dev']) {
      const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties?: { Code?: { S3Key?: string } } }>;
      };
      expect(Object.keys(template.Resources).length).toBeGreaterThan(0);
    }
    const stateless = JSON.parse(
      readFileSync(join(outdir, 'SoftPartnerStateless-dev.template.json'), 'utf8'),
    ) as {
      Resources: Record<string, { Type: string }>;
    };
    const functions = Object.values(stateless.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(6);
    const bundles = readdirSync(outdir).filter(
      (entry) => entry.startsWith('asset.') && existsSync(join(outdir, entry, 'index.mjs')),
    );
    expect(bundles).toHaveLength(6);
    // Email is compiled at build time: no function may carry mjml (≈ 500 ms and 58 MB at cold start).
    for (const bundle of bundles) {
      expect(readFileSync(join(outdir, bundle, 'index.mjs'), 'utf8')).not.toMatch(/mjml2html|mjml-core/);
    }
  }, 150_000);
});
