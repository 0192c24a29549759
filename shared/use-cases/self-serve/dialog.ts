import { DEFAULT_QUIET_HOURS, isQuietTime } from '#shared/domain/quiet-hours.js';
import {
  editTargets,
  MAX_PARTNERS,
  nextStep,
  readEmail,
  readGoal,
  readName,
  readPartner,
  readTime,
  type Setup,
  type SetupStep,
  says,
  wordOf,
} from '#shared/domain/self-serve/setup.js';
import { zoneOfPlace, zonePlaceName } from '#shared/domain/self-serve/time-zones.js';
import { whyNotTextable } from '#shared/domain/textable-number.js';
import { INVITATION_LENGTH, type SetupTemplate } from '#templates/setup-sms.js';
import { excerpt } from '#templates/sms.js';

/** One text of ours: a template of templates/setup-sms.ts and its values. */
export interface Say {
  template: SetupTemplate;
  values?: Record<string, string | number>;
}

/**
 * What one answer did: the setup as it is now, what we say back, and what must happen beyond the
 * setup itself (the invitations go out, the setup is dropped, an invitee said yes or no).
 */
export interface Turn {
  setup: Setup;
  say: Say[];
  action?: 'send' | 'cancel' | 'accepted' | 'declined' | 'answered';
}

export interface DialogChecks {
  /** ISO countries we text (the enrollment's list); undefined: every country. */
  smsCountries?: readonly string[];
  /** Whether the person behind a number told us to stop, or is in as many trials as one person may be. */
  unavailable(phone: string): Promise<boolean>;
}

/** The partners' names in a line: "Mia", "Mia and Sam", "Mia, Sam and Cy". */
export function namesOf(partners: ReadonlyArray<{ name: string }>): string {
  const names = partners.map((partner) => partner.name);
  const last = names.pop();
  return excerpt(names.length ? `${names.join(', ')} and ${last}` : (last ?? ''), 50);
}

/** The invitation as its recipients read it (and the initiator previews it). */
export function invitationOf(setup: Pick<Setup, 'answers'>): Say {
  return {
    template: 'invitation',
    values: {
      name: excerpt(setup.answers.name ?? '', INVITATION_LENGTH.name),
      goal: excerpt(setup.answers.goal ?? '', INVITATION_LENGTH.goal),
    },
  };
}

/** The question a step asks (the preview is three texts: what is coming, the invitation, SEND or EDIT). */
export function questionOf(setup: Setup, step: SetupStep = setup.step): Say[] {
  const name = setup.answers.name ?? '';
  switch (step) {
    case 'name':
      return [{ template: 'askName' }];
    case 'goal':
      return byRole(setup, 'inviteeAskGoal', 'askGoal');
    case 'time':
      return [{ template: 'askTime', values: { name } }];
    case 'zone':
      return [{ template: 'askZone' }];
    case 'zoneConfirm':
      return [
        {
          template: 'confirmZone',
          values: {
            place: zonePlaceName(setup.answers.timezone ?? ''),
            time: setup.answers.checkInTime ?? '',
          },
        },
      ];
    case 'email':
      return [{ template: 'askEmail' }];
    case 'partner':
      return [{ template: 'askPartner' }];
    case 'preview': {
      const list = namesOf(setup.partners);
      return [
        { template: 'preview', values: { list } },
        invitationOf(setup),
        { template: 'askSend', values: { list } },
      ];
    }
    case 'edit':
      return [{ template: 'askEdit' }];
    case 'waiting':
      return byRole(setup, 'inviteeDone', 'waitingNote');
    case 'invited':
      return [{ template: 'inviteeUnclear', values: { name: setup.invitedBy?.name ?? '' } }];
  }
}

/** An invitee's text names the answered name as `partner`; the initiator's, as `name`. */
function byRole(setup: Setup, invitee: SetupTemplate, initiator: SetupTemplate): Say[] {
  const name = setup.answers.name ?? '';
  return setup.role === 'invitee'
    ? [{ template: invitee, values: { partner: name } }]
    : [{ template: initiator, values: { name } }];
}

/** Moves on to `step`, remembering where we were (for BACK). */
function goTo(setup: Setup, step: SetupStep): Setup {
  return { ...setup, step, history: [...setup.history, setup.step] };
}

/** After an answer: the next question, or straight back to the preview when the answer was an EDIT. */
function advance(setup: Setup, said: Say[] = []): Turn {
  if (setup.editing && setup.role === 'initiator' && setup.step !== 'zone') {
    const back = { ...goTo(setup, 'preview'), editing: false };
    return { setup: back, say: [...said, ...questionOf(back)] };
  }
  const next = goTo(setup, nextStep(setup, setup.step));
  const action = next.step === 'waiting' && setup.role === 'invitee' ? 'answered' : undefined;
  return { setup: next, say: [...said, ...questionOf(next)], ...(action ? { action } : {}) };
}

const again = (setup: Setup, template: SetupTemplate, values?: Say['values']): Turn => ({
  setup,
  say: [{ template, ...(values ? { values } : {}) }],
});

/**
 * One text, answered for the step the setup is at. BACK, CANCEL SETUP and HELP work at every step; a
 * YES, a GRACE or anything else is read as the answer to the question asked, never lost.
 */
