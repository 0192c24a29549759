import { nextCheckInDate } from '#shared/domain/check-in-days.js';
import type { Enrollment } from '#shared/domain/enrollment.js';
import { RecipientUnsubscribedError } from '#shared/domain/errors.js';
import { limits } from '#shared/domain/limits.js';
import type { Member, MemberStatus } from '#shared/domain/partnership.js';
import { type OptOutPath, type PersonChannel, personAddress } from '#shared/domain/person.js';
import type {
  ConversationStorePort,
  EmailPort,
  SchedulerPort,
  SmsPort,
  StorePort,
} from '#shared/domain/ports.js';
import { trialPlan } from '#shared/domain/trial-plan.js';
import { notifyMember } from './notify.js';
import { cancelPendingCheckIn, scheduleCheckIn } from './schedule-check-in.js';

/**
 * Consent follows the person (shared/domain/person.ts): every opt-out path suppresses their phone or
 * address for good, every partnership they are in stops, and nothing is sent to them (checked before
 * every send) until START by text, or a re-subscribe, lifts it.
 */
export interface ConsentDeps {
  store: ConversationStorePort;
  scheduler: SchedulerPort;
}

type Membership = { partnershipId: string; memberId: string };

/** Whether the person behind this phone or address told us to stop. */
export async function isSuppressed(
  store: Pick<StorePort, 'getPerson'>,
  channel: PersonChannel,
  value: string,
): Promise<boolean> {
  return (await store.getPerson(channel, personAddress(channel, value)))?.suppressed === true;
}

/**
 * Stops texts to a phone: the person is suppressed, and each of their memberships is opted out (keeping
 * the status it had, for START); partners hear it kindly. True when anything changed, so the opt-out is
 * confirmed once.
 */
export async function optOutPhone(
  deps: ConsentDeps,
  phone: string,
  by: OptOutPath,
  cause: string,
  now: Date,
): Promise<boolean> {
  const suppressed = await deps.store.suppressPerson('sms', personAddress('sms', phone), by, now);
  const memberships = await deps.store.findMembershipsByPhone(phone);
  const changed = await optOutMemberships(deps, memberships, cause, now);
  return suppressed || changed;
}

/** Opts each membership out (if it is not already), cancelling its check-in and telling its partners. */
export async function optOutMemberships(
  deps: ConsentDeps,
  memberships: Membership[],
  cause: string,
  now: Date,
): Promise<boolean> {
  let changed = false;
  for (const membership of memberships) {
    const found = await deps.store.getPartnership(membership.partnershipId);
    const leaving = found?.members.find((each) => each.id === membership.memberId);
    if (!found || !leaving || leaving.status === 'opted_out') continue;
    if (!(await deps.store.optOutMembership(found.partnership.id, leaving.id, leaving.status, now))) continue;
    changed = true;
    await deps.store.recordEvent(membership.partnershipId, {
      memberId: membership.memberId,
      kind: 'opted_out',
      at: now.toISOString(),
    });
    // The schedule requests do not depend on one another: issued together, they cost one round trip.
    const partners = found.members.filter(
      (partner) => partner.id !== leaving.id && partner.status !== 'opted_out',
    );
    await Promise.all([
      cancelPendingCheckIn({ deps, member: leaving, now }),
      ...partners.map((partner) =>
        notifyMember(deps, partner, 'partnerStepped', { partner: leaving.name }, cause, now),
      ),
    ]);
  }
  return changed;
}

/**
 * START: the phone's suppression is lifted and every membership gets back exactly the status it had
 * (invited stays invited); each active one in a started partnership has its next check-in scheduled.
 * Returns the memberships given back.
 */
export async function restorePhone(deps: ConsentDeps, phone: string, now: Date): Promise<Member[]> {
  await deps.store.restorePerson('sms', personAddress('sms', phone), now);
  const restored: Member[] = [];
  for (const membership of await deps.store.findMembershipsByPhone(phone)) {
    const found = await deps.store.getPartnership(membership.partnershipId);
    const member = found?.members.find((each) => each.id === membership.memberId);
    if (!found || !member || member.status !== 'opted_out') continue;
    // Opted out before statuses were remembered: back to active, as START always did.
    const to: MemberStatus = member.statusBeforeOptOut ?? 'active';
    if (!(await deps.store.restoreMembership(found.partnership.id, member.id, to, now))) continue;
    const back: Member = { ...member, status: to };
    await deps.store.recordEvent(found.partnership.id, {
      memberId: member.id,
      kind: 'opted_in',
      at: now.toISOString(),
    });
    if (to === 'active' && found.partnership.startedAt)
      await scheduleCheckIn(deps.scheduler, back, nextCheckInDate(back, now));
    restored.push(back);
  }
  return restored;
}

/**
 * Stops emails to an address, in every partnership it is in: the person is suppressed and each
 * membership's email channel is turned off with the reason. True when the address was not suppressed yet.
 */
