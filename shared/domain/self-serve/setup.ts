import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import { MAX_GOAL_LENGTH, MAX_MEMBERS, MAX_NAME_LENGTH } from '#shared/domain/enrollment.js';
import { phoneMetadata } from '#shared/domain/phone-metadata.js';
import { cleanText } from '#shared/domain/text-hygiene.js';
import * as z from '#shared/domain/zod.js';

/** The initiator's questions, in order (`zone` and `zoneConfirm` only where the country has several zones). */
const INITIATOR_STEPS = [
  'name',
  'goal',
  'time',
  'zone',
  'zoneConfirm',
  'email',
  'partner',
  'preview',
] as const;

/**
 * A self-serve setup, by text: the dialog of the person who wants a partner (the initiator) and of
 * each person they invite (an invitee), one question at a time. The steps are data (`initiatorSteps`,
 * `inviteeSteps`); the state is one item per phone number, written conditionally on its revision.
 */
export const STEPS = [...INITIATOR_STEPS, 'edit', 'waiting', 'invited'] as const;
export type SetupStep = (typeof STEPS)[number];

export const initiatorSteps: readonly SetupStep[] = INITIATOR_STEPS;
/** An invitee's questions after YES: their own goal, time, zone and email (their name is the one given). */
export const inviteeSteps: readonly SetupStep[] = [
  'invited',
  'goal',
  'time',
  'zone',
  'zoneConfirm',
  'email',
  'waiting',
];

/** What EDIT offers, and the step each word goes back to. */
export const editTargets: Record<string, SetupStep> = {
  name: 'name',
  goal: 'goal',
  time: 'time',
  zone: 'zone',
  email: 'email',
  partner: 'partner',
  partners: 'partner',
};

/** The words the dialog understands at every step, as data. Bare CANCEL is a carrier opt-out (STOP). */
export const setupWords = {
  back: ['back', 'go back', 'undo'],
  cancel: ['cancel setup', 'never mind', 'nevermind', 'drop it'],
  help: ['help', 'info', '?'],
  skip: ['skip', 'no email', 'none', 'no'],
  done: ['done', "that's all", 'thats all', 'that is all', 'that is everyone', 'finished'],
  send: ['send', 'send it', 'go'],
  edit: ['edit', 'change', 'fix'],
  yes: [
    'yes',
    'y',
    'yep',
    'yeah',
    'yes please',
    'sure',
    'ok',
    'okay',
    'right',
    'correct',
    'join',
    'i am in',
    "i'm in",
  ],
  no: ['no', 'n', 'no thanks', 'no thank you', 'nope', 'not now'],
  /** A member's text that starts a new setup (a number with no open prompt starts one with anything). */
  start: ['new', 'new partner', 'new trial'],
} as const;

/** Words that name the text, not a person: never taken as a first name. */
const NOT_A_NAME = new Set(['hi', 'hello', 'hey', 'new', 'start', 'yes', 'no', 'ok', 'help', 'back']);

