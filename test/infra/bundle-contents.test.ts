import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/soft-partner-function.js';

/** Every Lambda entry point, bundled as SoftPartnerFunction bundles it (minified ESM, SDK included). */
const entries = readdirSync(join(PROJECT_ROOT, 'functions')).filter((file) => file.endsWith('.ts'));

async function metafileOf(entry: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'functions', entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

const packagesIn = (metafile: Metafile) =>
  new Set(
    Object.keys(metafile.inputs).flatMap((input) => {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      return match?.[1] ? [match[1]] : [];
    }),
  );

describe('what each Lambda bundle contains (esbuild metafile)', () => {
  it.each(entries)('%s carries no mjml: emails are compiled at build time', async (entry) => {
    const packages = packagesIn(await metafileOf(entry));
    expect([...packages].filter((name) => name.startsWith('mjml'))).toEqual([]);
    expect(packages.has('html-minifier') || packages.has('juice')).toBe(false);
  });

  it('keeps the Twilio REST client out of the functions that only answer or read', async () => {
    for (const entry of ['inbound-sms.ts', 'inbound-email.ts', 'email-links.ts', 'email-events.ts']) {
      const inputs = Object.keys((await metafileOf(entry)).inputs);
      expect(inputs.filter((input) => input.includes('twilio/lib/rest/'))).toEqual([]);
    }
  });
});
