import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionEntries as entries, metafileOf } from '../support/bundles.js';

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

  it('keeps the generated Twilio REST client (≈ 3 MB) out of every function: texts go through its RequestClient', async () => {
    for (const entry of entries) {
      const inputs = Object.keys((await metafileOf(entry)).inputs);
      expect(inputs.filter((input) => input.includes('twilio/lib/rest/'))).toEqual([]);
    }
  });
});
