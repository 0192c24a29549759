import { createHash } from 'node:crypto';
import { ConcurrentChangeError } from '#shared/domain/errors.js';
import type { ScheduledStep } from '#shared/domain/scheduled-step.js';
import { stepKey } from '#shared/domain/steps.js';
import { consentChecked } from '../consent.js';
import { runByKind } from '../kind-table.js';
import { runOnce, sendOnce } from '../run-once.js';
import type { DispatchDeps, DispatchOutcome } from './context.js';
import { stepRunners } from './steps/index.js';

export type { DispatchDeps, DispatchOutcome, StepContext, StepRunners } from './context.js';
export { stepRunners } from './steps/index.js';

/** Long enough for one send and one schedule; after it a redelivery may take the step over. */
const CLAIM_LEASE_SECONDS = 120;

/** The claim of a step in the idempotency records: its one key (steps.ts), in the steps' namespace. */
export const stepIdempotencyKey = (step: ScheduledStep): string => `step#${stepKey(step)}`;

/**
 * Run a due step.
 * Primary course: claim the step's key → do the step (text the member, schedule what follows) →
 * mark it done. A failure releases the claim and is rethrown so the platform retries (and finally
 * dead-letters) the delivery.
 */
export async function dispatchScheduledStep(
  deps: DispatchDeps,
  step: ScheduledStep,
): Promise<DispatchOutcome> {
  const now = deps.clock.now();
  const key = stepIdempotencyKey(step);
  const attempt = () =>
    runOnce(
      deps.store,
      key,
      // A claim held by another delivery is retried later, not dropped: if that delivery crashed, the step
      // is picked up once its lease has run out.
      { now, leaseSeconds: CLAIM_LEASE_SECONDS, retryInProgress: true },
      // Consent is checked before every send (a person may have opted out since the step was scheduled),
      // before the message's own claim: over DynamoDB that claim is the last thing before the provider call.
      () => runStep(consentChecked(sendingOncePerStep(deps, key, now)), step, now),
    );
  for (let attempts = 1; ; attempts++) {
    try {
      return (await attempt()) ?? 'duplicate';
    } catch (error) {
      // The store decided the send in one write from what it read, and the table refused it (a claim
      // taken, a check-in recorded, an allowance used up, consent withdrawn): nothing was written or
      // sent, and the step runs again: once more in one write if allowances alone were refused (without
      // them), else each write decided on its own, which refuses nothing.
      if (!(error instanceof ConcurrentChangeError) || attempts === MOST_ATTEMPTS) throw error;
    }
  }
}

/** A decision, a second one without the allowances the first found used up, then write by write. */
const MOST_ATTEMPTS = 3;

const digestOf = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

/**
 * The step's ports, each message sent at most once per step: a step that fails half-way (a text sent,
 * then a write timed out) is retried whole, and what it already sent is not sent again.
 */
function sendingOncePerStep(deps: DispatchDeps, stepKey: string, now: Date): DispatchDeps {
  // A send claimed but never completed (a crash, a failed release) is retried later, never taken as sent.
  const options = { now, leaseSeconds: CLAIM_LEASE_SECONDS, retryInProgress: true };
  return {
    ...deps,
    sms: {
      ...deps.sms,
      // A claim taken over from an attempt that died after its provider call would text twice: Twilio has
      // no idempotency key, so the provider is asked first whether that attempt's text went.
      send: async (message) =>
        (await sendOnce(
          deps.store,
          `${stepKey}#sms#${digestOf(message.to, message.body)}`,
          options,
          async (takenOverSince) =>
            (takenOverSince && (await deps.sms.findSent({ ...message, since: takenOverSince }))) ||
            deps.sms.send(message),
        )) ?? { sid: 'sent-before' },
    },
    email: {
      // SES has no look-up of what it accepted: a taken-over email claim sends again. A duplicate email
      // (its attempt died in the one request between SES and the step's transaction) is the lesser harm
      // than a check-in never asked (docs/reliability.md, "Sent once").
      send: async (message) =>
        (await sendOnce(
          deps.store,
          `${stepKey}#email#${digestOf(message.to, message.subject)}`,
          options,
          () => deps.email.send(message),
        )) ?? { messageId: 'sent-before' },
    },
  };
}

/** Reads the partnership once and runs the step's own runner (steps/<kind>.ts). */
async function runStep(deps: DispatchDeps, step: ScheduledStep, now: Date): Promise<DispatchOutcome> {
  const found = await deps.store.getPartnership(step.partnershipId);
  const member = found?.members.find((candidate) => candidate.id === step.memberId);
  // Nobody who opted out is texted, whatever was scheduled before.
  if (!found || !member || member.status === 'opted_out') return 'skipped';
  return runByKind(stepRunners, { deps, ...found, member, now }, step);
}
