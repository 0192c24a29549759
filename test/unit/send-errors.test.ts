import {
  AccountSuspendedException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { permanentSesError, SesV2Email } from '#shared/adapters/sesv2-email.js';
import { isPermanentTwilioCode, TwilioSms, type TwilioTransport } from '#shared/adapters/twilio-sms.js';
import { UndeliverableError } from '#shared/domain/errors.js';
import { checksInByEmail, emailReachable, type Member } from '#shared/domain/partnership.js';

/** A transport that answers every request as Twilio answered with `status` and `code`. */
const twilioAnswering = (status: number, code: number): TwilioTransport => {
  const answer = async () => ({
    statusCode: status,
    body: JSON.stringify({
      code,
      message: 'Refused',
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    }),
  });
  return { postForm: answer, get: answer };
};

const textVia = (transport: TwilioTransport) =>
  new TwilioSms({
    accountSid: `AC${'0'.repeat(32)}`,
    authToken: 'token',
    from: '+15005550006',
    transport,
  }).send({ to: '+12125550101', body: 'Still on track today?' });

const caught = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('Twilio refusals: permanent for the number, or worth retrying', () => {
  it.each([
    [21211, "invalid 'To'"],
    [21408, 'region not enabled'],
    [21610, 'unsubscribed recipient'],
    [21612, 'cannot route'],
    [21614, 'not a mobile number'],
  ])('takes %i (%s) as undeliverable to that number, not to retry', async (code) => {
    // Act
    const error = await caught(textVia(twilioAnswering(400, code)));

    // Assess
    expect(error).toBeInstanceOf(UndeliverableError);
    expect(error).toMatchObject({ channel: 'sms', reason: String(code), scope: 'recipient' });
    expect(isPermanentTwilioCode(code)).toBe(true);
  });

  it.each([
    [429, 20429],
    [500, 20500],
    [503, 20503],
    [401, 20003],
    [400, 21606],
  ])('throws a %i (code %i) as it is, for the step to be retried', async (status, code) => {
    // Act
    const error = await caught(textVia(twilioAnswering(status, code)));

    // Assess
    expect(error).not.toBeInstanceOf(UndeliverableError);
    expect(error).toMatchObject({ status, code });
    expect(isPermanentTwilioCode(code)).toBe(false);
  });
});

describe('SES v2 refusals: for the address, for the whole account, or worth retrying', () => {
  const ses = mockClient(SESv2Client);
  afterEach(() => ses.reset());
  const meta = (httpStatusCode: number) => ({ message: 'Refused', $metadata: { httpStatusCode } });
  const emailVia = () =>
    new SesV2Email(new SESv2Client({ region: 'local' }), { from: 'hello@example.org' }).send({
      to: 'ada@example.com',
      subject: 'Still on track today?',
      html: '<p>Hi</p>',
      text: 'Hi',
    });

  it.each([
    [new MessageRejected(meta(400)), 'recipient'],
    [new AccountSuspendedException(meta(400)), 'account'],
    [new SendingPausedException(meta(400)), 'account'],
    [new MailFromDomainNotVerifiedException(meta(400)), 'account'],
  ])('takes %s as undeliverable (%s), not to retry', async (refusal, scope) => {
    // Prepare
    ses.on(SendEmailCommand).rejects(refusal);

    // Act
    const error = await caught(emailVia());

    // Assess
    expect(error).toBeInstanceOf(UndeliverableError);
    expect(error).toMatchObject({ channel: 'email', reason: refusal.name, scope, cause: refusal });
    expect(permanentSesError(refusal)).toBe(scope);
  });

  it.each([
    new TooManyRequestsException(meta(429)),
    new LimitExceededException(meta(400)),
    Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' }),
  ])('throws %s as it is, for the step to be retried', async (refusal) => {
    // Prepare
    ses.on(SendEmailCommand).rejects(refusal);

    // Act
    const error = await caught(emailVia());

    // Assess
    expect(error).not.toBeInstanceOf(UndeliverableError);
    expect((error as Error).name).toBe(refusal.name);
    expect(permanentSesError(refusal)).toBeUndefined();
  });

  it('sends as before when SES accepts', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    expect(await emailVia()).toEqual({ messageId: 'm-1' });
  });
});

describe('which channel a check-in asks first when one cannot reach the member', () => {
  const member = (changes: Partial<Member>) =>
    ({ email: 'ada@example.com', status: 'active', checkInBy: 'sms', ...changes }) as Pick<
      Member,
      'email' | 'emailStatus' | 'status' | 'checkInBy'
    >;

  it('still asks SES first for an email member whose address it refused (a text follows if it refuses again)', () => {
    const refused = member({ checkInBy: 'email', emailStatus: 'undeliverable' });
    expect(checksInByEmail(refused)).toBe(true);
    expect(emailReachable(refused)).toBe(true);
  });

  it('never emails an address that unsubscribed, bounced or complained', () => {
    for (const emailStatus of ['unsubscribed', 'bounced', 'complained'] as const) {
      expect(emailReachable(member({ emailStatus }))).toBe(false);
      expect(checksInByEmail(member({ checkInBy: 'email', emailStatus }))).toBe(false);
    }
  });
});
