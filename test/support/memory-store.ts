import { graceMonth, graceTokensLeft } from '#shared/domain/grace-ledger.js';
import type {
  CheckIn,
  DeadlineProposal,
  Member,
  Need,
  NewsItem,
  Partnership,
  PartnershipView,
} from '#shared/domain/partnership.js';
import { type Person, personAddress } from '#shared/domain/person.js';
import type {
  CheckInStorePort,
  ClaimResult,
  ClaimStorePort,
  DeliveryReport,
  DeliveryStorePort,
  GraceStorePort,
  HistoryEvent,
  HistoryStorePort,
  InboundMessageStorePort,
  InboundRecord,
  MemberStorePort,
  Membership,
  NeedStorePort,
  NewsStorePort,
  PartnershipStorePort,
  PersonStorePort,
  ProposalStorePort,
  QuotaStorePort,
  SendClaimPort,
  StorePort,
} from '#shared/domain/ports.js';

/*
 * In-memory fakes of the store's ports (shared/domain/ports/*.ts), for use-case tests that test logic
 * rather than storage: no server, no network. Each part behaves like the DynamoDB store where use cases
 * rely on it: conditional writes answer false (or throw where DynamoDbStore's condition throws), grace and
 * quotas never go past their allowance nor below 0, claims and inbound messages have leases, reads return
 * copies (nothing a caller changes reaches the store), and lists come in the table's sort-key order.
 * DynamoDbStore itself is tested against DynamoDB Local (test/integration).
 */

/** The fake table: one map per kind of item, keyed as the DynamoDB item's sort key would order them. */
export class MemoryTables {
  readonly partnerships = new Map<string, Partnership>();
  /** By `partnershipId#memberId`; `lastPromptAt` is the phone look-up's, as on the phone item. */
  readonly members = new Map<string, { member: Member; lastPromptAt: string }>();
  readonly checkIns = new Map<string, CheckIn>();
  readonly grace = new Map<string, number>();
  readonly events = new Map<string, HistoryEvent>();
  readonly news = new Map<string, NewsItem>();
  readonly newsSlots = new Map<string, string>();
  readonly needs = new Map<string, Need>();
  readonly proposals = new Map<string, DeadlineProposal>();
  readonly deliveries = new Map<string, DeliveryReport>();
  readonly inbound = new Map<
    string,
    {
      record: InboundRecord;
      status: 'received' | 'applied' | 'rejected';
      leaseUntil: number;
      outcome?: object;
    }
  >();
  /** `claimedAt`: when a send's claim was first taken (kept across takeovers, as send-claims.ts keeps it). */
  readonly claims = new Map<
    string,
    { status: 'in_progress' | 'done'; leaseUntil: number; claimedAt?: number }
  >();
  readonly quotas = new Map<string, { used: number; expiresAt: Date }>();
  readonly people = new Map<string, Person>();
  /** Phones in the middle of a self-serve setup. */
  readonly setups = new Set<string>();
}

/** A DynamoDB write whose condition threw (DynamoDbStore lets ConditionalCheckFailedException out). */
export class MemoryConditionError extends Error {
  override readonly name = 'MemoryConditionError';
}