export async function optOutEmail(
  store: Pick<
    StorePort,
    'suppressPerson' | 'findMembershipsByEmail' | 'getPartnership' | 'setEmailStatus' | 'recordEvent'
  >,
  email: string,
  by: OptOutPath,
  now: Date,
): Promise<boolean> {
  const address = personAddress('email', email);
  const suppressed = await store.suppressPerson('email', address, by, now);
  const status = by === 'email_complaint' ? 'complained' : 'unsubscribed';
  for (const membership of await store.findMembershipsByEmail(address)) {
    // A bounce stays recorded as one: the address failed there, and a re-subscribe must not undo that.
    const found = await store.getPartnership(membership.partnershipId);
    const current = found?.members.find((each) => each.id === membership.memberId)?.emailStatus;
    if (current === 'bounced') continue;
    if (await store.setEmailStatus(membership.partnershipId, membership.memberId, status, now))
      await store.recordEvent(membership.partnershipId, {
        memberId: membership.memberId,
        kind: `email_${status}`,
        at: now.toISOString(),
      });
  }
  return suppressed;
}

/**
 * The re-subscribe link: lifts the address's suppression and emails every membership the unsubscribe (or
 * a complaint, which only the person coming back clears) had stopped. A bounced membership stays off:
 * that is the address failing, not a choice. Idempotent by its conditional writes; true when anything changed.
 */
export async function restoreEmail(store: ConversationStorePort, email: string, now: Date): Promise<boolean> {
  const address = personAddress('email', email);
  let changed = await store.restorePerson('email', address, now);
  for (const membership of await store.findMembershipsByEmail(address)) {
    if (
      await store.clearEmailStatus(
        membership.partnershipId,
        membership.memberId,
        ['unsubscribed', 'complained'],
        now,
      )
    ) {
      changed = true;
      await store.recordEvent(membership.partnershipId, {
        memberId: membership.memberId,
        kind: 'email_resubscribed',
        at: now.toISOString(),
      });
    }
  }
  return changed;
}

/** The members of an enrollment whose phone or address is suppressed, as 409 issues that say how to opt back in. */
export async function suppressedMembers(
  store: Pick<StorePort, 'getPerson'>,
  enrollment: Pick<Enrollment, 'members'>,
): Promise<Array<{ path: string; message: string }>> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const [index, member] of enrollment.members.entries()) {
    if (await isSuppressed(store, 'sms', member.phone))
      issues.push({
        path: `members.${index}.phone`,
        message:
          'has opted out of our texts; they can text START to our number to opt back in, then be enrolled again',
      });
    if (member.email && (await isSuppressed(store, 'email', member.email)))
      issues.push({
        path: `members.${index}.email`,
        message:
          'has unsubscribed from our emails; to opt back in they can use the "Get emails again" link on the page that confirmed their unsubscribe, or enroll them without this address (their texts are not affected)',
      });
  }
  return issues;
}

/**
 * The send ports, checked against consent before every send: a text to a suppressed phone is refused
 * as the provider refuses an opted-out recipient (nothing to retry), an email to a suppressed address
 * is not sent. One step reads each recipient's record once.
 */
export function consentChecked<T extends { store: StorePort; sms: SmsPort; email: EmailPort }>(deps: T): T {
  const read = new Map<string, Promise<boolean>>();
  const suppressed = (channel: PersonChannel, to: string) => {
    const key = `${channel}:${to}`;
    const known = read.get(key) ?? isSuppressed(deps.store, channel, to);
    read.set(key, known);
    return known;
  };
  return {
    ...deps,
    sms: {
      ...deps.sms,
      send: async (message) => {
        if (await suppressed('sms', message.to)) throw new RecipientUnsubscribedError();
        return deps.sms.send(message);
      },
    },
    email: {
      send: async (message) => {
        if (await suppressed('email', message.to)) return { messageId: 'suppressed' };
        return deps.email.send(message);
      },
    },
  };
}

/**
 * The members of an enrollment who are already in as many partnerships as one person may be in at once
 * (limits.openPartnershipsPerPerson), as 409 issues. Partnerships they left, and invitations that
 * lapsed unanswered, do not count.
 */
export async function membersAtPartnershipLimit(
  store: Pick<StorePort, 'findMembershipsByPhone' | 'getPartnership'>,
  enrollment: { members: ReadonlyArray<{ phone: string }> },
  now: Date,
): Promise<Array<{ path: string; message: string }>> {
  const issues: Array<{ path: string; message: string }> = [];
  const lapsedBefore = now.getTime() - trialPlan.invite.waitDays * 86_400_000;
  for (const [index, member] of enrollment.members.entries()) {
    let open = 0;
    for (const membership of await store.findMembershipsByPhone(member.phone)) {
      const found = await store.getPartnership(membership.partnershipId);
      const status = found?.members.find((each) => each.id === membership.memberId)?.status;
      if (!found || !status || status === 'opted_out') continue;
      if (status === 'invited' && Date.parse(found.partnership.createdAt) < lapsedBefore) continue;
      open += 1;
    }
    if (open >= limits.openPartnershipsPerPerson)
      issues.push({
        path: `members.${index}.phone`,
        message: `is already in ${open} partnerships, the most one person can be in at once; enroll them again once one has ended`,
      });
  }
  return issues;
}
