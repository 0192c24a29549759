import type {
  CheckIn,
  DeadlineProposal,
  Member,
  Need,
  NewsItem,
  Partnership,
  PendingConfirmation,
} from '#shared/domain/partnership.js';
import type { OptOutPath, Person } from '#shared/domain/person.js';
import type { DeliveryReport, HistoryEvent, Membership } from '#shared/domain/ports.js';
import * as z from '#shared/domain/zod.js';

/**
 * Items are parsed on read, by the schema of their `entity` at their version `v` (docs/data-model.md):
 * an item written by another version of the code, or by hand, fails here with a clear error rather than
 * travelling on as a half-right object.
 */
export class UnparsableItemError extends Error {
  constructor(
    readonly entity: string,
    readonly version: unknown,
    problem: string,
  ) {
    // Never the item's values (a phone number or an address may be among them): its kind and what is wrong.
    super(
      `A stored ${entity} item (v ${String(version)}) does not parse: ${problem}. ` +
        `Add a schema for that version (or migrate the item) in shared/adapters/dynamodb/items.ts.`,
    );
    this.name = 'UnparsableItemError';
  }
}

type Schemas<T> = Readonly<Record<number, z.ZodMiniType<T>>>;

/** Parses one item of `entity` by the schema of its version; pk, sk, entity, v and TTL are left out. */
function parseItem<T>(entity: string, schemas: Schemas<T>, item: Record<string, unknown>): T {
  if (item.entity !== entity) {
    throw new UnparsableItemError(entity, item.v, `it is tagged entity ${JSON.stringify(item.entity)}`);
  }
  const schema = typeof item.v === 'number' ? schemas[item.v] : undefined;
  if (!schema) {
    const known = Object.keys(schemas).join(', ');
    throw new UnparsableItemError(entity, item.v, `no schema for this version (known: ${known})`);
  }
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`,
    );
    throw new UnparsableItemError(entity, item.v, problems.join('; '));
  }
  return parsed.data;
}

// Shared, immutable: one instance serves every field of its kind (every Lambda bundle carries these
// schemas, and dispatch, inbound-email and self-serve are within a few KB of their 600 KB budget).
const text = /* @__PURE__ */ z.string();
const maybeText = /* @__PURE__ */ z.optional(text);
const number = /* @__PURE__ */ z.number();
const maybeNumber = /* @__PURE__ */ z.optional(number);

const checkInV1 = /* @__PURE__ */ z.object({
  partnershipId: text,
  memberId: text,
  localDate: /* @__PURE__ */ z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  status: /* @__PURE__ */ z.enum(['sent', 'on_track', 'answered', 'grace']),
  sentAt: text,
  answeredAt: maybeText,
  mood: maybeNumber,
  sentBy: maybeText,
}) satisfies z.ZodMiniType<CheckIn>;

/** A member's check-in of one local date (entity `checkIn`). */
export const parseCheckIn = (item: Record<string, unknown>): CheckIn =>
  parseItem<CheckIn>('checkIn', { 1: checkInV1 }, item);

/** The list as given, which compiles only while it holds every opt-out path the domain knows. */
const everyOptOutPath = <const T extends readonly OptOutPath[]>(
  paths: T & ([Exclude<OptOutPath, T[number]>] extends [never] ? unknown : never),
): T => paths;

const OPT_OUT_PATHS = everyOptOutPath([
  'sms_keyword',
  'sms_words',
  'twilio_opt_out',
  'email_stop',
  'email_unsubscribe',
  'email_complaint',
]);

const personV1 = /* @__PURE__ */ z.object({
  channel: /* @__PURE__ */ z.enum(['sms', 'email']),
  address: text,
  suppressed: /* @__PURE__ */ z.boolean(),
  suppressedAt: maybeText,
  suppressedBy: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.enum(OPT_OUT_PATHS)),
  restoredAt: maybeText,
}) satisfies z.ZodMiniType<Person>;

/** Consent that follows a phone number or an email address across partnerships (entity `person`). */
export const parsePerson = (item: Record<string, unknown>): Person =>
  parseItem<Person>('person', { 1: personV1 }, item);

/** What a need and a proposal both carry: their id, and whose they are. */
const owned = { id: text, partnershipId: text, memberId: text };

const needV1 = /* @__PURE__ */ z.object({
  ...owned,
  text,
  raisedAt: text,
  status: /* @__PURE__ */ z.enum(['open', 'on_it']),
  acknowledgedBy: maybeText,
  acknowledgedAt: maybeText,
}) satisfies z.ZodMiniType<Need>;

/** A need a team member raised, and who took it on (entity `need`). */
export const parseNeed = (item: Record<string, unknown>): Need =>
  parseItem<Need>('need', { 1: needV1 }, item);

const proposalV1 = /* @__PURE__ */ z.object({
  ...owned,
  proposedBy: text,
  approverIds: /* @__PURE__ */ z.array(text),
  proposedDate: text,
  proposedAt: text,
  standsAt: text,
  status: /* @__PURE__ */ z.enum(['pending', 'accepted', 'stood', 'superseded']),
}) satisfies z.ZodMiniType<DeadlineProposal>;

/** A proposed new deadline waiting for a partner's OK (entity `proposal`). */
export const parseProposal = (item: Record<string, unknown>): DeadlineProposal =>
  parseItem<DeadlineProposal>('proposal', { 1: proposalV1 }, item);

const deliveryV1 = /* @__PURE__ */ z.object({
  messageSid: text,
  status: text,
  errorCode: maybeText,
  at: text,
}) satisfies z.ZodMiniType<DeliveryReport>;

/** One delivery status Twilio reported for a text we sent (entity `delivery`). */
export const parseDelivery = (item: Record<string, unknown>): DeliveryReport =>
  parseItem<DeliveryReport>('delivery', { 1: deliveryV1 }, item);

const partnershipV1 = /* @__PURE__ */ z.object({
  id: text,
  createdAt: text,
  graceTokensPerMonth: number,
  channels: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.array(text)),
  organiser: maybeText,
  startedAt: maybeText,
  boardTime: maybeText,
  bufferDays: maybeNumber,
}) satisfies z.ZodMiniType<Partnership>;

/** A partnership's own item, `META` (entity `partnership`). */
export const parsePartnership = (item: Record<string, unknown>): Partnership =>
  parseItem<Partnership>('partnership', { 1: partnershipV1 }, item);

const memberStatus = /* @__PURE__ */ z.enum(['invited', 'active', 'opted_out', 'paused']);

/** What a confirmation would pass on once the member says SEND (shared/domain/partnership.ts). */
const confirmable = /* @__PURE__ */ z.union([
  // A need, an offer and a win carry the member's words.
  /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.enum(['need', 'offer', 'win']), text }),
  /* @__PURE__ */ z.object({ kind: z.literal('pause'), days: maybeNumber }),
  /* @__PURE__ */ z.object({
    kind: z.literal('deadline_move'),
    move: z.union([
      z.object({
        kind: z.literal('weekday'),
        weekday: z.literal([1, 2, 3, 4, 5, 6, 7]),
        nextWeek: z.boolean(),
      }),
      z.object({ kind: z.literal('days'), days: number }),
      z.object({ kind: z.literal('date'), month: number, day: number }),
    ]),
  }),
]);

const memberV1 = /* @__PURE__ */ z.object({
  id: text,
  partnershipId: text,
  name: text,
  phone: text,
  email: maybeText,
  timezone: text,
  checkInTime: text,
  goal: text,
  deadline: maybeText,
  cadence: /* @__PURE__ */ z.enum(['daily', 'weekdays']),
  quietHours: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.object({ start: text, end: text })),
  checkInBy: /* @__PURE__ */ z.enum(['sms', 'email']),
  status: memberStatus,
  joinedAt: maybeText,
  pausedUntil: maybeText,
  pendingDecision: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.boolean()),
  pendingConfirmation: /* @__PURE__ */ z.optional(
    /* @__PURE__ */ z.object({
      intent: confirmable,
      askedAt: text,
      expiresAt: text,
    }) satisfies z.ZodMiniType<PendingConfirmation>,
  ),
  emailStatus: /* @__PURE__ */ z.optional(
    /* @__PURE__ */ z.enum(['unsubscribed', 'bounced', 'complained', 'undeliverable']),
  ),
  emailStatusReason: maybeText,
  emailStatusSince: maybeText,
  smsStatus: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.literal('undeliverable')),
  smsStatusReason: maybeText,
  smsStatusSince: maybeText,
  statusBeforeOptOut: /* @__PURE__ */ z.optional(memberStatus),
  // Not the domain's, but shown as stored (the partnership's view has always carried it).
  statusChangedAt: maybeText,
}) satisfies z.ZodMiniType<Member>;

/** A member of a partnership as enrolled, with their status and settings (entity `member`). */
export const parseMember = (item: Record<string, unknown>): Member =>
  parseItem<Member>('member', { 1: memberV1 }, item);

const membershipV1 = /* @__PURE__ */ z.object({ partnershipId: text, memberId: text });
const phoneMembership = /* @__PURE__ */ z.object({ partnershipId: text, memberId: text, lastPromptAt: text });

/** A number's membership (entity `phone`; v 2 adds the snapshot, which phone-snapshot.ts reads). */
export const parsePhoneMembership = (item: Record<string, unknown>): Membership & { lastPromptAt: string } =>
  parseItem('phone', { 1: phoneMembership, 2: phoneMembership }, item);

/** An address's membership (entity `emailLookup`). */
export const parseEmailLookup = (item: Record<string, unknown>): Membership =>
  parseItem<Membership>('emailLookup', { 1: membershipV1 }, item);

/** The grace tokens a member spent in one month (entity `grace`). */
export const parseGrace = (item: Record<string, unknown>): { spent: number } =>
  parseItem('grace', { 1: /* @__PURE__ */ z.object({ spent: number }) }, item);

const eventV1 = /* @__PURE__ */ z.object({
  memberId: text,
  kind: text,
  at: text,
  data: /* @__PURE__ */ z.optional(/* @__PURE__ */ z.looseObject({})),
}) satisfies z.ZodMiniType<HistoryEvent>;

/** One entry of a partnership's history (entity `event`). */
export const parseEvent = (item: Record<string, unknown>): HistoryEvent =>
  parseItem<HistoryEvent>('event', { 1: eventV1 }, item);

const newsV1 = /* @__PURE__ */ z.object({
  fromMemberId: text,
  fromName: text,
  kind: /* @__PURE__ */ z.enum([
    'on_track',
    'grace',
    'win',
    'offer',
    'on_it',
    'decision',
    'started',
    'unreachable',
  ]),
  at: text,
  text: maybeText,
}) satisfies z.ZodMiniType<NewsItem>;

/** Partner news waiting for a member's next check-in (entity `news`). */
export const parseNews = (item: Record<string, unknown>): NewsItem =>
  parseItem<NewsItem>('news', { 1: newsV1 }, item);

/** When the last partner text to a member was set for (entity `newsSlot`). */
export const parseNewsSlot = (item: Record<string, unknown>): { lastSlot: string } =>
  parseItem('newsSlot', { 1: /* @__PURE__ */ z.object({ lastSlot: text }) }, item);

/** An idempotency claim (entity `claim`): `in_progress` with a lease, then `done`. */
export const parseClaim = (item: Record<string, unknown>): { status: 'in_progress' | 'done' } =>
  parseItem(
    'claim',
    { 1: /* @__PURE__ */ z.object({ status: /* @__PURE__ */ z.enum(['in_progress', 'done']) }) },
    item,
  );

/** An inbound message's own claim (entity `inboundSms`): `received` while it is handled, then done. */
export const parseInbound = (
  item: Record<string, unknown>,
): { status: 'received' | 'applied' | 'rejected' } =>
  parseItem(
    'inboundSms',
    { 3: /* @__PURE__ */ z.object({ status: /* @__PURE__ */ z.enum(['received', 'applied', 'rejected']) }) },
    item,
  );
