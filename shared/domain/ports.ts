import type { SendChannel } from './errors.js';
import type { ScheduledStep } from './scheduled-step.js';
import type { setupStepSchema } from './self-serve/setup.js';
import type * as z from './zod.js';

/** The steps a schedule carries are schema-first: shared/domain/scheduled-step.ts (the sender's) and
 * shared/domain/self-serve/setup.ts (the setup function's); shared/domain/steps.ts builds them. */
export type { ScheduledStep, StepKind } from './scheduled-step.js';

/** A step of the self-serve setup, run by the setup function (functions/self-serve.ts), not the sender. */
export type SetupStepPayload = z.infer<typeof setupStepSchema>;

export interface SchedulerPort {
  /** Creates the one-time schedule; creating one that already exists is not an error. */
  schedule(
    step: ScheduledStep | SetupStepPayload,
    wallClock: { localDateTime: string; timezone: string },
  ): Promise<void>;
  /** Deletes a pending schedule by name; one that already fired or never existed is not an error. */
  cancel(scheduleName: string): Promise<void>;
}

export interface OutboundSms {
  to: string;
  body: string;
  /**
   * Seconds the text may wait in the provider's queue before the provider drops it instead of sending
   * it (Twilio's ValidityPeriod, 1 to 36,000): see textValiditySeconds in domain/text-validity.ts.
   */
  validitySeconds?: number;
}

export interface SmsPort {
  /**
   * Sends one text; throws UndeliverableError when the provider refuses the number for good (an opted-out
   * recipient among them), and the provider's own error for anything worth retrying.
   */
  send(message: OutboundSms): Promise<{ sid: string }>;
  /**
   * The text the provider already accepted to `to` with this `body` at or after `since` (allowing for the
   * provider's clock), if any: how a send taken over from an attempt that died after its provider call
   * finds that its text went (Twilio has no idempotency key for sending).
   */
  findSent(message: { to: string; body: string; since: Date }): Promise<{ sid: string } | undefined>;
}

export interface OutboundEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Where a plain reply goes: reply+<signed token>@<inbound domain>. */
  replyTo?: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  /** Tags for the SES event destination (template, partnership …); no personal data. */
  tags?: Record<string, string>;
}

export interface EmailPort {
  /** Sends one email; throws UndeliverableError when the provider refuses it for good. */
  send(message: OutboundEmail): Promise<{ messageId: string }>;
}

/** Raw inbound email as the mail system stored it (S3 in AWS, a folder locally), by SES message id. */
export interface RawMailPort {
  get(sesMessageId: string): Promise<Buffer>;
  /** Where the message is kept (the S3 object key), recorded with the inbound message. */
  key(sesMessageId: string): string;
}

// The store's ports, one per aggregate (shared/domain/ports/*.ts); StorePort is all of them.
export type { CheckInStorePort } from './ports/check-in.js';
export type { ClaimResult, ClaimStorePort, SendClaim, SendClaimPort } from './ports/claim.js';
export type { DeliveryReport, DeliveryStorePort } from './ports/delivery.js';
export type { GraceStorePort } from './ports/grace.js';
export type { HistoryEvent, HistoryStorePort, PartnershipHistory } from './ports/history.js';
export type { InboundMessageStorePort, InboundRecord } from './ports/inbound.js';
export type { MemberStorePort } from './ports/member.js';
export type { NeedStorePort } from './ports/need.js';
export type { NewsStorePort } from './ports/news.js';
export type { Membership, PartnershipStorePort } from './ports/partnership.js';
export type { PersonStorePort } from './ports/person.js';
export type { ProposalStorePort } from './ports/proposal.js';
export type { QuotaStorePort } from './ports/quota.js';
export type { ConversationStorePort, StorePort } from './ports/store.js';

/** A channel's refusal for good of a member: the provider's code or error name, and since when. */
export type Refusal = [
  partnershipId: string,
  memberId: string,
  channel: SendChannel,
  reason: string,
  at: Date,
];

/**
 * Whether our channels reach a member, after a permanent send error: only the sender writes it (a port of
 * its own, so the other functions' bundles carry none of it).
 */
export interface ReachabilityPort {
  /**
   * Records that a channel cannot reach a member (a permanent refusal: the provider's code or error name,
   * and since when); false if it already was, so what follows the first refusal happens once.
   */
  markUndeliverable(...refusal: Refusal): Promise<boolean>;
  /** Clears that record (a send went); false if there was none. */
  clearUndeliverable(partnershipId: string, memberId: string, channel: SendChannel): Promise<boolean>;
}

/**
 * A phone number's self-serve setup (shared/domain/self-serve/setup.ts), one item beside its memberships.
 * Every write is conditional on the revision read, so two deliveries can never both advance a step.
 */
export interface SetupStorePort {
  /** The stored setup as written (the use case parses it), or undefined. */
  getSetup(phone: string): Promise<unknown>;
  /** Writes the setup if the stored one is still at revision `expected` (undefined: none stored). */
  putSetup(setup: { phone: string; revision: number }, expected: number | undefined): Promise<boolean>;
  /** Removes the setup if it is still at revision `expected`. */
  deleteSetup(phone: string, expected: number): Promise<boolean>;
}
