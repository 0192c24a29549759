import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PHONE_METADATA_MAX_BROTLI_BASE64 } from '#shared/domain/phone-metadata.generated.js';
import { countriesOfNumber, whyNotTextable } from '#shared/domain/textable-number.js';
import { generatedModule, installedMaxMetadata } from '../../scripts/phone-metadata.js';

const EVERYWHERE = undefined;

describe('numbers worth texting', () => {
  it('carries exactly the installed libphonenumber-js full metadata (run scripts/phone-metadata.ts after an update)', () => {
    // Prepare
    const installed = JSON.parse(installedMaxMetadata()) as unknown;

    // Act
    const carried = JSON.parse(
      brotliDecompressSync(Buffer.from(PHONE_METADATA_MAX_BROTLI_BASE64, 'base64')).toString('utf8'),
    ) as unknown;

    // Assess
    expect(carried).toEqual(installed);
    const onDisk = readFileSync(
      join(import.meta.dirname, '../../shared/domain/phone-metadata.generated.ts'),
      'utf8',
    );
    expect(onDisk).toBe(generatedModule(installedMaxMetadata()));
  });

  it.each([
    ['+19005551234', 'premium-rate'],
    ['+448712345678', 'premium-rate'],
    ['+33899123456', 'premium-rate'],
    ['+33810123456', 'shared-cost'],
    ['+445511234567', 'UAN'],
    ['+447640123456', 'pager'],
  ])('refuses %s as a %s number', (phone, kind) => {
    expect(whyNotTextable(phone, EVERYWHERE)).toContain(kind);
  });

  it.each([
    ['+12125550101', ['US']],
    ['+447911123456', ['GB', 'GG']],
    ['+33612345678', ['FR']],
    ['+61412345678', ['AU']],
    ['+18005551212', ['US']],
  ])('accepts %s in %j', (phone, countries) => {
    expect(whyNotTextable(phone, countries)).toBeUndefined();
  });

  it('refuses a valid mobile outside the allowed countries, naming them', () => {
    expect(whyNotTextable('+33612345678', ['US', 'CA'])).toBe(
      'is in a country we do not text (FR); we text numbers in US, CA',
    );
  });

  it('defaults to the countries that share the sending number’s calling code', () => {
    expect(countriesOfNumber('+15005550006')).toEqual(expect.arrayContaining(['US', 'CA', 'PR']));
    expect(countriesOfNumber('+447911123456').sort()).toEqual(['GB', 'GG', 'IM', 'JE']);
  });
});
