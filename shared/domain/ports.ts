import type { SendChannel } from './errors.js';

interface StepBase {
  version: 1;
  partnershipId: string;
  /** The member the step is for (the recipient of a notification). */
  memberId: string;
  /** Deterministic: the same step always gets the same name, so re-creating it is harmless. */
  scheduleName: string;
  /** UTC instant the step is due, in ISO 8601. With the name, the step's idempotency key. */
  scheduledTime: string;
}

/** A one-time step, stored by the scheduler and handed back to the dispatcher when due. */
export type ScheduledStep =
  /** The daily check-in of one member on one local date. */
  | (StepBase & { kind: 'check_in'; localDate: string })
  /** A text to one member: a forwarded need, a win, an acknowledgement, partner news. */
  | (StepBase & { kind: 'notify'; template: string; values: Record<string, string | number> })
  /** The end of a member's pause: welcome back and the check-ins carry on. */
  | (StepBase & { kind: 'resume'; pausedUntil: string })
  /** The invitation, by text (after quiet hours) and by email: sent by the sender, as every text is. */
  | (StepBase & { kind: 'invitation' })
  /** Seven days after the invitation: someone who has not joined is not waited on any more. */
  | (StepBase & { kind: 'invitation_lapse' })
  /** The charter again, by email, after a TWEAK changed it. */
  | (StepBase & { kind: 'charter' })
  /** The Day-14 choice confirmed by email (the text answer has already gone). */
  | (StepBase & { kind: 'decision_email'; choice: 'continue' | 'tweak' | 'pause' })
  /** A team's support board digest for one member on one local date, at the team's board time. */
  | (StepBase & { kind: 'board_digest'; localDate: string })
  /** Our answer to a member's email reply, by email in the same thread. */
  | (StepBase & {
      kind: 'email_reply';
      subject: string;
      message: string;
      localDate: string;
      inReplyTo?: string;
    })
  /** A deadline proposal nobody answered in 24 hours stands. */
  | (StepBase & { kind: 'proposal_stands'; proposalId: string });

export type StepKind = ScheduledStep['kind'];

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
export type { ClaimResult, ClaimStorePort } from './ports/claim.js';
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
export type { StorePort } from './ports/store.js';

/**
 * Whether our channels reach a member, after a permanent send error: only the sender writes it (a port of
 * its own, so the other functions' bundles carry none of it).
 */
export interface ReachabilityPort {
  /**
   * Records that a channel cannot reach a member (a permanent refusal: the provider's code or error name,
   * and since when); false if it already was, so what follows the first refusal happens once.
   */
  markUndeliverable(
    partnershipId: string,
    memberId: string,
    channel: SendChannel,
    reason: string,
    at: Date,
  ): Promise<boolean>;
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

/** A step of the self-serve setup, run by the setup function (functions/self-serve.ts), not the sender. */
export type SetupStepPayload = Omit<StepBase, 'partnershipId' | 'memberId'> &
  (
    | { kind: 'setup_text'; phone: string; messageSid: string; body: string }
    | { kind: 'setup_nudge'; phone: string; revision: number }
    | { kind: 'setup_drop'; phone: string; revision: number }
    /** An invitation held until the end of the invitee's quiet hours. */
    | { kind: 'setup_invite'; phone: string; invitedBy: string }
  );
