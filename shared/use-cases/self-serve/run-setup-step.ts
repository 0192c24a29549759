import type { SetupStepPayload } from '#shared/domain/ports.js';
import { newSetup, type Setup, says } from '#shared/domain/self-serve/setup.js';
import { zonesOfCountry } from '#shared/domain/self-serve/time-zones.js';
import * as steps from '#shared/domain/steps.js';
import { isSuppressed, membersAtPartnershipLimit } from '#shared/use-cases/consent.js';
import { runOnce } from '#shared/use-cases/run-once.js';
import { answerSetup, questionOf, type Turn } from './dialog.js';
import { reinviteKey, sendHeldInvitation, sendInvitations, withdraw } from './invitations.js';
import { loadSetup, SetupChangedError, type SetupDeps, type SetupOutcome, save, text } from './setup-io.js';
import { inviteeAnswered, inviteeLeft } from './trial-start.js';

/** How long one delivery may hold a text's claim before a redelivery may take it over. */
const CLAIM_LEASE_SECONDS = 60;

export { SetupChangedError, type SetupDeps, type SetupOutcome } from './setup-io.js';

/**
 * Run one step of a self-serve setup: a text from a number in (or starting) a setup, or the nudge and
 * the drop of a setup left alone.
 * Primary course (a text): claim its MessageSid (a redelivered step does nothing twice) → read the
 * setup → answer the step it is at → write it, conditional on the revision read → text the answer →
 * (SEND) invite the partners, (an invitee's last answer) start the trial once everyone has answered,
 * through the same enrollment as POST /partnerships.
 */
export async function runSetupStep(deps: SetupDeps, step: SetupStepPayload): Promise<SetupOutcome> {
  const now = deps.clock.now();
  if (step.kind === 'setup_nudge') return nudge(deps, step.phone, step.revision);
  if (step.kind === 'setup_drop') return drop(deps, step.phone, step.revision);
  if (step.kind === 'setup_invite') {
    const sent = await runOnce(
      deps.store,
      `setup-step#${steps.stepKey(step)}`,
      { now, leaseSeconds: CLAIM_LEASE_SECONDS, retryInProgress: true },
      () => sendHeldInvitation(deps, step.phone, step.invitedBy),
    );
    return sent ?? 'duplicate';
  }
  const outcome = await runOnce(
    deps.store,
    `setup#${step.messageSid}`,
    { now, leaseSeconds: CLAIM_LEASE_SECONDS, retryInProgress: true },
    () => answerText(deps, step.phone, step.body, step.messageSid),
  );
  return outcome ?? 'duplicate';
}

async function answerText(deps: SetupDeps, phone: string, body: string, messageSid: string) {
  // After an opt-out we stay silent, and a setup left behind goes.
  if (await isSuppressed(deps.store, 'sms', phone)) {
    const setup = await loadSetup(deps, phone);
    if (setup) await deps.setups.deleteSetup(phone, setup.revision);
    return 'opted_out' as const;
  }
  const setup = await loadSetup(deps, phone);
  if (!setup) return start(deps, phone, messageSid);
  // This very text was applied before the delivery failed: say the question again, change nothing.
  if (setup.lastSid === messageSid) {
    await text(deps, phone, questionOf(setup));
    return 'repeated' as const;
  }
  const turn = await answerSetup(setup, body, {
    ...(deps.smsCountries ? { smsCountries: deps.smsCountries } : {}),
    // The enrollment's own consent and person checks, asked early: nobody says yes to a trial that
    // cannot hold them.
    unavailable: async (partnerPhone) =>
      (await isSuppressed(deps.store, 'sms', partnerPhone)) ||
      (await membersAtPartnershipLimit(deps.store, { members: [{ phone: partnerPhone }] }, deps.clock.now()))
        .length > 0,
  });
  await act(deps, setup, turn, messageSid);
  return 'answered' as const;
}

/** A first text: the setup begins (or, with self-serve off, one polite line and nothing else). */
async function start(deps: SetupDeps, phone: string, messageSid: string) {
  if (!deps.selfServe) {
    await text(deps, phone, [{ template: 'selfServeOff' }]);
    return 'off' as const;
  }
  // The enrollment's person limit, checked before any question: nobody answers for a trial that cannot start.
  if ((await membersAtPartnershipLimit(deps.store, { members: [{ phone }] }, deps.clock.now())).length > 0) {
    await text(deps, phone, [{ template: 'atTrialLimit' }]);
    return 'off' as const;
  }
  const fresh = newSetup(phone, deps.clock.now());
  // A number whose country has one time zone is never asked for it.
  const zones = zonesOfCountry(fresh.country);
  const setup = zones.length === 1 && zones[0] ? { ...fresh, answers: { timezone: zones[0] } } : fresh;
  await save(deps, setup, messageSid);
  await text(deps, phone, questionOf(setup));
  return 'started' as const;
}

/** Carries out one answer: write the setup, then whatever the answer set going. */
async function act(deps: SetupDeps, before: Setup, turn: Turn, messageSid: string) {
  switch (turn.action) {
    case 'cancel':
      await withdraw(deps, before);
      if (!(await deps.setups.deleteSetup(before.phone, before.revision))) throw new SetupChangedError();
      await text(deps, before.phone, turn.say);
      return;
    case 'send':
      return sendInvitations(deps, turn.setup, messageSid);
    case 'declined':
      if (!(await deps.setups.deleteSetup(before.phone, before.revision))) throw new SetupChangedError();
      await text(deps, before.phone, turn.say);
      await inviteeLeft(deps, before, 'partnerDeclined');
      return;
    case 'accepted':
      // A YES: they may be invited again by the same person (only NO or silence keeps them off for 30 days).
      if (before.invitedBy) await deps.store.releaseClaim(reinviteKey(before.invitedBy.phone, before.phone));
      break;
  }
  const saved = await save(deps, turn.setup, messageSid);
  await text(deps, saved.phone, turn.say);
  if (turn.action === 'answered') await inviteeAnswered(deps, saved);
}

// --- A setup left alone -----------------------------------------------------------------------

async function nudge(deps: SetupDeps, phone: string, revision: number): Promise<SetupOutcome> {
  const setup = await loadSetup(deps, phone);
  if (setup?.revision !== revision || setup.nudgedAt === revision) return 'stale';
  const nudged: Setup = { ...setup, nudgedAt: revision };
  if (!(await deps.setups.putSetup(nudged, revision))) return 'stale';
  await text(deps, phone, [{ template: 'nudge' }]);
  return 'nudged';
}

async function drop(deps: SetupDeps, phone: string, revision: number): Promise<SetupOutcome> {
  const setup = await loadSetup(deps, phone);
  if (setup?.revision !== revision) return 'stale';
  if (!(await deps.setups.deleteSetup(phone, revision))) return 'stale';
  if (setup.role === 'invitee') {
    // No answer in a week: not asked again by this person for 30 days (the claim taken at SEND stays).
    await inviteeLeft(deps, setup, 'partnerLapsed');
    return 'dropped';
  }
  await withdraw(deps, setup);
  await text(deps, phone, [{ template: 'dropped' }]);
  return 'dropped';
}

/** Whether a text, read as the setup words, starts a new setup for a member (NEW). */
export const startsSetup = (body: string) => says(body, 'start');
