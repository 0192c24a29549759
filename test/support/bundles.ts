import { readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ESM_REQUIRE_BANNER, PROJECT_ROOT } from '../../infra/constructs/soft-partner-function.js';

/** Every Lambda entry point in functions/. */
export const functionEntries = readdirSync(join(PROJECT_ROOT, 'functions')).filter((file) =>
  file.endsWith('.ts'),
);

/** esbuild's options for a Lambda bundle, as SoftPartnerFunction bundles (minified ESM, SDK included). */
export const lambdaBuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
} as const satisfies BuildOptions;

/** Bundles an entry point (a file of functions/, or an absolute path) as SoftPartnerFunction does; esbuild's metafile. */
export async function metafileOf(entry: string): Promise<Metafile> {
  const result = await build({
    ...lambdaBuildOptions,
    entryPoints: [isAbsolute(entry) ? entry : join(PROJECT_ROOT, 'functions', entry)],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}
