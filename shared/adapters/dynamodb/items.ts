import type { CheckIn, DeadlineProposal, Need } from '#shared/domain/partnership.js';
import type { OptOutPath, Person } from '#shared/domain/person.js';
import type { DeliveryReport } from '#shared/domain/ports.js';
import * as z from '#shared/domain/zod.js';

/**
 * Items are parsed on read, by the schema of their `entity` at their version `v` (docs/data-model.md):
 * an item written by another version of the code, or by hand, fails here with a clear error rather than
 * travelling on as a half-right object. One aggregate at a time; the others are still read as they were.
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

const checkInV1 = z.object({
  partnershipId: z.string(),
  memberId: z.string(),
  localDate: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  status: z.enum(['sent', 'on_track', 'answered', 'grace']),
  sentAt: z.string(),
  answeredAt: z.optional(z.string()),
  mood: z.optional(z.number()),
  sentBy: z.optional(z.string()),
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

const personV1 = z.object({
  channel: z.enum(['sms', 'email']),
  address: z.string(),
  suppressed: z.boolean(),
  suppressedAt: z.optional(z.string()),
  suppressedBy: z.optional(z.enum(OPT_OUT_PATHS)),
  restoredAt: z.optional(z.string()),
}) satisfies z.ZodMiniType<Person>;

/** Consent that follows a phone number or an email address across partnerships (entity `person`). */
export const parsePerson = (item: Record<string, unknown>): Person =>
  parseItem<Person>('person', { 1: personV1 }, item);

// Shared, immutable: one instance serves every field of its kind. Marked pure, like every schema below,
// so a bundle whose code never parses these items drops them (dispatch, inbound-email and self-serve are
// within a few KB of their 600 KB budget).
const text = /* @__PURE__ */ z.string();
const maybeText = /* @__PURE__ */ z.optional(text);

const needV1 = /* @__PURE__ */ z.object({
  id: text,
  partnershipId: text,
  memberId: text,
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
  id: text,
  partnershipId: text,
  memberId: text,
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