export async function answerSetup(setup: Setup, text: string, checks: DialogChecks): Promise<Turn> {
  if (says(text, 'help')) return { setup, say: [{ template: 'setupHelp' }] };
  if (says(text, 'cancel')) return { setup, say: [{ template: 'cancelled' }], action: 'cancel' };
  if (says(text, 'back') && setup.step !== 'waiting') {
    const previous = setup.history.at(-1);
    const back: Setup = previous
      ? { ...setup, step: previous, history: setup.history.slice(0, -1), editing: false }
      : setup;
    return { setup: back, say: questionOf(back) };
  }
  return steps[setup.step](setup, text, checks);
}

type StepHandler = (setup: Setup, text: string, checks: DialogChecks) => Turn | Promise<Turn>;

/** Every step and how it reads an answer: the compiler refuses a step without one. */
const steps: Record<SetupStep, StepHandler> = {
  name(setup, text) {
    const name = readName(text);
    if (!name) return again(setup, 'nameUnclear');
    return advance({ ...setup, answers: { ...setup.answers, name } });
  },
  goal(setup, text) {
    const read = readGoal(text);
    if (!read) return { setup, say: questionOf(setup) };
    return advance(
      { ...setup, answers: { ...setup.answers, goal: read.goal } },
      read.trimmed ? [{ template: 'goalTrimmed', values: { goal: read.goal } }] : [],
    );
  },
  time(setup, text) {
    const time = readTime(text);
    if (!time) return again(setup, 'timeUnclear');
    if (isQuietTime(time, DEFAULT_QUIET_HOURS))
      return again(setup, 'timeQuiet', {
        time,
        start: DEFAULT_QUIET_HOURS.start,
        end: DEFAULT_QUIET_HOURS.end,
      });
    return advance({ ...setup, answers: { ...setup.answers, checkInTime: time } });
  },
  zone(setup, text) {
    const zone = zoneOfPlace(text);
    if (!zone) return again(setup, 'zoneUnknown');
    const next = goTo({ ...setup, answers: { ...setup.answers, timezone: zone } }, 'zoneConfirm');
    return { setup: next, say: questionOf(next) };
  },
  zoneConfirm(setup, text) {
    if (says(text, 'yes')) return advance(setup);
    // Anything else is another place: "fix it".
    const zone = zoneOfPlace(text);
    if (!zone) return again(setup, 'zoneUnknown');
    const fixed = { ...setup, answers: { ...setup.answers, timezone: zone } };
    return { setup: fixed, say: questionOf(fixed) };
  },
  email(setup, text) {
    if (says(text, 'skip')) {
      const { email: _dropped, ...answers } = setup.answers;
      return advance({ ...setup, answers });
    }
    const email = readEmail(text);
    if (!email) return again(setup, 'emailUnclear');
    return advance({ ...setup, answers: { ...setup.answers, email } });
  },
  async partner(setup, text, checks) {
    if (says(text, 'done')) {
      if (setup.partners.length === 0) return { setup, say: questionOf(setup) };
      const preview = { ...goTo(setup, 'preview'), editing: false };
      return { setup: preview, say: questionOf(preview) };
    }
    if (setup.partners.length >= MAX_PARTNERS) return again(setup, 'teamFull');
    const read = readPartner(text, setup.country);
    if (!read) return again(setup, 'partnerUnclear');
    if (!read.phone) return again(setup, 'partnerNotANumber');
    if (read.phone === setup.phone) return again(setup, 'partnerYourself');
    const why = whyNotTextable(read.phone, checks.smsCountries);
    if (why?.includes('country')) return again(setup, 'partnerCountry');
    if (why?.includes('in use')) return again(setup, 'partnerNotANumber');
    if (why) return again(setup, 'partnerNotMobile');
    if (await checks.unavailable(read.phone)) return again(setup, 'partnerUnavailable');
    const partners = [
      ...setup.partners.filter((partner) => partner.phone !== read.phone),
      { name: read.name, phone: read.phone, status: 'listed' as const },
    ];
    const listed = { ...setup, partners };
    if (partners.length >= MAX_PARTNERS) return again(listed, 'teamFull');
    return again(listed, 'askAnotherPartner', { partner: read.name });
  },
  preview(setup, text) {
    if (says(text, 'send')) return { setup, say: [], action: 'send' };
    if (says(text, 'edit')) {
      const edit = goTo(setup, 'edit');
      return { setup: edit, say: questionOf(edit) };
    }
    return { setup, say: [{ template: 'askSend', values: { list: namesOf(setup.partners) } }] };
  },
  edit(setup, text) {
    const target = editTargets[wordOf(text)];
    if (!target) return { setup, say: questionOf(setup) };
    const editing: Setup = {
      ...goTo(setup, target),
      editing: true,
      ...(target === 'partner' ? { partners: [] } : {}),
    };
    return { setup: editing, say: questionOf(editing) };
  },
  waiting(setup) {
    return { setup, say: questionOf(setup) };
  },
  invited(setup, text) {
    if (says(text, 'yes')) return { ...advance(setup), action: 'accepted' };
    if (says(text, 'no')) return { setup, say: [{ template: 'inviteeDeclined' }], action: 'declined' };
    return { setup, say: questionOf(setup) };
  },
};
