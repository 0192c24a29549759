import { describe, expect, it } from 'vitest';
import { parseReplyAddress, replyAddress, signLink, verifyLink } from '#shared/domain/signed-tokens.js';

const SECRET = 'test-secret';
const reference = { partnershipId: 'k9804es6p2fb', memberId: 'm2', localDate: '2026-10-06' };

describe('reply addresses', () => {
  it('carry the member and the check-in, signed, in a local part of at most 64 octets', () => {
    const address = replyAddress(SECRET, reference, 'in.example.org');
    expect(address).toMatch(/^reply\+k9804es6p2fb-m2-20261006-[0-9a-z]{16}@in\.example\.org$/);
    expect(address.split('@')[0]?.length).toBeLessThanOrEqual(64);
    expect(parseReplyAddress(SECRET, address)).toEqual(reference);
  });

  it('survive a mail system folding the address to upper case', () => {
    expect(
      parseReplyAddress(SECRET, replyAddress(SECRET, reference, 'in.example.org').toUpperCase()),
    ).toEqual(reference);
  });

  it('refuse a tampered member, date or signature, and another secret', () => {
    const address = replyAddress(SECRET, reference, 'in.example.org');
    expect(parseReplyAddress(SECRET, address.replace('-m2-', '-m1-'))).toBeUndefined();
    expect(parseReplyAddress(SECRET, address.replace('20261006', '20261007'))).toBeUndefined();
    expect(
      parseReplyAddress(
        SECRET,
        address.replace(
          /-([0-9a-z])([0-9a-z]{15})@/,
          (_, first, rest) => `-${first === 'a' ? 'b' : 'a'}${rest}@`,
        ),
      ),
    ).toBeUndefined();
    expect(parseReplyAddress('another-secret', address)).toBeUndefined();
    expect(parseReplyAddress(SECRET, 'ada@example.org')).toBeUndefined();
  });
});

describe('link tokens', () => {
  const payload = {
    p: 'k9804es6p2fb',
    m: 'm1',
    a: 'unsubscribe',
    exp: Date.parse('2026-11-01T00:00:00Z') / 1000,
  };

  it('verify before they expire', () => {
    expect(verifyLink(SECRET, signLink(SECRET, payload), new Date('2026-10-20T00:00:00Z'))).toEqual({
      ok: true,
      payload,
    });
  });

  it('expire', () => {
    expect(verifyLink(SECRET, signLink(SECRET, payload), new Date('2026-11-01T00:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuse a changed payload, a foreign signature and garbage', () => {
    const [, signature] = signLink(SECRET, payload).split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...payload, m: 'm2' })).toString('base64url')}.${signature}`;
    const now = new Date('2026-10-20T00:00:00Z');
    expect(verifyLink(SECRET, forged, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLink('another-secret', signLink(SECRET, payload), now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLink(SECRET, 'not-a-token', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLink(SECRET, 'a.b.c', now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
