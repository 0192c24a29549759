import type { SendChannel } from './errors.js';
import type {
  CheckIn,
  CheckInStatus,
  DeadlineProposal,
  EmailStatus,
  Member,
  MemberStatus,
  Need,
  NewsItem,
  Partnership,
  PartnershipView,
  PendingConfirmation,
} from './partnership.js';
import type { OptOutPath, Person, PersonChannel } from './person.js';
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
}

export interface InboundRecord {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  receivedAt: string;
  raw: Record<string, string>;
}

export type ClaimResult = 'claimed' | 'already_done' | 'in_progress';

/** What Twilio reported about one message we sent (its status callback). */
export interface DeliveryReport {
  messageSid: string;
  status: string;
  errorCode?: string;
  at: string;
}

/** The person record (shared/domain/person.ts): consent that follows a phone or an address. */
export interface PersonStorePort {
  getPerson(channel: PersonChannel, address: string): Promise<Person | undefined>;
  /** Suppresses a person's channel; false if it already was (the first path and time are kept). */
  suppressPerson(channel: PersonChannel, address: string, by: OptOutPath, at: Date): Promise<boolean>;
  /** Lifts the suppression; false if there was none. */
  restorePerson(channel: PersonChannel, address: string, at: Date): Promise<boolean>;
  /** Memberships of an email address (lower-case), every page. */
  findMembershipsByEmail(email: string): Promise<Array<{ partnershipId: string; memberId: string }>>;
  /**
   * Opts one membership out, remembering the status it had (`before`) so START can restore it exactly;
   * false if its status was no longer `before`.
   */
  optOutMembership(partnershipId: string, memberId: string, before: MemberStatus, at: Date): Promise<boolean>;
  /** Gives an opted-out membership back the status it had; false if it was not opted out. */
  restoreMembership(partnershipId: string, memberId: string, to: MemberStatus, at: Date): Promise<boolean>;
}

export interface StorePort extends PersonStorePort {
  createPartnership(partnership: Partnership, members: Member[]): Promise<void>;
  getPartnership(id: string): Promise<{ partnership: Partnership; members: Member[] } | undefined>;
  /** Ids of every partnership with at least one active member (the sweep's work list). */
  partnershipsWithActiveMembers(): Promise<string[]>;
  viewPartnership(id: string, now: Date): Promise<PartnershipView | undefined>;
  /** Memberships of a phone number, the one prompted most recently first. */
  findMembershipsByPhone(phone: string): Promise<Array<{ partnershipId: string; memberId: string }>>;
  /** The same, in the same request, and whether the number is in the middle of a self-serve setup. */
  lookUpPhone(
    phone: string,
  ): Promise<{ memberships: Array<{ partnershipId: string; memberId: string }>; setup: boolean }>;
  setMemberStatus(partnershipId: string, memberId: string, status: MemberStatus, at: Date): Promise<void>;
  markPartnershipStarted(partnershipId: string, at: Date): Promise<boolean>;
  notePrompted(member: Member, at: Date): Promise<void>;
  /** Records a check-in as sent; false if it was already recorded. */
  recordCheckInSent(checkIn: CheckIn): Promise<boolean>;
  /** A member's check-in on one local date, if one was sent. */
  checkInOn(partnershipId: string, memberId: string, localDate: string): Promise<CheckIn | undefined>;
  latestCheckIn(partnershipId: string, memberId: string): Promise<CheckIn | undefined>;
  answerCheckIn(
    partnershipId: string,
    memberId: string,
    localDate: string,
    status: CheckInStatus,
    at: Date,
  ): Promise<void>;
  /** Spends one grace token in one conditional write; returns tokens left, or undefined when none were left. */
  spendGraceToken(
    partnershipId: string,
    memberId: string,
    month: string,
    allowance: number,
  ): Promise<number | undefined>;
  graceSpent(partnershipId: string, memberId: string, month: string): Promise<number>;
  /**
   * Takes one unit of a counted allowance (a rate limit, a daily cap) in one conditional write; false
   * once `limit` units were taken. The counter expires by itself after `expiresAt`.
   */
  takeQuota(key: string, limit: number, expiresAt: Date): Promise<boolean>;
  /** Gives back one unit taken for something that then failed (never below zero). */
  returnQuota(key: string): Promise<void>;
  /** Records a delivery status of one sent message (kept 90 days). */
  recordDelivery(report: DeliveryReport): Promise<void>;
  /** Every status recorded for a sent message, oldest first. */
  deliveryReports(messageSid: string): Promise<DeliveryReport[]>;
  /** Stores the raw inbound message before anything interprets it. */
  /**
   * Keeps a raw inbound message and claims it, in one write: 'claimed' the first time (or when an earlier
   * delivery's lease ran out unfinished), 'already_done' once completeInbound recorded what it did,
   * 'in_progress' while another delivery holds it. The raw message is kept whatever happens next.
   */
  receiveInbound(record: InboundRecord, at: Date, leaseSeconds: number): Promise<ClaimResult>;
  /** Gives a received message's claim up (its handling failed), so a redelivery may take it at once. */
  releaseInbound(messageSid: string): Promise<void>;
  completeInbound(
    messageSid: string,
    /** `rejected` names why a message was kept but not applied (a failed check). */
    outcome: { intent: string; reply?: string; memberId?: string; rejected?: string },
  ): Promise<void>;
  /** Claims an idempotency key; a claim left unfinished longer than leaseSeconds may be taken over. */
  claim(key: string, at: Date, leaseSeconds: number): Promise<ClaimResult>;
  completeClaim(key: string, at: Date): Promise<void>;
  releaseClaim(key: string): Promise<void>;

