import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { UndeliverableError } from '#shared/domain/errors.js';
import type { EmailPort, OutboundEmail } from '#shared/domain/ports.js';

export interface SesEmailConfig {
  /** A verified identity, e.g. "Soft Partner <hello@example.org>". */
  from: string;
  /** The configuration set whose event destination reports bounces and complaints. */
  configurationSetName?: string;
}

/** SES tag names and values allow letters, digits, _ and - only. */
const tagSafe = (value: string) => value.replace(/[^\w-]/g, '_').slice(0, 256);

/**
 * SES v2 SendEmail errors that retrying cannot fix, by the SDK's error name: `recipient` for this address
 * (in the sandbox, an address not verified), `account` when SES refuses everything we send until the
 * operator acts. Throttling (TooManyRequestsException), LimitExceededException and 5xx stay retryable.
 */
export const SES_PERMANENT_ERRORS: Readonly<Record<string, 'recipient' | 'account'>> = {
  MessageRejected: 'recipient',
  AccountSuspendedException: 'account',
  SendingPausedException: 'account',
  MailFromDomainNotVerifiedException: 'account',
};

/** Whether an SES error is permanent, and for whom; undefined for one to retry. */
export function permanentSesError(error: unknown): 'recipient' | 'account' | undefined {
  if (!(error instanceof Error) || !Object.hasOwn(SES_PERMANENT_ERRORS, error.name)) return undefined;
  return SES_PERMANENT_ERRORS[error.name];
}

/** Sends email through SES v2 (SendEmail with simple content, so SES builds the MIME). */
export class SesV2Email implements EmailPort {
  constructor(
    private readonly client: SESv2Client,
    private readonly config: SesEmailConfig,
  ) {}

  async send(message: OutboundEmail): Promise<{ messageId: string }> {
    try {
      return await this.sendOnce(message);
    } catch (error) {
      const scope = permanentSesError(error);
      if (scope) throw new UndeliverableError('email', (error as Error).name, scope, error);
      throw error;
    }
  }

  private async sendOnce(message: OutboundEmail): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.config.from,
        Destination: { ToAddresses: [message.to] },
        ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
        ...(this.config.configurationSetName
          ? { ConfigurationSetName: this.config.configurationSetName }
          : {}),
        EmailTags: Object.entries(message.tags ?? {}).map(([Name, Value]) => ({
          Name: tagSafe(Name),
          Value: tagSafe(Value),
        })),
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
            Headers: Object.entries(message.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email but returned no MessageId');
    return { messageId: result.MessageId };
  }
}