/** The text as the words above compare it: lower-case, single spaces, no end punctuation. */
export function wordOf(text: string): string {
  return cleanText(text)
    .toLowerCase()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function says(text: string, word: keyof typeof setupWords): boolean {
  return (setupWords[word] as readonly string[]).includes(wordOf(text));
}

const partnerSchema = z.object({
  name: z.string(),
  phone: z.string(),
  /** listed by the initiator; invited once SEND went out; then joined (with their answers) or declined. */
  status: z.enum(['listed', 'invited', 'joined', 'declined']),
  goal: z.optional(z.string()),
  checkInTime: z.optional(z.string()),
  timezone: z.optional(z.string()),
  email: z.optional(z.string()),
});
export type SetupPartner = z.infer<typeof partnerSchema>;

const answersSchema = z.object({
  name: z.optional(z.string()),
  goal: z.optional(z.string()),
  checkInTime: z.optional(z.string()),
  timezone: z.optional(z.string()),
  email: z.optional(z.string()),
});

/** One person's setup, as stored (versioned). */
export const setupSchema = z.object({
  v: z.literal(1),
  phone: z.string(),
  role: z.enum(['initiator', 'invitee']),
  step: z.enum(STEPS),
  /** The steps answered, latest last: BACK goes to the last one. */
  history: z.array(z.enum(STEPS)),
  /** Bumped by every write: a write is conditional on the revision it read. */
  revision: z.number(),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The number's country (ISO), the default for partners' numbers and the zone question. */
  country: z.optional(z.string()),
  /** Set by EDIT: the answer goes back to the invitation preview. */
  editing: z.optional(z.boolean()),
  /** The MessageSid of the text that made this revision (a redelivery of it changes nothing). */
  lastSid: z.optional(z.string()),
  /** The 24-hour nudge went out for this revision. */
  nudgedAt: z.optional(z.number()),
  answers: answersSchema,
  partners: z.array(partnerSchema),
  /** An invitee: whose setup invited them. */
  invitedBy: z.optional(z.object({ phone: z.string(), name: z.string(), goal: z.string() })),
});
export type Setup = z.infer<typeof setupSchema>;

/** A new setup for a phone number, at its first question. */
export function newSetup(phone: string, now: Date, role: Setup['role'] = 'initiator'): Setup {
  return {
    v: 1,
    phone,
    role,
    step: role === 'initiator' ? 'name' : 'invited',
    history: [],
    revision: 0,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...(countryOf(phone) ? { country: countryOf(phone) } : {}),
    answers: {},
    partners: [],
  };
}

/** The ISO country of an E.164 number, when libphonenumber can tell. */
export function countryOf(phone: string): string | undefined {
  return parsePhoneNumberFromString(phone, phoneMetadata())?.country;
}

/** A first name: the first words, up to the enrollment's limit; undefined for a greeting or a keyword. */
export function readName(text: string): string | undefined {
  const name = cleanText(text)
    .replace(/^(i am|i'm|im|my name is|it's|its|this is)\s+/i, '')
    .replace(/[.!]+$/, '')
    .trim();
  if (!name || NOT_A_NAME.has(name.toLowerCase()) || /\d/.test(name)) return undefined;
  return name.slice(0, MAX_NAME_LENGTH).trim();
}

/** A goal, trimmed to the enrollment's limit (on a word where possible); `trimmed` says it was cut. */
export function readGoal(text: string): { goal: string; trimmed: boolean } | undefined {
  const goal = cleanText(text).replace(/\s+/g, ' ').trim();
  if (!goal) return undefined;
  if (goal.length <= MAX_GOAL_LENGTH) return { goal, trimmed: false };
  const cut = goal.slice(0, MAX_GOAL_LENGTH);
  const space = cut.lastIndexOf(' ');
  return { goal: (space > MAX_GOAL_LENGTH / 2 ? cut.slice(0, space) : cut).trim(), trimmed: true };
}

/** A daily time as people text it ("8:30", "8.30am", "20:15", "8 pm", "0830") → "HH:MM". */
export function readTime(text: string): string | undefined {
  const match = /^(?:at\s+)?(\d{1,2})(?:[:.h ]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(wordOf(text));
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const half = match[3]?.toLowerCase().replaceAll('.', '');
  if (minute > 59 || hour > 23 || (half && (hour < 1 || hour > 12))) return undefined;
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** An email address, lower-cased; undefined when the text is not one. */
export function readEmail(text: string): string | undefined {
  const email = text.trim().toLowerCase();
  return z.email().safeParse(email).success ? email : undefined;
}

/** A partner as texted: "Mia 212 555 0101", "+44 7400 123456 Sam". The number in E.164, if it reads as one. */
export function readPartner(
  text: string,
  defaultCountry: string | undefined,
): { name: string; phone?: string } | undefined {
  const clean = cleanText(text);
  const digits = /\+?\d[\d\s().-]{4,}\d/.exec(clean);
  const name = readName(
    clean
      .replace(digits?.[0] ?? '', ' ')
      .replace(/[,:;-]/g, ' ')
      .replace(/\s+/g, ' '),
  );
  if (!digits || !name) return undefined;
  const parsed = parsePhoneNumberFromString(
    digits[0],
    // The default is a country libphonenumber itself read from the sender's number.
    { ...(defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : {}), extract: false },
    phoneMetadata(),
  );
  return parsed?.isValid() ? { name, phone: parsed.number } : { name };
}

/** Most partners one setup lists: the enrollment's team limit, less the initiator. */
export const MAX_PARTNERS = MAX_MEMBERS - 1;

/** The step after `step` in a role's order, skipping the zone questions when the zone is known. */
export function nextStep(setup: Setup, step: SetupStep): SetupStep {
  const order = setup.role === 'initiator' ? initiatorSteps : inviteeSteps;
  let next = order[order.indexOf(step) + 1] ?? 'waiting';
  if (next === 'zone' && setup.answers.timezone && !setup.editing) next = 'email';
  return next;
}

const stepBase = {
  version: z.literal(1),
  phone: z.string().check(z.regex(/^\+\d{6,15}$/)),
  scheduleName: z.string().check(z.minLength(1), z.maxLength(64)),
  scheduledTime: z.iso.datetime(),
};

/** The versioned payload of a setup step, as the setup function receives it. */
export const setupStepSchema = z.discriminatedUnion('kind', [
  z.object({
    ...stepBase,
    kind: z.literal('setup_text'),
    messageSid: z.string().check(z.minLength(1), z.maxLength(64)),
    body: z.string().check(z.maxLength(1600)),
  }),
  z.object({ ...stepBase, kind: z.literal('setup_nudge'), revision: z.number() }),
  z.object({ ...stepBase, kind: z.literal('setup_drop'), revision: z.number() }),
  z.object({
    ...stepBase,
    kind: z.literal('setup_invite'),
    invitedBy: z.string().check(z.regex(/^\+\d{6,15}$/)),
  }),
]);

/** Whether a step's kind belongs to the setup function rather than the sender. */
export const isSetupStepKind = (kind: unknown) => typeof kind === 'string' && kind.startsWith('setup_');