  /** Pauses a member until a local date. */
  /** Pauses a member until a local date, or until RESUME when `until` is undefined. */
  pauseMember(partnershipId: string, memberId: string, until: string | undefined, at: Date): Promise<void>;
  /** Ends a pause; false if the member was not paused (or paused until another date than expected). */
  resumeMember(partnershipId: string, memberId: string, at: Date, expectedUntil?: string): Promise<boolean>;
  setDeadline(partnershipId: string, memberId: string, deadline: string): Promise<void>;
  /** Changes a member's own settings (a TWEAK, a pending decision). */
  updateMember(
    partnershipId: string,
    memberId: string,
    changes: Partial<Pick<Member, 'checkInTime' | 'goal' | 'cadence' | 'pendingDecision' | 'quietHours'>>,
  ): Promise<void>;
  /** Opens a confirmation question for a member (replacing any earlier one). */
  setPendingConfirmation(
    partnershipId: string,
    memberId: string,
    pending: PendingConfirmation,
  ): Promise<void>;
  /**
   * Closes the confirmation asked at `askedAt`; false when it was already closed or replaced (a second
   * SEND, or a redelivery, acts at most once).
   */
  takePendingConfirmation(partnershipId: string, memberId: string, askedAt: string): Promise<boolean>;
  /** Stops (or records why we stopped) emailing a member; false if that status was already set. */
  setEmailStatus(partnershipId: string, memberId: string, status: EmailStatus, at: Date): Promise<boolean>;
  /** Emails a member again: clears the email status if it is one of `from`; false if it was not. */
  clearEmailStatus(
    partnershipId: string,
    memberId: string,
    from: readonly EmailStatus[],
    at: Date,
  ): Promise<boolean>;
  setCheckInMood(partnershipId: string, memberId: string, localDate: string, mood: number): Promise<void>;
  /** Everything that happened in a partnership: check-ins, events and needs, oldest first. */
  history(partnershipId: string): Promise<PartnershipHistory>;
  /** Appends to the partnership's history (what the Day-14 summary is computed from). */
  /** Records an event, and with it (in the same request) the news it gives partners, if any. */
  recordEvent(
    partnershipId: string,
    event: HistoryEvent,
    news?: Array<{ recipientId: string; item: NewsItem }>,
  ): Promise<void>;
  addNeed(need: Need): Promise<void>;
  /** Open needs raised by other members of the partnership, the latest first. */
  openNeedsOfOthers(partnershipId: string, memberId: string): Promise<Need[]>;
  /** Marks a need as taken on; false if someone already had. */
  acknowledgeNeed(partnershipId: string, needId: string, byMemberId: string, at: Date): Promise<boolean>;
  putProposal(proposal: DeadlineProposal): Promise<void>;
  getProposal(partnershipId: string, proposalId: string): Promise<DeadlineProposal | undefined>;
  /** The pending proposal this member may answer, if any. */
  pendingProposalFor(partnershipId: string, approverId: string): Promise<DeadlineProposal | undefined>;
  /** Moves a pending proposal to a final status; false if it was no longer pending. */
  resolveProposal(
    partnershipId: string,
    proposalId: string,
    status: DeadlineProposal['status'],
  ): Promise<boolean>;
  /** The news waiting for a member (kept until removeNews, so a failed send loses nothing). */
  pendingNews(partnershipId: string, recipientId: string): Promise<NewsItem[]>;
  removeNews(partnershipId: string, recipientId: string, items: NewsItem[]): Promise<void>;
  /** Reserves the next partner-news slot for a member: not before `earliest`, at least `spacingMinutes` after the last. */
  reserveNewsSlot(
    partnershipId: string,
    recipientId: string,
    earliest: Date,
    spacingMinutes: number,
  ): Promise<Date>;
}

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

export interface PartnershipHistory {
  checkIns: CheckIn[];
  events: HistoryEvent[];
  needs: Need[];
}

export interface HistoryEvent {
  memberId: string;
  kind: string;
  at: string;
  data?: Record<string, unknown>;
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
