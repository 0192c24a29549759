/** A request that does not fit its schema; each issue names the field by its dotted path. */
export class ValidationError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super('The request has invalid fields');
    this.name = 'ValidationError';
  }
}

/** The request conflicts with what a person told us (an opt-out) or a limit on them; each issue names the field. */
export class ConflictError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super('The request conflicts with the consent or limits of a person in it');
    this.name = 'ConflictError';
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export class UnauthorizedError extends Error {
  constructor() {
    super('A valid API key is required: send Authorization: Bearer <key>');
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ForbiddenError';
  }
}

/** Too many requests for one caller in a window; try again after `retryAfterSeconds`. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests: try again in ${retryAfterSeconds} seconds`);
    this.name = 'RateLimitedError';
  }
}

/**
 * The SMS provider refuses the recipient: they opted out with the provider itself (STOP to our number),
 * so nothing can reach them until they opt in again. Not a failure to retry.
 */
export class RecipientUnsubscribedError extends Error {
  constructor(cause?: unknown) {
    super('The recipient opted out with the SMS provider', { cause });
    this.name = 'RecipientUnsubscribedError';
  }
}

/** The channel a send error is about. */
export type SendChannel = 'sms' | 'email';

/**
 * The provider refused a send for good: retrying cannot help. `recipient`: this phone or address cannot be
 * reached (Twilio 21211, 21408, 21612, 21614, 21610; SES MessageRejected); `account`: nothing can be sent
 * from our account until the operator acts (SES AccountSuspended, SendingPaused). `reason` is the
 * provider's code or error name. Each adapter maps its own provider's errors (shared/adapters/).
 */
export class UndeliverableError extends Error {
  constructor(
    readonly channel: SendChannel,
    readonly reason: string,
    readonly scope: 'recipient' | 'account',
    cause?: unknown,
  ) {
    super(`The ${channel} provider refused the send for good (${reason})`, { cause });
    this.name = 'UndeliverableError';
  }
}

/** Turns zod issues into field-level messages such as `members.1.phone: must be …`. */
export function validationIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** What a change was computed from changed meanwhile (another text spent the same grace): compute it again. */
export class ConcurrentChangeError extends Error {
  constructor() {
    super('Changed meanwhile by another request');
    this.name = 'ConcurrentChangeError';
  }
}
