import { brotliDecompressSync } from 'node:zlib';
import type { MetadataJson } from 'libphonenumber-js/core';
import { PHONE_METADATA_MAX_BROTLI_BASE64 } from './phone-metadata.generated.js';

let metadata: MetadataJson | undefined;

/**
 * libphonenumber's full metadata (number types by country), unpacked on first use: only the functions
 * that check numbers (enroll) carry it, compressed (see scripts/phone-metadata.ts).
 */
export function phoneMetadata(): MetadataJson {
  metadata ??= JSON.parse(
    brotliDecompressSync(Buffer.from(PHONE_METADATA_MAX_BROTLI_BASE64, 'base64')).toString('utf8'),
  ) as MetadataJson;
  return metadata;
}
