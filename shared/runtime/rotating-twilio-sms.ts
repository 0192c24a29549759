import type { OutboundSms, SmsPort } from '#shared/domain/ports.js';
import type { TwilioSecret } from './config.js';

/** Twilio's answer to credentials it no longer accepts: HTTP 401, error 20003. */
export function isTwilioAuthenticationError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 401 || code === 20003;
}

export interface RotatingTwilioSmsDeps {
  /** The Twilio secret, as cached (TTL) by the caller. */
  readonly credentials: () => Promise<TwilioSecret>;
  /** Forgets the cached secret, so the next `credentials()` reads it again. */
  readonly invalidate: () => void;
  /** A sender that authenticates with this account SID and token. */
  readonly senderFor: (accountSid: string, authToken: string) => SmsPort;
}

/**
 * Sends with the secret's primary token; on an authentication failure (a rotation in progress) it reads
 * the secret again at once and tries the tokens it did not try yet, primary then secondary. A refused
 * send was not sent, so trying again with another token never sends a text twice.
 */
export class RotatingTwilioSms implements SmsPort {
  /** One sender per token, so each keeps its own pace between sends. */
  private readonly senders = new Map<string, SmsPort>();

  constructor(private readonly deps: RotatingTwilioSmsDeps) {}

  send(message: OutboundSms): Promise<{ sid: string }> {
    return this.withSecret((sender) => sender.send(message));
  }

  /** The look-up of a text already sent, with the same tokens in the same order (a GET sends nothing). */
  findSent(message: Parameters<SmsPort['findSent']>[0]): Promise<{ sid: string } | undefined> {
    return this.withSecret((sender) => sender.findSent(message));
  }

  private async withSecret<T>(act: (sender: SmsPort) => Promise<T>): Promise<T> {
    const tried = new Set<string>();
    const first = await this.trySecret(await this.deps.credentials(), act, tried);
    if ('sent' in first) return first.sent;
    this.deps.invalidate();
    const second = await this.trySecret(await this.deps.credentials(), act, tried);
    if ('sent' in second) return second.sent;
    throw second.refused ?? first.refused;
  }

  /** Acts with each token of the secret not tried yet; any error but an authentication failure is thrown. */
  private async trySecret<T>(
    secret: TwilioSecret,
    act: (sender: SmsPort) => Promise<T>,
    tried: Set<string>,
  ): Promise<{ sent: T } | { refused: unknown }> {
    let refused: unknown;
    for (const token of [secret.authToken, secret.secondaryAuthToken]) {
      if (!token || tried.has(token)) continue;
      tried.add(token);
      try {
        return { sent: await act(this.sender(secret.accountSid, token)) };
      } catch (error) {
        if (!isTwilioAuthenticationError(error)) throw error;
        refused = error;
      }
    }
    return { refused };
  }

  private sender(accountSid: string, authToken: string): SmsPort {
    const key = `${accountSid}:${authToken}`;
    let sender = this.senders.get(key);
    if (!sender) {
      sender = this.deps.senderFor(accountSid, authToken);
      this.senders.set(key, sender);
    }
    return sender;
  }
}
