/**
 * A person, as we know them across partnerships: one phone number (E.164) or one email address
 * (lower-case), holding their consent. A membership belongs to a partnership; consent belongs to the
 * person, so an opt-out anywhere holds everywhere, and for every partnership enrolled later.
 */
export type PersonChannel = 'sms' | 'email';

/** How a person told us to stop (or how we learned it): kept with the suppression. */
export type OptOutPath =
  | 'sms_keyword'
  | 'sms_words'
  | 'twilio_opt_out'
  | 'email_stop'
  | 'email_unsubscribe'
  | 'email_complaint';

export interface Person {
  channel: PersonChannel;
  /** E.164 for sms, lower-case for email. */
  address: string;
  /** Nothing is sent on this channel while set; cleared by START (sms) or a re-subscribe link (email). */
  suppressed: boolean;
  suppressedAt?: string;
  suppressedBy?: OptOutPath;
  restoredAt?: string;
}

/** The address a person is known by on a channel: phones as given (already E.164), emails lower-case. */
export function personAddress(channel: PersonChannel, value: string): string {
  return channel === 'email' ? value.trim().toLowerCase() : value.trim();
}
