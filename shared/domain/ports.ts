import type {
  CheckIn,
  CheckInStatus,
  Member,
  MemberStatus,
  Partnership,
  PartnershipView,
} from './partnership.js';

/** A one-time step, stored by the scheduler and handed back to the dispatcher when due. */
export interface ScheduledStep {
  version: 1;
  kind: 'check_in';
  partnershipId: string;
  memberId: string;
  localDate: string;
  /** Deterministic: the same step always gets the same name, so re-creating it is harmless. */
  scheduleName: string;
  /** UTC instant the step is due, in ISO 8601. With the name, the step's idempotency key. */
  scheduledTime: string;
}

export interface SchedulerPort {
  /** Creates the one-time schedule; creating one that already exists is not an error. */
  schedule(step: ScheduledStep, wallClock: { localDateTime: string; timezone: string }): Promise<void>;
}

export interface OutboundSms {
  to: string;
  body: string;
}

export interface SmsPort {
  send(message: OutboundSms): Promise<{ sid: string }>;
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

export interface StorePort {
  createPartnership(partnership: Partnership, members: Member[]): Promise<void>;
  getPartnership(id: string): Promise<{ partnership: Partnership; members: Member[] } | undefined>;
  viewPartnership(id: string, now: Date): Promise<PartnershipView | undefined>;
  /** Memberships of a phone number, the one prompted most recently first. */
  findMembershipsByPhone(phone: string): Promise<Array<{ partnershipId: string; memberId: string }>>;
  setMemberStatus(partnershipId: string, memberId: string, status: MemberStatus, at: Date): Promise<void>;
  markPartnershipStarted(partnershipId: string, at: Date): Promise<boolean>;
  notePrompted(member: Member, at: Date): Promise<void>;
  /** Records a check-in as sent; false if it was already recorded. */
  recordCheckInSent(checkIn: CheckIn): Promise<boolean>;
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
  /** Stores the raw inbound message before anything interprets it. */
  storeInbound(record: InboundRecord): Promise<'stored' | 'duplicate'>;
  completeInbound(
    messageSid: string,
    outcome: { intent: string; reply?: string; memberId?: string },
  ): Promise<void>;
  /** Claims an idempotency key; a claim left unfinished longer than leaseSeconds may be taken over. */
  claim(key: string, at: Date, leaseSeconds: number): Promise<ClaimResult>;
  completeClaim(key: string, at: Date): Promise<void>;
  releaseClaim(key: string): Promise<void>;
}
