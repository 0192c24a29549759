/** The invitations of a self-serve setup: sent at SEND, held through quiet hours, withdrawn at CANCEL. */
import { limits } from '#shared/domain/limits.js';
import { outsideQuietHours } from '#shared/domain/quiet-hours.js';
import { newSetup, type Setup } from '#shared/domain/self-serve/setup.js';
import { zonesOfCountry } from '#shared/domain/self-serve/time-zones.js';
import * as steps from '#shared/domain/steps.js';
import { isSuppressed } from '#shared/use-cases/consent.js';
import { scheduleAtInstant } from '#shared/use-cases/notify.js';
import { takeUnpromptedText } from '#shared/use-cases/safety-valves.js';
import { invitationOf, namesOf, questionOf, type Say } from './dialog.js';
import { armTimers, DAY_MS, loadSetup, type SetupDeps, type SetupOutcome, save, text } from './setup-io.js';

export const reinviteKey = (initiator: string, invitee: string) =>
  `setup-reinvite#${steps.phoneKey(initiator)}#${steps.phoneKey(invitee)}`;

/**
 * SEND: within the initiator's daily and monthly invitations, each partner not asked by them in the
 * last 30 days gets the invitation (their own setup, at `invited`), as a text others cause.
 */
export async function sendInvitations(deps: SetupDeps, setup: Setup, messageSid: string) {
  const now = deps.clock.now();
  const listed = setup.partners.filter((partner) => partner.status === 'listed');
  const day = now.toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  const taken: string[] = [];
  const take = async (key: string, limit: number, expires: Date) => {
    for (const _ of listed) {
      if (!(await deps.store.takeQuota(key, limit, expires))) return false;
      taken.push(key);
    }
    return true;
  };
  const who = steps.phoneKey(setup.phone);
  const dayOk = await take(
    `setup-invites#${who}#${day}`,
    limits.setupInvitationsPerDay,
    new Date(now.getTime() + 2 * DAY_MS),
  );
  const monthOk =
    dayOk &&
    (await take(
      `setup-invites#${who}#${month}`,
      limits.setupInvitationsPerMonth,
      new Date(now.getTime() + 32 * DAY_MS),
    ));
  if (!dayOk || !monthOk) {
    for (const key of taken) await deps.store.returnQuota(key);
    await save(deps, setup, messageSid);
    await text(deps, setup.phone, [{ template: dayOk ? 'invitesMonth' : 'invitesToday' }]);
    return;
  }
  const notNow: Say[] = [];
  const partners = [...setup.partners];
  for (const [index, partner] of partners.entries()) {
    if (partner.status !== 'listed') continue;
    const invitable =
      !(await isSuppressed(deps.store, 'sms', partner.phone)) &&
      (await deps.store.claim(
        reinviteKey(setup.phone, partner.phone),
        now,
        limits.setupNoReinviteDays * 86_400,
      )) === 'claimed' &&
      (await invite(deps, setup, partner));
    if (invitable) partners[index] = { ...partner, status: 'invited' };
    else {
      partners[index] = { ...partner, status: 'declined' };
      notNow.push({ template: 'partnerNotNow', values: { partner: partner.name } });
    }
  }
  const invited = partners.filter((partner) => partner.status === 'invited');
  if (invited.length === 0) {
    // Nobody could be asked: back to the partner question, with nothing lost.
    const again: Setup = { ...setup, step: 'partner', partners: [] };
    await save(deps, again, messageSid);
    await text(deps, setup.phone, [...notNow, ...questionOf(again)]);
    return;
  }
  const waiting: Setup = { ...setup, step: 'waiting', history: [], partners };
  await save(deps, waiting, messageSid);
  await text(deps, setup.phone, [...notNow, { template: 'sent', values: { list: namesOf(invited) } }]);
}

/** One invitation: the invitee's own setup (at `invited`), and the text, if their day has room for it. */
export async function invite(
  deps: SetupDeps,
  setup: Setup,
  partner: Setup['partners'][number],
): Promise<boolean> {
  const now = deps.clock.now();
  const fresh = newSetup(partner.phone, now, 'invitee');
  const zones = zonesOfCountry(fresh.country);
  const invitee: Setup = {
    ...fresh,
    answers: { name: partner.name, ...(zones.length === 1 && zones[0] ? { timezone: zones[0] } : {}) },
    invitedBy: { phone: setup.phone, name: setup.answers.name ?? '', goal: setup.answers.goal ?? '' },
  };
  // Someone already in a setup of their own (or invited by another) is not asked twice at once.
  if (!(await deps.setups.putSetup({ ...invitee, revision: 1 }, undefined))) return false;
  await armTimers(deps, { ...invitee, revision: 1 });
  // We never text inside someone's quiet hours: their zone if their country has one, else the initiator's.
  const timezone = invitee.answers.timezone ?? setup.answers.timezone ?? 'UTC';
  const at = outsideQuietHours(now, timezone);
  if (at > now) {
    await scheduleAtInstant(deps.scheduler, steps.setupInvite(partner.phone, setup.phone, at));
    return true;
  }
  if (!(await takeUnpromptedText(deps.store, { phone: partner.phone, timezone }, now))) return true;
  await text(deps, partner.phone, [invitationOf(setup)]);
  return true;
}

/** An invitation held through the invitee's quiet hours goes out, if it is still open. */
export async function sendHeldInvitation(
  deps: SetupDeps,
  phone: string,
  invitedBy: string,
): Promise<SetupOutcome> {
  const invitee = await loadSetup(deps, phone);
  if (invitee?.step !== 'invited' || invitee.invitedBy?.phone !== invitedBy) return 'stale';
  const timezone = invitee.answers.timezone ?? 'UTC';
  if (!(await takeUnpromptedText(deps.store, { phone, timezone }, deps.clock.now()))) return 'stale';
  const { name, goal } = invitee.invitedBy;
  await text(deps, phone, [invitationOf({ answers: { name, goal } })]);
  return 'answered';
}

/** CANCEL SETUP after SEND (or a setup that cannot start): the open invitations go, silently. */
export async function withdraw(deps: SetupDeps, setup: Setup) {
  for (const partner of setup.partners) {
    if (partner.status !== 'invited') continue;
    const theirs = await loadSetup(deps, partner.phone);
    if (theirs?.invitedBy?.phone === setup.phone)
      await deps.setups.deleteSetup(partner.phone, theirs.revision);
  }
}
