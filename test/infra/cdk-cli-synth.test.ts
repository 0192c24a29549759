import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The whole `cdk synth`, bundling and cdk-nag included. */
const SYNTH_LIMIT_MS = 300_000;

describe('npm run synth (the pinned CDK CLI, with real bundling)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'soft-partner-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // One synthesis for the file, outside any test's own limit: it bundles seven functions with esbuild and runs
  // both cdk-nag packs, ≈ 2 minutes on two busy cores.
  beforeAll(() => {
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', outdir], {
      stdio: 'pipe',
      timeout: SYNTH_LIMIT_MS,
    });
  }, SYNTH_LIMIT_MS + 30_000);

  it('writes both CloudFormation templates offline and bundles every function', () => {
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
    expect(functions).toHaveLength(7);
    const bundles = readdirSync(outdir).filter(
      (entry) => entry.startsWith('asset.') && existsSync(join(outdir, entry, 'index.mjs')),
    );
    expect(bundles).toHaveLength(7);
    // cdk-nag ran in the app itself (infra/app.ts): each pack wrote its report for each stack (cdk-nag
    // prefixes the stack name with the app's stage id, empty here).
    const reports = readdirSync(outdir).filter((entry) => entry.endsWith('-NagReport.csv'));
    for (const pack of ['AwsSolutions', 'Serverless']) {
      for (const stack of ['SoftPartnerStateful-dev', 'SoftPartnerStateless-dev']) {
        expect(
          reports.filter(
            (report) => report.startsWith(`${pack}-`) && report.endsWith(`${stack}-NagReport.csv`),
          ),
          `${pack} report of ${stack}`,
        ).toHaveLength(1);
      }
    }
    // Email is compiled at build time: no function may carry mjml (≈ 500 ms and 58 MB at cold start).
    for (const bundle of bundles) {
      expect(readFileSync(join(outdir, bundle, 'index.mjs'), 'utf8')).not.toMatch(/mjml2html|mjml-core/);
    }
  });

  it('refuses to synthesize prod while the mail domain and Twilio number are placeholders', () => {
    // The app itself, without the CLI: the CLI hands context over in CDK_CONTEXT_JSON.
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        stdio: 'pipe',
        timeout: 60_000,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'prod' }), CDK_OUTDIR: outdir },
      });
    expect(run).toThrow(/Refusing to synthesize stage prod with placeholders/);
  }, 90_000);
});
