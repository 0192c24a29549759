import { createHash } from 'node:crypto';
import { plusDays, systemMidnight } from '#shared/domain/calendar.js';
import { RateLimitedError, RecipientUnsubscribedError, UndeliverableError } from '#shared/domain/errors.js';
import { limits } from '#shared/domain/limits.js';
import type { Member } from '#shared/domain/partnership.js';
import type { ReachabilityPort, SmsPort, StorePort } from '#shared/domain/ports.js';
import { textValiditySeconds } from '#shared/domain/text-validity.js';
import { localDateOf } from '#shared/domain/trial-plan.js';
import { logger } from '#shared/runtime/logger.js';
import { noteDelivered, noteUndeliverable, type Recipient } from './undeliverable.js';

/** Takes one enrollment from the API key's allowance for this minute, or refuses with 429. */
export async function takeEnrollmentSlot(
  store: Pick<StorePort, 'takeQuota'>,
  apiKey: string,
  now: Date,
): Promise<void> {
  const minute = now.toISOString().slice(0, 16);
  const caller = createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
  const nextMinute = new Date(`${minute}:00.000Z`).getTime() + 60_000;
  const taken = await store.takeQuota(
    `enroll#${caller}#${minute}`,
    limits.enrollmentsPerKeyPerMinute,
    new Date(nextMinute + 3_600_000),
  );
  if (!taken) throw new RateLimitedError(Math.max(1, Math.ceil((nextMinute - now.getTime()) / 1000)));
}

/** What became of a text: sent, held by a cap or a consent, or refused by the provider for good. */
export type TextOutcome = 'sent' | 'held' | 'undeliverable';

/**
 * Texts a member unless today's cap of unprompted texts is reached (a loop or a flood would otherwise
 * keep texting them, at their carrier's and our cost). Returns whether the text went out.
 */
export async function textMember(...text: Parameters<typeof sendText>): Promise<boolean> {
  return (await sendText(...text)) === 'sent';
}

/**
 * textMember, saying why a text did not go. A refusal for good is recorded on the member (see
 * undeliverable.ts) and not retried; a text that goes clears that record.
 */
export async function sendText(
  deps: { store: StorePort & ReachabilityPort; sms: SmsPort },
  member: Pick<Member, 'phone' | 'timezone' | 'quietHours'> & Recipient,
  body: string,
  now: Date,
): Promise<TextOutcome> {
  const today = localDateOf(now, member.timezone);
  const key = `texts#${member.partnershipId}#${member.id}#${today}`;
  const allowed = await deps.store.takeQuota(
    key,
    limits.textsPerMemberPerDay,
    systemMidnight(plusDays(today, 3) ?? ''),
  );
  if (!allowed) return 'held';
  if (!(await takeFromDailyBudget(deps.store, now))) {
    await deps.store.returnQuota(key);
    return 'held';
  }
  try {
    // Never left waiting in the provider's queue into the member's quiet hours, nor once stale.
    const validitySeconds = textValiditySeconds(now, member.timezone, member.quietHours);
    await deps.sms.send({ to: member.phone, body, validitySeconds });
  } catch (error) {
    // A send that failed (and will be retried) does not use up one of the day's texts.
    await deps.store.returnQuota(key);
    // Someone who opted out (with us) is not texted: nothing to retry, and nothing to send.
    if (error instanceof RecipientUnsubscribedError) return 'held';
    // The provider refuses the number for good (21610: opted out with Twilio, even before our webhook
    // recorded their STOP): nothing to retry; recorded on the member.
    if (error instanceof UndeliverableError) {
      await noteUndeliverable(deps.store, member, error, now);
      return 'undeliverable';
    }
    throw error;
  }
  await noteDelivered(deps.store, member, 'sms', now);
  return 'sent';
}

/**
 * The days (and budgets) whose first counter this process found used up, once the alert was claimed
 * (here or by another sender): their texts take from the second counter at once, so that a step's
 * send past 80 % still decides in one transaction (docs/data-model.md, "A scheduled send"). A unit
 * given back to the first counter later goes unused: the two counters still add up to the budget.
 */
const pastAlertShare = new Set<string>();

/**
 * Takes one text from the deployment's daily budget (a leaked key or a loop cannot text without end).
 * Below the alert share, one counter; past it a second one, and the first text past it warns the
 * operator, once a day ("sms daily budget alert" in the logs; docs/reliability.md).
 */
export async function takeFromDailyBudget(
  store: Pick<StorePort, 'takeQuota' | 'claim' | 'completeClaim'>,
  now: Date,
  budget: number = limits.textsPerDeploymentPerDay,
): Promise<boolean> {
  const day = now.toISOString().slice(0, 10);
  const expires = systemMidnight(plusDays(day, 2) ?? '');
  const beforeAlert = Math.floor(budget * limits.budgetAlertShare);
  const noted = `${day}#${budget}`;
  if (!pastAlertShare.has(noted)) {
    if (await store.takeQuota(`sms-budget#${day}`, beforeAlert, expires)) return true;
    if ((await store.claim(`sms-budget-alert#${day}`, now, 86_400)) === 'claimed') {
      logger.warn('sms daily budget alert', { day, used: beforeAlert, budget });
      await store.completeClaim(`sms-budget-alert#${day}`, now);
    }
    // Only today's note is kept.
    for (const past of pastAlertShare) if (!past.startsWith(day)) pastAlertShare.delete(past);
    pastAlertShare.add(noted);
  }
  return store.takeQuota(`sms-budget-rest#${day}`, budget - beforeAlert, expires);
}

/**
 * Takes one of a person's texts that others cause today (in the person's zone), across all their
 * partnerships; false once the day's are used (the text is held, and logged by the caller).
 */
export async function takeUnpromptedText(
  store: Pick<StorePort, 'takeQuota'>,
  member: Pick<Member, 'phone' | 'timezone'>,
  now: Date,
): Promise<boolean> {
  const today = localDateOf(now, member.timezone);
  return store.takeQuota(
    `person-texts#${createHash('sha256').update(member.phone).digest('hex').slice(0, 24)}#${today}`,
    limits.unpromptedTextsPerPersonPerDay,
    systemMidnight(plusDays(today, 3) ?? ''),
  );
}
