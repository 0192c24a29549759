import type { SendChannel, UndeliverableError } from '#shared/domain/errors.js';
import { type Member, partnersOf } from '#shared/domain/partnership.js';
import type { ReachabilityPort, StorePort } from '#shared/domain/ports.js';
import { logger } from '#shared/runtime/logger.js';

/** The member a send was for, as far as recording its outcome needs. */
export type Recipient = Pick<Member, 'partnershipId' | 'id'> &
  Partial<Pick<Member, 'name' | 'smsStatus' | 'emailStatus'>>;

/**
 * A send refused for good (shared/domain/errors.ts): nothing is retried or dead-lettered. It is recorded
 * on the member (`smsStatus` / `emailStatus` `undeliverable`, with the reason and since when) once; the
 * first time texts cannot reach someone, their partners hear it once, kindly, inside their own next
 * check-in (partner news, never a text of its own). A refusal of the whole account (SES paused or
 * suspended) is the operator's to fix: it is recorded and logged as an error, and no partner is told.
 */
export async function noteUndeliverable(
  store: StorePort & ReachabilityPort,
  recipient: Recipient,
  error: UndeliverableError,
  now: Date,
): Promise<void> {
  if (error.scope === 'account')
    logger.error('provider refuses every send of the account', {
      channel: error.channel,
      reason: error.reason,
    });
  const first = await store.markUndeliverable(
    recipient.partnershipId,
    recipient.id,
    error.channel,
    error.reason,
    now,
  );
  if (!first) return;
  logger.warn('member undeliverable', {
    partnershipId: recipient.partnershipId,
    memberId: recipient.id,
    channel: error.channel,
    reason: error.reason,
  });
  const partners =
    error.channel === 'sms' && error.scope === 'recipient'
      ? partnersOf((await store.getPartnership(recipient.partnershipId))?.members ?? [], recipient)
      : [];
  const at = now.toISOString();
  await store.recordEvent(
    recipient.partnershipId,
    {
      memberId: recipient.id,
      kind: `${error.channel}_undeliverable`,
      at,
      data: { reason: error.reason, scope: error.scope },
    },
    partners.map((partner) => ({
      recipientId: partner.id,
      item: { fromMemberId: recipient.id, fromName: recipient.name ?? '', kind: 'unreachable', at },
    })),
  );
}

/**
 * A send went: a channel recorded as undeliverable works again. Costs a write only for a member read
 * with that status (the usual send reads and writes nothing more).
 */
export async function noteDelivered(
  store: StorePort & ReachabilityPort,
  recipient: Recipient,
  channel: SendChannel,
  now: Date,
): Promise<void> {
  const status = channel === 'sms' ? recipient.smsStatus : recipient.emailStatus;
  if (status !== 'undeliverable') return;
  if (await store.clearUndeliverable(recipient.partnershipId, recipient.id, channel))
    await store.recordEvent(recipient.partnershipId, {
      memberId: recipient.id,
      kind: `${channel}_reachable`,
      at: now.toISOString(),
    });
}
