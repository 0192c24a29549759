import {
  getExpectedTwilioSignature,
  validateRequest,
  validateRequestWithBody,
} from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboundSmsHandler } from '#functions/inbound-sms.js';
import type { HttpEvent } from '#shared/runtime/http.js';
import { startTestStack, TWILIO_AUTH_TOKEN } from '../support/local-http.js';
import { ADA, BEN } from '../support/members.js';
import { figure } from './figures.js';

/** Twilio's own known-answer vectors (shared by its SDKs' test suites): auth token 12345. */
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};

describe('webhook signatures', () => {
  it('validates Twilio’s published test vectors', () => {
    // Prepare
    const vectors: Array<[string, boolean]> = [
      ['standard form', validateRequest(TOKEN, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', URL_, PARAMS)],
      ['URL signed with :443', validateRequest(TOKEN, 'kvajT1Ptam85bY51eRf/AJRuM3w=', URL_, PARAMS)],
      [
        'repeated keys',
        validateRequest(TOKEN, 'IK+Dwps556ElfBT0I3Rgjkr1wJU=', URL_, {
          Sid: 'CA123',
          SidAccount: 'AC123',
          Digits: ['5678', '1234'],
        }),
      ],
      [
        'JSON body with bodySHA256',
        validateRequestWithBody(
          TOKEN,
          'a9nBmqA0ju/hNViExpshrM61xv4=',
          `${URL_}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`,
          '{"property": "value", "boolean": true}',
        ),
      ],
    ];

    // Act
    const valid = vectors.filter(([, ok]) => ok).length;

    // Assess
    figure('Signatures', 'Twilio known-answer vectors that validate', `${valid}/${vectors.length}`);
    expect(vectors.filter(([, ok]) => !ok).map(([name]) => name)).toEqual([]);
  });

  describe('against the running webhook', () => {
    let stack: Awaited<ReturnType<typeof startTestStack>>;
    let partnershipId = '';
    beforeAll(async () => {
      stack = await startTestStack('2026-11-24T14:00:00Z');
      partnershipId = ((await (await stack.enroll({ members: [ADA, BEN] })).json()) as { id: string }).id;
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('rejects forged, missing, stale-URL and replayed-with-changed-body requests with 403, changing nothing', async () => {
      // Prepare
      const url = `${stack.url}/webhooks/twilio/sms`;
      const params = {
        MessageSid: 'SM00000000000000000000000000000001',
        From: ADA.phone,
        To: '+15005550006',
        Body: 'yes',
      };
      const attempts: Array<[string, Record<string, string>, string | null]> = [
        ['forged', params, getExpectedTwilioSignature('not-our-token', url, params)],
        ['missing', params, null],
        ['stale URL', params, getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${url}/old`, params)],
        [
          'replayed with a changed body',
          { ...params, Body: 'STOP' },
          getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, url, params),
        ],
      ];

      // Act
      const statuses: number[] = [];
      for (const [, body, signature] of attempts) {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(signature ? { 'x-twilio-signature': signature } : {}),
          },
          body: new URLSearchParams(body).toString(),
        });
        statuses.push(response.status);
      }

      // Assess
      const rejected = statuses.filter((status) => status === 403).length;
      figure('Signatures', 'bad requests rejected with 403', `${rejected}/${attempts.length}`);
      expect(statuses).toEqual([403, 403, 403, 403]);
      expect((await stack.outbox()).sms.filter((sms) => sms.direction === 'outbound-reply')).toEqual([]);
      // A signed YES would have made Ada join; nothing did.
      expect((await stack.partnership(partnershipId)).members.map((member) => member.status)).toEqual([
        'invited',
        'invited',
      ]);
    });
  });

  it('rebuilds the signed URL behind API Gateway: stage path, host, base64 bodies and + as space', async () => {
    // Prepare: the public URL includes a stage path; the body arrives base64-encoded with + for spaces.
    const publicBaseUrl = 'https://sms.example.org/prod';
    const params = {
      MessageSid: 'SM00000000000000000000000000000002',
      From: '+12125550101',
      To: '+15005550006',
      Body: 'need a hand today',
    };
    const form = new URLSearchParams(params).toString();
    expect(form).toContain('Body=need+a+hand+today');
    const signature = getExpectedTwilioSignature('token', `${publicBaseUrl}/webhooks/twilio/sms`, params);
    const event = (body: string, isBase64Encoded: boolean, sig: string) =>
      ({
        version: '2.0',
        routeKey: 'POST /webhooks/twilio/sms',
        rawPath: '/prod/webhooks/twilio/sms',
        rawQueryString: '',
        headers: { 'x-twilio-signature': sig, host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
        requestContext: { http: { method: 'POST', path: '/prod/webhooks/twilio/sms' } },
        body,
        isBase64Encoded,
      }) as unknown as HttpEvent;
    const seen: string[] = [];
    const handler = createInboundSmsHandler(async () => ({
      store: {
        receiveInbound: async (record: { body: string }) => {
          seen.push(record.body);
          return 'already_done';
        },
      } as never,
      scheduler: {} as never,
      clock: { now: () => new Date('2026-11-24T14:00:00Z') },
      authToken: 'token',
      publicBaseUrl,
    }));

    // Act
    const plain = await handler(event(form, false, signature));
    const base64 = await handler(event(Buffer.from(form).toString('base64'), true, signature));
    const otherHost = await handler(
      event(
        form,
        false,
        getExpectedTwilioSignature(
          'token',
          'https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/twilio/sms',
          params,
        ),
      ),
    );

    // Assess
    const ok = [plain.statusCode, base64.statusCode].filter((status) => status === 200).length;
    figure('Signatures', 'API Gateway event shapes verified (plain, base64)', `${ok}/2`);
    expect([plain.statusCode, base64.statusCode, otherHost.statusCode]).toEqual([200, 200, 403]);
    expect(seen).toEqual(['need a hand today', 'need a hand today']);
  });
});
