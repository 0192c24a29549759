import type { Intent } from './conversation/types.js';
import type { MemberInput } from './enrollment.js';

export type MemberStatus = 'invited' | 'active' | 'opted_out' | 'paused';
/** `answered`: the member replied to the check-in (a reflection, a score, a win …) without saying on track. */
export type CheckInStatus = 'sent' | 'on_track' | 'answered' | 'grace';

export interface Member extends MemberInput {
  id: string;
  partnershipId: string;
  status: MemberStatus;
  joinedAt?: string;
  /** While paused: the local date check-ins come back on (none: paused until RESUME). */
  pausedUntil?: string;
  /** Set when a review asked CONTINUE, TWEAK or PAUSE and no answer has come yet. */
  pendingDecision?: boolean;
  /** An inferred reading we asked the member to confirm (SEND or NO) before it reaches anyone. */
  pendingConfirmation?: PendingConfirmation;
  /**
   * Set when we stopped emailing this member (they unsubscribed, or mail to them bounced or was marked
   * spam), or `undeliverable`: SES refused a send to them for good (`emailStatusReason`, since
   * `emailStatusSince`); we still try the odd email, and the first that goes clears it.
   */
  emailStatus?: EmailStatus;
  /** The SES error name of an `undeliverable` email status. */
  emailStatusReason?: string;
  /** Since when the email status has been `undeliverable` (ISO). */
  emailStatusSince?: string;
  /**
   * `undeliverable`: Twilio refused a text to this member for good (`smsStatusReason`, its error code,
   * since `smsStatusSince`). Each day's check-in text is still asked once, then the check-in goes by email
   * if they gave an address; the first text that goes clears it.
   */
  smsStatus?: 'undeliverable';
  smsStatusReason?: string;
  smsStatusSince?: string;
  /** While opted out: the status START gives back (invited stays invited). */
  statusBeforeOptOut?: MemberStatus;
}

export type EmailStatus = 'unsubscribed' | 'bounced' | 'complained' | 'undeliverable';

/** What a confirmation would do once the member says SEND (or, for a pause, how many days). */
export type ConfirmableIntent = Extract<
  Intent,
  { kind: 'need' | 'offer' | 'win' | 'deadline_move' | 'pause' }
>;

/** One question "Pass this on …? Reply SEND or NO.", open until answered or until the next check-in. */
export interface PendingConfirmation {
  intent: ConfirmableIntent;
  /** When it was asked (ISO): the answer that takes it must find this very question. */
  askedAt: string;
  /** The member's next check-in (ISO): unanswered by then, it lapses quietly. */
  expiresAt: string;
}

/**
 * Whether we may email this member at all (texts are a separate consent). An `undeliverable` address is
 * still tried (SES refuses at once, nothing reaches anyone), so the first email that goes clears it.
 */
export function emailReachable(member: Pick<Member, 'email' | 'emailStatus' | 'status'>): boolean {
  return (
    Boolean(member.email) &&
    (member.emailStatus === undefined || member.emailStatus === 'undeliverable') &&
    member.status !== 'opted_out'
  );
}

/**
 * Whether today's check-in goes by email (if email stops working, it falls back to a text). An address
 * SES refused (`undeliverable`) is asked again each day, then the text goes the same day, so the first
 * day SES takes it again, email is back.
 */
export function checksInByEmail(
  member: Pick<Member, 'email' | 'emailStatus' | 'status' | 'checkInBy'>,
): boolean {
  return member.checkInBy === 'email' && emailReachable(member);
}

export interface Partnership {
  id: string;
  createdAt: string;
  graceTokensPerMonth: number;
  /** Older items carry ["sms"] from a field enrollment no longer takes; nothing reads it. */
  channels?: string[];
  /** How members reach the organiser, shown in HELP. */
  organiser?: string;
  /** Set once every member has joined; the daily check-ins start the next local day. */
  startedAt?: string;
  /** Teams: when the support board digest goes out (each member's local time). */
  boardTime?: string;
  /** Teams: days of shared buffer already added to every deadline. */
  bufferDays?: number;
}

/** Something a member asked their partner(s) for: "what I need from you today". */
export interface Need {
  id: string;
  partnershipId: string;
  memberId: string;
  text: string;
  raisedAt: string;
  status: 'open' | 'on_it';
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

/** A proposed new deadline for one member's goal, waiting for a partner's OK. */
export interface DeadlineProposal {
  id: string;
  partnershipId: string;
  /** Whose goal the deadline belongs to. */
  memberId: string;
  proposedBy: string;
  /** Who may accept or counter it. */
  approverIds: string[];
  proposedDate: string;
  proposedAt: string;
  /** Without an answer by then, the proposal stands. */
  standsAt: string;
  status: 'pending' | 'accepted' | 'stood' | 'superseded';
}

/** An item of partner news, gathered and carried by the recipient's next check-in. */
export interface NewsItem {
  fromMemberId: string;
  fromName: string;
  /**
   * on_track (pairs only) and grace say how a partner's day went; win, offer and decision carry the
   * partner's words or choice in `text`; on_it tells a team member who took on their need; started
   * tells those who joined earlier that the last member said yes; unreachable says, once, that our texts
   * cannot reach the partner right now (a permanent refusal by the SMS provider).
   */
  kind: 'on_track' | 'grace' | 'win' | 'offer' | 'on_it' | 'decision' | 'started' | 'unreachable';
  at: string;
  text?: string;
}

export interface CheckIn {
  partnershipId: string;
  memberId: string;
  localDate: string;
  status: CheckInStatus;
  sentAt: string;
  answeredAt?: string;
  /** How the member feels, 1 (awful) to 5 (great), when they said. */
  mood?: number;
  /** The step that sent it (schedule name @ scheduled time), so a second schedule for the day sends nothing. */
  sentBy?: string;
}

export interface PartnershipView extends Partnership {
  members: Array<
    Member & {
      graceTokensLeft: number;
      checkIns: Array<Pick<CheckIn, 'localDate' | 'status' | 'sentAt' | 'answeredAt' | 'mood'>>;
    }
  >;
}

/** The others a member is with: everyone but them who has not opted out. */
export function partnersOf<T extends Pick<Member, 'id' | 'status'>>(
  members: readonly T[],
  self: Pick<Member, 'id'>,
): T[] {
  return members.filter((each) => each.id !== self.id && each.status !== 'opted_out');
}

/** How messages name a member's partners: the partner's name in a pair, "your team" otherwise. */
export function partnerLabel(members: readonly Member[], self: Pick<Member, 'id'>): string {
  const others = partnersOf(members, self);
  return others.length === 1 && others[0] ? others[0].name : 'your team';
}

/** Everyone has said yes: the partnership can start its daily rhythm. */
export function everyoneHasJoined(members: readonly Pick<Member, 'status'>[]): boolean {
  return members.every((member) => member.status === 'active');
}

/** How an invitation names who else is in it: the partner's name, or "Your team" for groups. */
export function invitedBy(members: Member[], self: Member): string {
  const others = members.filter((member) => member.id !== self.id);
  return others.length === 1 && others[0] ? others[0].name : 'Your team';
}
