import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from '../../infra/constructs/soft-partner-function.js';

/** Every Lambda entry point in functions/. */
export const functionEntries = readdirSync(join(PROJECT_ROOT, 'functions')).filter((file) =>
  file.endsWith('.ts'),
);

/** Bundles an entry point as SoftPartnerFunction does (minified ESM, SDK included) and returns esbuild's metafile. */
export async function metafileOf(entry: string): Promise<Metafile> {
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
