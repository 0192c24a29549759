import { createHash } from 'node:crypto';
import { plusDays, systemMidnight } from '../domain/calendar.js';
import { RateLimitedError } from '../domain/errors.js';
import { limits } from '../domain/limits.js';
import type { Member } from '../domain/partnership.js';
import type { SmsPort, StorePort } from '../domain/ports.js';
import { localDateOf } from '../domain/trial-plan.js';

/** Takes one enrollment from the API key's allowance for this minute, or refuses with 429. */
export async function takeEnrollmentSlot(store: StorePort, apiKey: string, now: Date): Promise<void> {
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

/**
 * Texts a member unless today's cap of unprompted texts is reached (a loop or a flood would otherwise
 * keep texting them, at their carrier's and our cost). Returns whether the text went out.
 */
export async function textMember(
  deps: { store: StorePort; sms: SmsPort },
  member: Pick<Member, 'partnershipId' | 'id' | 'phone' | 'timezone'>,
  body: string,
  now: Date,
): Promise<boolean> {
  const today = localDateOf(now, member.timezone);
  const key = `texts#${member.partnershipId}#${member.id}#${today}`;
  const allowed = await deps.store.takeQuota(
    key,
    limits.textsPerMemberPerDay,
    systemMidnight(plusDays(today, 3) ?? ''),
  );
  if (!allowed) return false;
  try {
    await deps.sms.send({ to: member.phone, body });
  } catch (error) {
    // A send that failed (and will be retried) does not use up one of the day's texts.
    await deps.store.returnQuota(key);
    // Twilio refuses numbers that texted STOP to it (21610), even before our webhook recorded the STOP:
    // nothing to retry, and nothing to send.
    if (isUnsubscribedRecipient(error)) return false;
    throw error;
  }
  return true;
}

/** Twilio's error 21610: the recipient texted STOP to our number, so Twilio sends nothing until START. */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;
const isUnsubscribedRecipient = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  'code' in error &&
  error.code === TWILIO_UNSUBSCRIBED_RECIPIENT;
