import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import { twilioSignatureMatches } from '#shared/runtime/twilio-signature.js';

/** Twilio's known-answer vectors (shared by its SDKs' test suites): auth token 12345. */
const TOKEN = '12345';
const VECTOR_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const VECTOR_PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};

/** URL shapes we give Twilio (the public base URL and a webhook path), and forms it posts to them. */
const URLS = [
  'https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/twilio/sms',
  'https://sms.example.org:8443/webhooks/twilio/sms',
  'http://127.0.0.1:3000/webhooks/twilio/sms',
  'http://localhost/webhooks/twilio/status?x=1',
  VECTOR_URL,
];
const FORMS: Array<Record<string, string | string[]>> = [
  VECTOR_PARAMS,
  {
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    From: '+447911123456',
    Body: 'Mia 212 555 0101 ñ € 😀',
  },
  { Body: '', To: '+15005550006', constructor: 'x', __proto__: 'y' },
  { Digits: ['5678', '1234', '5678'], Sid: 'CA123' },
];

describe('Twilio request signatures (ours, checked against the twilio package)', () => {
  it('accepts Twilio’s published vectors, with and without :443', () => {
    // Prepare
    const signatures = ['RSOYDt4T1cUTdK1PDd93/VVr8B8=', 'kvajT1Ptam85bY51eRf/AJRuM3w='];

    // Act
    const verdicts = signatures.map((signature) =>
      twilioSignatureMatches(TOKEN, signature, VECTOR_URL, VECTOR_PARAMS),
    );

    // Assess
    expect(verdicts).toEqual([true, true]);
  });

  it('agrees with validateRequest on every URL and form, signed right, with a port, or wrong', () => {
    // Prepare
    const cases = URLS.flatMap((url) =>
      FORMS.flatMap((form) => {
        const withPort = url.replace(
          /^(https?:\/\/[^/:]+)(\/)/,
          (_all, host: string, slash: string) => `${host}${url.startsWith('https') ? ':443' : ':80'}${slash}`,
        );
        return [
          { url, form, signature: getExpectedTwilioSignature(TOKEN, url, form) },
          { url, form, signature: getExpectedTwilioSignature(TOKEN, withPort, form) },
          { url, form, signature: getExpectedTwilioSignature('another-token', url, form) },
          { url, form, signature: getExpectedTwilioSignature(TOKEN, url, { ...form, Body: 'changed' }) },
          { url, form, signature: '' },
        ];
      }),
    );

    // Act
    const disagreements = cases.filter(
      ({ url, form, signature }) =>
        twilioSignatureMatches(TOKEN, signature, url, form) !== validateRequest(TOKEN, signature, url, form),
    );

    // Assess
    expect(disagreements).toEqual([]);
    expect(
      cases.filter(({ url, form, signature }) => twilioSignatureMatches(TOKEN, signature, url, form)).length,
    ).toBe(URLS.length * FORMS.length * 2);
  });
});
