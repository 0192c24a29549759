import type { Clock } from '#shared/domain/clock.js';
import { ConflictError, RecipientUnsubscribedError, ValidationError } from '#shared/domain/errors.js';
import { limits } from '#shared/domain/limits.js';
import type { Member } from '#shared/domain/partnership.js';
import type {
  SchedulerPort,
  SetupStepPayload,
  SetupStorePort,
  SmsPort,
  StorePort,
} from '#shared/domain/ports.js';
import { outsideQuietHours } from '#shared/domain/quiet-hours.js';
import { newSetup, type Setup, type SetupStep, says, setupSchema } from '#shared/domain/self-serve/setup.js';
import { zonesOfCountry } from '#shared/domain/self-serve/time-zones.js';
import * as steps from '#shared/domain/steps.js';
import { isSuppressed, membersAtPartnershipLimit } from '#shared/use-cases/consent.js';
import { enrollPartnership } from '#shared/use-cases/enroll-partnership.js';
import { scheduleAtInstant } from '#shared/use-cases/notify.js';
import { runOnce } from '#shared/use-cases/run-once.js';
import { takeFromDailyBudget, takeUnpromptedText } from '#shared/use-cases/safety-valves.js';
import { renderSetupSms } from '#templates/setup-sms.js';
import { answerSetup, invitationOf, namesOf, questionOf, type Say, type Turn } from './dialog.js';

export interface SetupDeps {
  store: StorePort;
  setups: SetupStorePort;
  scheduler: SchedulerPort;
  sms: SmsPort;
  clock: Clock;
  /** ISO countries we text (as enrollment); undefined: every country. */
  smsCountries?: readonly string[];
  /** false: self-serve is off for this stage; a stranger gets one polite line and nothing else. */
  selfServe: boolean;
}

export type SetupOutcome =
  | 'started'
  | 'answered'
  | 'repeated'
  | 'off'
  | 'opted_out'
  | 'nudged'
  | 'dropped'
  | 'stale'
  | 'duplicate';

/** How long one delivery may hold a text's claim before a redelivery may take it over. */
const CLAIM_LEASE_SECONDS = 60;
const DAY_MS = 86_400_000;

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
      `setup-step#${step.scheduleName}@${step.scheduledTime}`,
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

async function loadSetup(deps: SetupDeps, phone: string): Promise<Setup | undefined> {
  const stored = await deps.setups.getSetup(phone);
  return stored === undefined ? undefined : setupSchema.parse(stored);
}

/** A write that lost a race with another text: the step is delivered again and read afresh. */
export class SetupChangedError extends Error {
  constructor() {
    super('The setup changed while this text was read; retry');
    this.name = 'SetupChangedError';
  }
}

/** Writes the setup one revision on, and (re)arms its 24-hour nudge and 7-day drop. */
async function save(deps: SetupDeps, setup: Setup, lastSid: string | undefined): Promise<Setup> {
  const now = deps.clock.now();
  // Revision 0 is a setup never written: it may only be created, never written over another.
  const expected = setup.revision === 0 ? undefined : setup.revision;
  const next: Setup = {
    ...setup,
    revision: setup.revision + 1,
    updatedAt: now.toISOString(),
    ...(lastSid ? { lastSid } : {}),
  };
  if (!(await deps.setups.putSetup(next, expected))) throw new SetupChangedError();
  await armTimers(deps, next);
  return next;
}

/** The nudge after a day and the drop after a week, both for this revision only (an answer re-arms them). */
async function armTimers(deps: SetupDeps, setup: Setup) {
  const now = deps.clock.now().getTime();
  const before = steps.setupTimerNames(setup.phone, setup.revision - 1);
  await deps.scheduler.cancel(before.nudge);
  await deps.scheduler.cancel(before.drop);
  if (setup.step !== 'waiting' && setup.step !== 'invited')
    await scheduleAtInstant(
      deps.scheduler,
      steps.setupNudge(setup.phone, setup.revision, new Date(now + limits.setupNudgeHours * 3_600_000)),
    );
  if (setup.step !== 'waiting')
    await scheduleAtInstant(
      deps.scheduler,
      steps.setupDrop(setup.phone, setup.revision, new Date(now + limits.setupDropDays * DAY_MS)),
    );
}

