import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (X-Twilio-Signature), as its SDK's `validateRequest` checks it for the URLs
 * we give Twilio (a scheme, a host, maybe a port, a path and a query): HMAC-SHA1 of the URL followed by
 * every field name and value, names sorted, a repeated field's distinct values sorted too; the URL
 * Twilio signed may carry the scheme's default port or not. Ours, rather than the `twilio` package's
 * module (≈ 3.4 KB of the inbound bundle); test/unit/twilio-signature.test.ts checks both agree.
 */
export function twilioSignatureMatches(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string | string[]>,
): boolean {
  const fields = Object.keys(params)
    .sort()
    .map((key) => {
      const value = params[key] ?? '';
      return Array.isArray(value)
        ? [...new Set(value)]
            .sort()
            .map((each) => key + each)
            .join('')
        : key + value;
    })
    .join('');
  const given = Buffer.from(signature);
  return urlVariants(url).some((candidate) => {
    const expected = Buffer.from(
      createHmac('sha1', authToken)
        .update(candidate + fields, 'utf8')
        .digest('base64'),
    );
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** The URL without its port, and with the scheme's default port when it names none. */
function urlVariants(url: string): string[] {
  const match = /^([a-z][a-z\d+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d*)?(.*)$/is.exec(url);
  if (!match) return [url];
  const [, scheme = '', user = '', host = '', port, rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return [scheme + user + host + rest, scheme + user + host + (port ?? defaultPort) + rest];
}
