import type { MemberInput } from './enrollment.js';

export type MemberStatus = 'invited' | 'active' | 'opted_out' | 'paused';
export type CheckInStatus = 'sent' | 'on_track' | 'grace';

export interface Member extends MemberInput {
  id: string;
  partnershipId: string;
  status: MemberStatus;
  joinedAt?: string;
}

export interface Partnership {
  id: string;
  createdAt: string;
  graceTokensPerMonth: number;
  channels: string[];
  /** Set once every member has joined; the daily check-ins start the next local day. */
  startedAt?: string;
}

export interface CheckIn {
  partnershipId: string;
  memberId: string;
  localDate: string;
  status: CheckInStatus;
  sentAt: string;
  answeredAt?: string;
}

export interface PartnershipView extends Partnership {
  members: Array<
    Member & {
      graceTokensLeft: number;
      checkIns: Array<Pick<CheckIn, 'localDate' | 'status' | 'sentAt' | 'answeredAt'>>;
    }
  >;
}

/** Everyone has said yes: the partnership can start its daily rhythm. */
export function everyoneHasJoined(members: readonly Pick<Member, 'status'>[]): boolean {
  return members.every((member) => member.status === 'active');
}
