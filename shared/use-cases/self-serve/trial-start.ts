/** An invitee's answers reach the initiator's setup; once everyone answered, the trial starts. */
import { ConflictError, ValidationError } from '#shared/domain/errors.js';
import type { Member } from '#shared/domain/partnership.js';
import type { Setup, SetupStep } from '#shared/domain/self-serve/setup.js';
import { enrollPartnership } from '#shared/use-cases/enroll-partnership.js';
import { questionOf, type Say } from './dialog.js';
import { withdraw } from './invitations.js';
import { loadSetup, SetupChangedError, type SetupDeps, save, text } from './setup-io.js';

/** Changes the initiator's setup for one invitee (a conditional write, read again on a race). */
export async function updateInitiator(
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
export async function inviteeLeft(
  deps: SetupDeps,
  invitee: Setup,
  template: 'partnerDeclined' | 'partnerLapsed',
) {
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
export async function inviteeAnswered(deps: SetupDeps, invitee: Setup) {
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
export async function startIfEveryoneAnswered(deps: SetupDeps, initiator: Setup) {
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

export const startedSay = (member: Member): Say => ({
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
export async function askAgain(
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