/** Texts a person in a setup (they just texted us, or are invited), within the day's send budget. */
async function text(deps: SetupDeps, phone: string, says: Say[]): Promise<void> {
  for (const each of says) {
    if (await isSuppressed(deps.store, 'sms', phone)) return;
    if (!(await takeFromDailyBudget(deps.store, deps.clock.now()))) return;
    try {
      await deps.sms.send({ to: phone, body: renderSetupSms(each.template, each.values) });
    } catch (error) {
      if (error instanceof RecipientUnsubscribedError) return;
      throw error;
    }
  }
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

// --- The invitations --------------------------------------------------------------------------

const reinviteKey = (initiator: string, invitee: string) =>
  `setup-reinvite#${steps.phoneKey(initiator)}#${steps.phoneKey(invitee)}`;

/**
 * SEND: within the initiator's daily and monthly invitations, each partner not asked by them in the
 * last 30 days gets the invitation (their own setup, at `invited`), as a text others cause.
 */
async function sendInvitations(deps: SetupDeps, setup: Setup, messageSid: string) {
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
async function invite(deps: SetupDeps, setup: Setup, partner: Setup['partners'][number]): Promise<boolean> {
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
async function sendHeldInvitation(deps: SetupDeps, phone: string, invitedBy: string): Promise<SetupOutcome> {
  const invitee = await loadSetup(deps, phone);
  if (invitee?.step !== 'invited' || invitee.invitedBy?.phone !== invitedBy) return 'stale';
  const timezone = invitee.answers.timezone ?? 'UTC';
  if (!(await takeUnpromptedText(deps.store, { phone, timezone }, deps.clock.now()))) return 'stale';
  const { name, goal } = invitee.invitedBy;
  await text(deps, phone, [invitationOf({ answers: { name, goal } })]);
  return 'answered';
}

/** CANCEL SETUP after SEND (or a setup that cannot start): the open invitations go, silently. */
async function withdraw(deps: SetupDeps, setup: Setup) {
  for (const partner of setup.partners) {
    if (partner.status !== 'invited') continue;
    const theirs = await loadSetup(deps, partner.phone);
    if (theirs?.invitedBy?.phone === setup.phone)
      await deps.setups.deleteSetup(partner.phone, theirs.revision);
  }
}

/** Changes the initiator's setup for one invitee (a conditional write, read again on a race). */
async function updateInitiator(
  deps: SetupDeps,
  invitee: Setup,
  change: (initiator: Setup) => Setup,
): Promise<Setup | undefined> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const initiator = invitee.invitedBy ? await loadSetup(deps, invitee.invitedBy.phone) : undefined;
    if (!initiator) return undefined;
    const changed = { ...change(initiator), revision: initiator.revision + 1 };
    if (await deps.setups.putSetup(changed, initiator.revision)) return changed;
  }
  throw new SetupChangedError();
}

/** An invitee said NO (or never answered): the initiator hears it kindly, and carries on without them. */
async function inviteeLeft(deps: SetupDeps, invitee: Setup, template: 'partnerDeclined' | 'partnerLapsed') {
  const initiator = await updateInitiator(deps, invitee, (setup) => ({
    ...setup,
    partners: setup.partners.map((partner) =>
      partner.phone === invitee.phone ? { ...partner, status: 'declined' as const } : partner,
    ),
  }));
  if (!initiator) return;
  await text(deps, initiator.phone, [{ template, values: { partner: invitee.answers.name ?? '' } }]);
  await startIfEveryoneAnswered(deps, initiator);
}

/** An invitee's last answer: kept with the initiator's setup; the trial starts once everyone answered. */
async function inviteeAnswered(deps: SetupDeps, invitee: Setup) {
  const initiator = await updateInitiator(deps, invitee, (setup) => ({
    ...setup,
    partners: setup.partners.map((partner) =>
      partner.phone === invitee.phone
        ? {
            ...partner,
            status: 'joined' as const,
            ...(invitee.answers.goal ? { goal: invitee.answers.goal } : {}),
            ...(invitee.answers.checkInTime ? { checkInTime: invitee.answers.checkInTime } : {}),
            ...(invitee.answers.timezone ? { timezone: invitee.answers.timezone } : {}),
            ...(invitee.answers.email ? { email: invitee.answers.email } : {}),
          }
        : partner,
    ),
  }));
  if (!initiator) {
    await text(deps, invitee.phone, [{ template: 'withdrawn' }]);
    await deps.setups.deleteSetup(invitee.phone, invitee.revision);
    return;
  }
  const waitingFor = initiator.partners.filter((partner) => partner.status === 'invited').length;
  if (waitingFor > 0)
    await text(deps, initiator.phone, [
      { template: 'partnerJoined', values: { partner: invitee.answers.name ?? '', count: waitingFor } },
    ]);
  await startIfEveryoneAnswered(deps, initiator);
}

/**
 * Once nobody is left to answer: the initiator and everyone who said yes are enrolled as POST
 * /partnerships enrolls (same validation, consent and person limits), already joined, and their
 * setups end. A refused answer goes back to its owner as a question; nobody left ends the setup.
 */
async function startIfEveryoneAnswered(deps: SetupDeps, initiator: Setup) {
  if (initiator.partners.some((partner) => partner.status === 'invited')) return;
  const joined = initiator.partners.filter((partner) => partner.status === 'joined');
  if (joined.length === 0) {
    await deps.setups.deleteSetup(initiator.phone, initiator.revision);
    await text(deps, initiator.phone, [{ template: 'nobodyLeft' }]);
    return;
  }
  const people = [
    { phone: initiator.phone, name: initiator.answers.name, ...initiator.answers },
    ...joined.map(({ status: _status, ...partner }) => partner),
  ];
  try {
    const { members } = await enrollPartnership(
      {
        store: deps.store,
        scheduler: deps.scheduler,
        clock: deps.clock,
        ...(deps.smsCountries ? { smsCountries: deps.smsCountries } : {}),
      },
      { members: people },
      { joined: true },
    );
    for (const person of people) {
      const theirs = await loadSetup(deps, person.phone);
      if (theirs) await deps.setups.deleteSetup(person.phone, theirs.revision);
    }
    for (const member of members) await text(deps, member.phone, [startedSay(member)]);
  } catch (error) {
    if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
    await askAgain(deps, people, error.issues);
  }
}

const startedSay = (member: Member): Say => ({
  template: 'started',
  values: { time: member.checkInTime, partner: member.name },
});

/** Where the enrollment's field sits in the dialog. */
const STEP_OF_FIELD: Record<string, SetupStep> = {
  name: 'name',
  goal: 'goal',
  checkInTime: 'time',
  timezone: 'zone',
  email: 'email',
};

/**
 * The enrollment refused an answer (validation, consent or a person limit): its owner is asked that
 * one question again, kindly; the rest stays as answered.
 */
async function askAgain(
  deps: SetupDeps,
  people: Array<{ phone: string }>,
  issues: ReadonlyArray<{ path: string }>,
) {
  for (const issue of issues) {
    const [, index, field = ''] = issue.path.split('.');
    const person = people[Number(index)];
    const step = STEP_OF_FIELD[field];
    if (!person) continue;
    const theirs = await loadSetup(deps, person.phone);
    if (!theirs) continue;
    if (!step) {
      // A number refused at enrollment (a limit, an opt-out since): that person cannot be in this trial.
      await deps.setups.deleteSetup(person.phone, theirs.revision);
      await text(deps, person.phone, [{ template: 'cannotJoin' }]);
      if (theirs.role === 'invitee') await inviteeLeft(deps, theirs, 'partnerDeclined');
      else await withdraw(deps, theirs);
      continue;
    }
    const asked: Setup = { ...theirs, step, editing: theirs.role === 'initiator' };
    await save(deps, asked, undefined);
    await text(deps, person.phone, [{ template: 'askAgain' }, ...questionOf(asked)]);
  }
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
