import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailPort, OutboundEmail } from '../domain/ports.js';

export interface SesEmailConfig {
  /** A verified identity, e.g. "Soft Partner <hello@example.org>". */
  from: string;
  /** The configuration set whose event destination reports bounces and complaints. */
  configurationSetName?: string;
}

/** SES tag names and values allow letters, digits, _ and - only. */
const tagSafe = (value: string) => value.replace(/[^\w-]/g, '_').slice(0, 256);

/** Sends email through SES v2 (SendEmail with simple content, so SES builds the MIME). */
export class SesV2Email implements EmailPort {
  constructor(
    private readonly client: SESv2Client,
    private readonly config: SesEmailConfig,
  ) {}

  async send(message: OutboundEmail): Promise<{ messageId: string }> {
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