const key = (...parts: string[]) => parts.join('#');
const copy = <T>(value: T): T => structuredClone(value);
const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
/** Values whose keys start with `prefix`, in key order (DynamoDB's sort-key order), copied. */
const under = <T>(map: ReadonlyMap<string, T>, prefix: string, newestFirst = false): T[] => {
  const sorted = [...map.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .sort(([a], [b]) => a.localeCompare(b));
  return (newestFirst ? sorted.reverse() : sorted).map(([, value]) => copy(value));
};

function storedMember(t: MemoryTables, partnershipId: string, memberId: string): Member {
  const row = t.members.get(key(partnershipId, memberId));
  if (!row) throw new MemoryConditionError(`no member ${memberId} in partnership ${partnershipId}`);
  return row.member;
}

/** Members of a partnership, as DynamoDB lists them (by member id, the sort key's order). */
const membersOf = (t: MemoryTables, partnershipId: string): Member[] =>
  under(t.members, `${partnershipId}#`).map((row) => row.member);

export function memoryPartnerships(t: MemoryTables): PartnershipStorePort {
  const memberships = (phone: string): Membership[] =>
    [...t.members.values()]
      .filter((row) => row.member.phone === phone)
      .sort((a, b) => b.lastPromptAt.localeCompare(a.lastPromptAt))
      .map(({ member }) => ({ partnershipId: member.partnershipId, memberId: member.id }));
  const getPartnership = async (id: string) => {
    const partnership = t.partnerships.get(id);
    return partnership ? { partnership: copy(partnership), members: membersOf(t, id) } : undefined;
  };
  return {
    async createPartnership(partnership, members) {
      if (t.partnerships.has(partnership.id)) throw new MemoryConditionError(`${partnership.id} exists`);
      for (const member of members)
        t.members.set(key(partnership.id, member.id), {
          member: copy(member),
          lastPromptAt: partnership.createdAt,
        });
      t.partnerships.set(partnership.id, copy(partnership));
    },
    getPartnership,
    async partnershipsWithActiveMembers() {
      const active = [...t.members.values()].filter((row) => row.member.status === 'active');
      return [...new Set(active.map((row) => row.member.partnershipId))];
    },
    async viewPartnership(id, now): Promise<PartnershipView | undefined> {
      const found = await getPartnership(id);
      if (!found) return undefined;
      return {
        ...found.partnership,
        members: found.members.map(({ pendingConfirmation: _private, ...member }) => ({
          ...member,
          graceTokensLeft: graceTokensLeft(
            found.partnership.graceTokensPerMonth,
            t.grace.get(key(id, member.id, graceMonth(now, member.timezone))) ?? 0,
          ),
          checkIns: under(t.checkIns, key(id, member.id, '')).map(
            ({ localDate, status, sentAt, answeredAt, mood }) => ({
              localDate,
              status,
              sentAt,
              answeredAt,
              ...(mood === undefined ? {} : { mood }),
            }),
          ),
        })),
      };
    },
    async findMembershipsByPhone(phone) {
      return memberships(phone);
    },
    async lookUpPhone(phone) {
      return { memberships: memberships(phone), setup: t.setups.has(phone) };
    },
    async markPartnershipStarted(partnershipId, at) {
      const partnership = t.partnerships.get(partnershipId);
      if (!partnership || partnership.startedAt) return false;
      partnership.startedAt = at.toISOString();
      return true;
    },
    async notePrompted(member, at) {
      const row = t.members.get(key(member.partnershipId, member.id));
      if (row) row.lastPromptAt = at.toISOString();
    },
  };
}

export function memoryMembers(t: MemoryTables): MemberStorePort {
  return {
    async setMemberStatus(partnershipId, memberId, status) {
      storedMember(t, partnershipId, memberId).status = status;
    },
    async pauseMember(partnershipId, memberId, until) {
      const member = storedMember(t, partnershipId, memberId);
      if (member.status === 'opted_out') throw new MemoryConditionError('an opted-out member is not paused');
      member.status = 'paused';
      if (until) member.pausedUntil = until;
      else delete member.pausedUntil;
    },
    async resumeMember(partnershipId, memberId, _at, expectedUntil) {
      const member = t.members.get(key(partnershipId, memberId))?.member;
      if (member?.status !== 'paused' || (expectedUntil && member.pausedUntil !== expectedUntil))
        return false;
      member.status = 'active';
      delete member.pausedUntil;
      return true;
    },
    async setDeadline(partnershipId, memberId, deadline) {
      storedMember(t, partnershipId, memberId).deadline = deadline;
    },
    async updateMember(partnershipId, memberId, changes) {
      const defined = Object.entries(changes).filter(([, value]) => value !== undefined);
      if (defined.length > 0)
        Object.assign(storedMember(t, partnershipId, memberId), copy(Object.fromEntries(defined)));
    },
    async setPendingConfirmation(partnershipId, memberId, pending) {
      storedMember(t, partnershipId, memberId).pendingConfirmation = copy(pending);
    },
    async takePendingConfirmation(partnershipId, memberId, askedAt) {
      const member = t.members.get(key(partnershipId, memberId))?.member;
      if (member?.pendingConfirmation?.askedAt !== askedAt) return false;
      delete member.pendingConfirmation;
      return true;
    },
    async setEmailStatus(partnershipId, memberId, status) {
      const member = t.members.get(key(partnershipId, memberId))?.member;
      if (!member || member.emailStatus === status) return false;
      member.emailStatus = status;
      delete member.emailStatusReason;
      delete member.emailStatusSince;
      return true;
    },
    async clearEmailStatus(partnershipId, memberId, from) {
      const member = t.members.get(key(partnershipId, memberId))?.member;
      if (!member?.emailStatus || !from.includes(member.emailStatus)) return false;
      delete member.emailStatus;
      return true;
    },
  };
}

export function memoryCheckIns(t: MemoryTables): CheckInStorePort {
  const stored = (partnershipId: string, memberId: string, localDate: string) => {
    const checkIn = t.checkIns.get(key(partnershipId, memberId, localDate));
    if (!checkIn) throw new MemoryConditionError(`no check-in of ${memberId} on ${localDate}`);
    return checkIn;
  };
  return {
    async recordCheckInSent(checkIn) {
      const at = key(checkIn.partnershipId, checkIn.memberId, checkIn.localDate);
      if (t.checkIns.has(at)) return false;
      t.checkIns.set(at, copy(checkIn));
      return true;
    },
    async checkInOn(partnershipId, memberId, localDate) {
      const checkIn = t.checkIns.get(key(partnershipId, memberId, localDate));
      return checkIn ? copy(checkIn) : undefined;
    },
    async latestCheckIn(partnershipId, memberId) {
      return under(t.checkIns, key(partnershipId, memberId, ''), true)[0];
    },
    async answerCheckIn(partnershipId, memberId, localDate, status, at) {
      Object.assign(stored(partnershipId, memberId, localDate), { status, answeredAt: at.toISOString() });
    },
    async setCheckInMood(partnershipId, memberId, localDate, mood) {
      stored(partnershipId, memberId, localDate).mood = mood;
    },
  };
}

export function memoryGrace(t: MemoryTables): GraceStorePort {
  return {
    async spendGraceToken(partnershipId, memberId, month, allowance) {
      const at = key(partnershipId, memberId, month);
      const spent = t.grace.get(at);
      if (spent === undefined ? allowance <= 0 : spent >= allowance) return undefined;
      t.grace.set(at, (spent ?? 0) + 1);
      return graceTokensLeft(allowance, (spent ?? 0) + 1);
    },
    async graceSpent(partnershipId, memberId, month) {
      return t.grace.get(key(partnershipId, memberId, month)) ?? 0;
    },
  };
}

export function memoryHistory(t: MemoryTables): HistoryStorePort {
  return {
    async history(partnershipId) {
      return {
        checkIns: under(t.checkIns, `${partnershipId}#`),
        events: under(t.events, `${partnershipId}#`),
        needs: under(t.needs, `${partnershipId}#`),
      };
    },
    async recordEvent(partnershipId, event, news = []) {
      t.events.set(key(partnershipId, event.at, event.memberId, event.kind), copy(event));
      for (const { recipientId, item } of news)
        t.news.set(key(partnershipId, recipientId, item.at, item.fromMemberId, item.kind), copy(item));
    },
  };
}

export function memoryInbound(t: MemoryTables): InboundMessageStorePort {
  return {
    async receiveInbound(record, at, leaseSeconds): Promise<ClaimResult> {
      const existing = t.inbound.get(record.messageSid);
      const now = epochSeconds(at);
      if (existing && !(existing.status === 'received' && existing.leaseUntil < now))
        return existing.status === 'received' ? 'in_progress' : 'already_done';
      // A redelivery that takes over an expired claim keeps the first receivedAt.
      const receivedAt = existing?.record.receivedAt ?? record.receivedAt;
      t.inbound.set(record.messageSid, {
        record: { ...copy(record), receivedAt },
        status: 'received',
        leaseUntil: now + leaseSeconds,
      });
      return 'claimed';
    },
    async releaseInbound(messageSid) {
      const existing = t.inbound.get(messageSid);
      if (existing?.status === 'received') existing.leaseUntil = 0;
    },
    async completeInbound(messageSid, outcome) {
      const existing = t.inbound.get(messageSid);
      if (!existing) throw new MemoryConditionError(`no inbound message ${messageSid}`);
      existing.status = outcome.rejected ? 'rejected' : 'applied';
      existing.outcome = copy(outcome);
    },
  };
}

export function memoryClaims(t: MemoryTables): ClaimStorePort {
  return {
    async claim(claimKey, at, leaseSeconds) {
      const existing = t.claims.get(claimKey);
      if (existing && !(existing.status === 'in_progress' && existing.leaseUntil < epochSeconds(at)))
        return existing.status === 'done' ? 'already_done' : 'in_progress';
      t.claims.set(claimKey, { status: 'in_progress', leaseUntil: epochSeconds(at) + leaseSeconds });
      return 'claimed';
    },
    async completeClaim(claimKey) {
      t.claims.set(claimKey, { status: 'done', leaseUntil: t.claims.get(claimKey)?.leaseUntil ?? 0 });
    },
    async releaseClaim(claimKey) {
      t.claims.delete(claimKey);
    },
  };
}

/** The sender's claims of its sends: a takeover says since when the key was first claimed. */
export function memorySendClaims(t: MemoryTables): SendClaimPort {
  return {
    async claimSend(claimKey, at, leaseSeconds) {
      const existing = t.claims.get(claimKey);
      const now = epochSeconds(at);
      if (existing && !(existing.status === 'in_progress' && existing.leaseUntil < now))
        return { claim: existing.status === 'done' ? 'already_done' : 'in_progress' };
      const claimedAt = existing ? (existing.claimedAt ?? existing.leaseUntil - leaseSeconds) : now;
      t.claims.set(claimKey, { status: 'in_progress', leaseUntil: now + leaseSeconds, claimedAt });
      return existing
        ? { claim: 'claimed', takenOverSince: new Date(claimedAt * 1000) }
        : { claim: 'claimed' };
    },
    async releaseSend(claimKey) {
      const existing = t.claims.get(claimKey);
      if (existing?.status === 'in_progress') existing.leaseUntil = 0;
    },
  };
}

export function memoryQuotas(t: MemoryTables): QuotaStorePort {
  return {
    async takeQuota(quotaKey, limit, expiresAt) {
      const used = t.quotas.get(quotaKey)?.used;
      if (used === undefined ? limit <= 0 : used >= limit) return false;
      t.quotas.set(quotaKey, { used: (used ?? 0) + 1, expiresAt });
      return true;
    },
    async returnQuota(quotaKey) {
      const quota = t.quotas.get(quotaKey);
      if (quota && quota.used > 0) quota.used -= 1;
    },
  };
}

export function memoryNews(t: MemoryTables): NewsStorePort {
  return {
    async pendingNews(partnershipId, recipientId) {
      return under(t.news, key(partnershipId, recipientId, ''));
    },
    async removeNews(partnershipId, recipientId, items) {
      for (const item of items)
        t.news.delete(key(partnershipId, recipientId, item.at, item.fromMemberId, item.kind));
    },
    async reserveNewsSlot(partnershipId, recipientId, earliest, spacingMinutes) {
      const last = t.newsSlots.get(key(partnershipId, recipientId));
      const spaced = last ? new Date(Date.parse(last) + spacingMinutes * 60_000) : earliest;
      const slot = new Date(Math.max(spaced.getTime(), earliest.getTime()));
      t.newsSlots.set(key(partnershipId, recipientId), slot.toISOString());
      return slot;
    },
  };
}

export function memoryProposals(t: MemoryTables): ProposalStorePort {
  return {
    async putProposal(proposal) {
      t.proposals.set(key(proposal.partnershipId, proposal.id), copy(proposal));
    },
    async getProposal(partnershipId, proposalId) {
      const proposal = t.proposals.get(key(partnershipId, proposalId));
      return proposal ? copy(proposal) : undefined;
    },
    async pendingProposalFor(partnershipId, approverId) {
      return under(t.proposals, `${partnershipId}#`, true).find(
        (proposal) => proposal.status === 'pending' && proposal.approverIds.includes(approverId),
      );
    },
    async resolveProposal(partnershipId, proposalId, status) {
      const proposal = t.proposals.get(key(partnershipId, proposalId));
      if (proposal?.status !== 'pending') return false;
      proposal.status = status;
      return true;
    },
  };
}

export function memoryNeeds(t: MemoryTables): NeedStorePort {
  return {
    async addNeed(need) {
      t.needs.set(key(need.partnershipId, need.id), copy(need));
    },
    async openNeedsOfOthers(partnershipId, memberId) {
      return under(t.needs, `${partnershipId}#`, true).filter(
        (need) => need.status === 'open' && need.memberId !== memberId,
      );
    },
    async acknowledgeNeed(partnershipId, needId, byMemberId, at) {
      const need = t.needs.get(key(partnershipId, needId));
      if (need?.status !== 'open') return false;
      Object.assign(need, { status: 'on_it', acknowledgedBy: byMemberId, acknowledgedAt: at.toISOString() });
      return true;
    },
  };
}

export function memoryDeliveries(t: MemoryTables): DeliveryStorePort {
  return {
    async recordDelivery(report) {
      t.deliveries.set(key(report.messageSid, report.status), copy(report));
    },
    async deliveryReports(messageSid) {
      return under(t.deliveries, `${messageSid}#`).sort((a, b) => a.at.localeCompare(b.at));
    },
  };
}

export function memoryPeople(t: MemoryTables): PersonStorePort {
  const personKey = (channel: string, address: string) => `${channel}:${address}`;
  return {
    async getPerson(channel, address) {
      const person = t.people.get(personKey(channel, address));
      return person ? copy(person) : undefined;
    },
    async suppressPerson(channel, address, by, at) {
      const existing = t.people.get(personKey(channel, address));
      if (existing?.suppressed) return false;
      t.people.set(personKey(channel, address), {
        ...existing,
        channel,
        address,
        suppressed: true,
        suppressedAt: at.toISOString(),
        suppressedBy: by,
      });
      return true;
    },
    async restorePerson(channel, address, at) {
      const existing = t.people.get(personKey(channel, address));
      if (!existing?.suppressed) return false;
      Object.assign(existing, { suppressed: false, restoredAt: at.toISOString() });
      return true;
    },
    async findMembershipsByEmail(email) {
      const address = personAddress('email', email);
      return [...t.members.values()]
        .filter(
          ({ member }) => member.email !== undefined && personAddress('email', member.email) === address,
        )
        .map(({ member }) => ({ partnershipId: member.partnershipId, memberId: member.id }));
    },
    async optOutMembership(partnershipId, memberId, before) {
      const member = t.members.get(key(partnershipId, memberId))?.member;
      if (member?.status !== before) return false;
      Object.assign(member, { status: 'opted_out', statusBeforeOptOut: before });
      return true;
    },
    async restoreMembership(partnershipId, memberId, to) {
      const member = t.members.get(key(partnershipId, memberId))?.member;
      if (member?.status !== 'opted_out') return false;
      member.status = to;
      delete member.statusBeforeOptOut;
      return true;
    },
  };
}

/** The whole store in memory, composed of the parts above over one set of tables. */
export function memoryStore(
  tables = new MemoryTables(),
): StorePort & SendClaimPort & { readonly tables: MemoryTables } {
  return {
    tables,
    ...memoryPartnerships(tables),
    ...memoryMembers(tables),
    ...memoryCheckIns(tables),
    ...memoryGrace(tables),
    ...memoryHistory(tables),
    ...memoryInbound(tables),
    ...memoryClaims(tables),
    ...memorySendClaims(tables),
    ...memoryQuotas(tables),
    ...memoryNews(tables),
    ...memoryProposals(tables),
    ...memoryNeeds(tables),
    ...memoryDeliveries(tables),
    ...memoryPeople(tables),
  };
}
