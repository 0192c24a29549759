import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A short random id (Crockford base32, 60 bits), small enough to fit in a 64-character schedule name. */
export function newPartnershipId(): string {
  return Array.from(randomBytes(12), (byte) => ALPHABET[byte % 32]).join('');
}

/** Members are numbered within their partnership: m1 … m8. */
export function memberId(index: number): string {
  return `m${index + 1}`;
}
