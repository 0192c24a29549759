import type { Clock } from '#shared/domain/clock.js';
import type { EmailStatus } from '#shared/domain/partnership.js';
import type {
  HistoryStorePort,
  MemberStorePort,
  PartnershipStorePort,
  PersonStorePort,
} from '#shared/domain/ports.js';
import type { SesEvent } from '#shared/schemas/ses-events.js';
import { optOutEmail } from './consent.js';

export interface EmailEventDeps {
  store: PartnershipStorePort & MemberStorePort & HistoryStorePort & PersonStorePort;
  clock: Clock;
}

export type EmailEventOutcome = 'email_off' | 'already_off' | 'not_ours' | 'ignored';

/** What an event means for the member: a hard bounce or a complaint ends our emails to them. */
function statusFor(event: SesEvent): EmailStatus | undefined {
  if (event.type === 'Bounce' && event.bounce?.bounceType === 'Permanent') return 'bounced';
  if (event.type === 'Complaint') return 'complained';
  return undefined;
}

/**
 * Handle a bounce or complaint.
 * Primary course: find the member by the tags we sent with → turn their email channel off (texts carry
 * on) → record it in the history once (a redelivered event changes nothing).
 */
export async function handleEmailEvent(deps: EmailEventDeps, event: SesEvent): Promise<EmailEventOutcome> {
  const status = statusFor(event);
  if (!status) return 'ignored';
  const partnershipId = event.mail.tags.partnership?.[0];
  const memberId = event.mail.tags.member?.[0];
  if (!partnershipId || !memberId) return 'not_ours';
  const now = deps.clock.now();
  const changed = await deps.store.setEmailStatus(partnershipId, memberId, status, now);
  // A complaint is an opt-out: the address stops everywhere, as an unsubscribe does (a redelivery too,
  // in case the first delivery failed half-way).
  if (status === 'complained') {
    const found = await deps.store.getPartnership(partnershipId);
    const email = found?.members.find((each) => each.id === memberId)?.email;
    if (email) await optOutEmail(deps.store, email, 'email_complaint', now);
  }
  if (!changed) return 'already_off';
  await deps.store.recordEvent(partnershipId, {
    memberId,
    kind: `email_${status}`,
    at: now.toISOString(),
    data: { sesMessageId: event.mail.messageId },
  });
  return 'email_off';
}
