import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '#shared/domain/errors.js';
import type { OutboundSms, SmsPort } from '#shared/domain/ports.js';
import { refreshing } from '#shared/runtime/aws-deps.js';
import type { TwilioSecret } from '#shared/runtime/config.js';
import { isTwilioAuthenticationError, RotatingTwilioSms } from '#shared/runtime/rotating-twilio-sms.js';
import { verifiedTwilioForm } from '#shared/runtime/twiml.js';

const URL = 'https://sms.example.com/webhooks/twilio/sms';
const FORM = { MessageSid: 'SM123', From: '+15550001111', To: '+15550002222', Body: 'YES' };

/** A webhook request Twilio signed with `token`. */
const signedWith = (token: string): APIGatewayProxyEventV2 =>
  ({
    rawPath: '/webhooks/twilio/sms',
    body: new URLSearchParams(FORM).toString(),
    isBase64Encoded: false,
    headers: { 'x-twilio-signature': getExpectedTwilioSignature(token, URL, FORM) },
  }) as unknown as APIGatewayProxyEventV2;

/** Twilio's refusal of a token it no longer accepts, as the twilio package's RestException carries it. */
const authRefusal = () => Object.assign(new Error('Authenticate'), { status: 401, code: 20003 });

/** A sender per token: the tokens in `accepted` send, the others are refused like a revoked token. */
function fakeTwilio(accepted: Set<string>) {
  const sends: { token: string; to: string }[] = [];
  const senderFor = (_accountSid: string, token: string): SmsPort => ({
    async send(message: OutboundSms) {
      if (!accepted.has(token)) throw authRefusal();
      sends.push({ token, to: message.to });
      return { sid: `SM-${sends.length}` };
    },
    async findSent(message) {
      if (!accepted.has(token)) throw authRefusal();
      return sends.some((sent) => sent.to === message.to) ? { sid: `SM-${token}` } : undefined;
    },
  });
  return { sends, senderFor };
}

const MESSAGE: OutboundSms = { to: '+15550001111', body: 'Hello' } as OutboundSms;

describe('secrets that rotate', () => {
  describe('refreshing()', () => {
    it('reads once, again once the TTL has passed, and again at once after invalidate()', async () => {
      // Prepare
      let clock = 0;
      let reads = 0;
      const secret = refreshing(
        async () => ++reads,
        300_000,
        () => clock,
      );

      // Act / Assess
      expect(await secret()).toBe(1);
      clock = 299_999;
      expect(await secret()).toBe(1);
      clock = 300_000;
      expect(await secret()).toBe(2);
      secret.invalidate();
      expect(await secret()).toBe(3);
    });

    it('does not keep a failed read', async () => {
      let reads = 0;
      const secret = refreshing(
        async () => {
          reads += 1;
          if (reads === 1) throw new Error('extension not ready');
          return 'value';
        },
        300_000,
        () => 0,
      );
      await expect(secret()).rejects.toThrow('extension not ready');
      expect(await secret()).toBe('value');
    });
  });

  describe('the webhook during a rotation', () => {
    it('accepts a request signed with the primary or the secondary token, and nothing else', () => {
      expect(verifiedTwilioForm(signedWith('primary'), ['primary', 'secondary'], URL)).toMatchObject(FORM);
      expect(verifiedTwilioForm(signedWith('secondary'), ['primary', 'secondary'], URL)).toMatchObject(FORM);
      expect(() => verifiedTwilioForm(signedWith('forged'), ['primary', 'secondary'], URL)).toThrow(
        ForbiddenError,
      );
      expect(() => verifiedTwilioForm(signedWith('secondary'), 'primary', URL)).toThrow(ForbiddenError);
    });
  });

  describe('RotatingTwilioSms', () => {
    it('sends with the primary token while Twilio accepts it, reading the secret no more than needed', async () => {
      // Prepare
      const twilio = fakeTwilio(new Set(['old']));
      let reads = 0;
      const sms = new RotatingTwilioSms({
        credentials: async () => {
          reads += 1;
          return { accountSid: 'AC1', authToken: 'old' };
        },
        invalidate: () => {},
        senderFor: twilio.senderFor,
      });

      // Act
      await sms.send(MESSAGE);
      await sms.send(MESSAGE);

      // Assess
      expect(twilio.sends.map(({ token }) => token)).toEqual(['old', 'old']);
      expect(reads).toBe(2);
    });

    it('falls back to the secondary token once the primary is revoked', async () => {
      const twilio = fakeTwilio(new Set(['new']));
      const secret: TwilioSecret = { accountSid: 'AC1', authToken: 'old', secondaryAuthToken: 'new' };
      const sms = new RotatingTwilioSms({
        credentials: async () => secret,
        invalidate: () => {},
        senderFor: twilio.senderFor,
      });

      await sms.send(MESSAGE);
      const found = await sms.findSent({ ...MESSAGE, since: new Date(0) });

      expect(twilio.sends).toEqual([{ token: 'new', to: MESSAGE.to }]);
      // The look-up of a text already sent goes through the same tokens.
      expect(found).toEqual({ sid: 'SM-new' });
    });

    it('reads the secret again right after Twilio refuses the cached token, and sends once with the new one', async () => {
      // Prepare: the container cached "old"; the operator has since put "new" in the secret.
      const twilio = fakeTwilio(new Set(['new']));
      let stored: TwilioSecret = { accountSid: 'AC1', authToken: 'old' };
      const cached = refreshing(
        async () => stored,
        300_000,
        () => 0,
      );
      await cached();
      stored = { accountSid: 'AC1', authToken: 'new' };
      const sms = new RotatingTwilioSms({
        credentials: cached,
        invalidate: cached.invalidate,
        senderFor: twilio.senderFor,
      });

      // Act
      const sent = await sms.send(MESSAGE);

      // Assess
      expect(sent.sid).toBe('SM-1');
      expect(twilio.sends).toEqual([{ token: 'new', to: MESSAGE.to }]);
    });

    it("throws Twilio's refusal when no token works, and any other error at once", async () => {
      const refused = new RotatingTwilioSms({
        credentials: async () => ({ accountSid: 'AC1', authToken: 'old' }),
        invalidate: () => {},
        senderFor: fakeTwilio(new Set()).senderFor,
      });
      await expect(refused.send(MESSAGE)).rejects.toMatchObject({ status: 401, code: 20003 });

      let invalidations = 0;
      const failing = new RotatingTwilioSms({
        credentials: async () => ({ accountSid: 'AC1', authToken: 'old' }),
        invalidate: () => {
          invalidations += 1;
        },
        senderFor: () => ({
          send: async () => {
            throw Object.assign(new Error('Too Many Requests'), { status: 429 });
          },
          findSent: async () => undefined,
        }),
      });
      await expect(failing.send(MESSAGE)).rejects.toThrow('Too Many Requests');
      expect(invalidations).toBe(0);
    });

    it('recognises only 401 / 20003 as an authentication failure', () => {
      expect(isTwilioAuthenticationError(authRefusal())).toBe(true);
      expect(isTwilioAuthenticationError({ status: 400, code: 21211 })).toBe(false);
      expect(isTwilioAuthenticationError(new Error('network'))).toBe(false);
      expect(isTwilioAuthenticationError(undefined)).toBe(false);
    });
  });
});
