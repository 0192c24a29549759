import type { Intent } from '#shared/domain/conversation/types.js';
import {
  type CheckIn,
  type CheckInStatus,
  type Member,
  type NewsItem,
  type Partnership,
  partnerLabel,
  partnersOf,
} from '#shared/domain/partnership.js';
import type { ConversationStorePort, SchedulerPort } from '#shared/domain/ports.js';
import { localDateOf, trialDay } from '#shared/domain/trial-plan.js';
import type { SmsTemplate } from '#templates/sms.js';

export interface ConverseDeps {
  store: ConversationStorePort;
  scheduler: SchedulerPort;
}

/** One answer of a turn: a template and its values, composed into the turn's replies at its end. */
export interface Answer {
  template: SmsTemplate;
  values: Record<string, string | number>;
}

/**
 * What one reply is about, loaded once and never changed: a handler derives what it needs from it and
 * from what earlier intents of the same turn did (`marked`, `answeredAs`), never by reading again.
 */
export interface TurnContext {
  readonly deps: ConverseDeps;
  readonly partnership: Partnership;
  readonly members: Member[];
  readonly member: Member;
  readonly now: Date;
  /** The inbound MessageSid: what makes follow-up schedules deterministic. */
  readonly cause: string;
  /** The member's latest check-in as the turn found it: read at most once (each read is a query). */
  readonly latestCheckIn: () => Promise<CheckIn | undefined>;
  /** An earlier intent of this turn took the reply as on track or grace. */
  readonly marked: boolean;
  /** The status an earlier intent of this turn gave the latest check-in, if any. */
  readonly answeredAs?: CheckInStatus;
}

/** What one handler did: its answers, in order, and what the rest of the turn must know. */
export interface Said {
  readonly answers: readonly Answer[];
  /** The reply was taken as on track or grace: the turn does not mark the check-in answered after. */
  readonly marked?: boolean;
  /** The status this handler gave the latest check-in. */
  readonly answeredAs?: CheckInStatus;
  /** A tweak changed the charter, which is then emailed again. */
  readonly charterChanged?: boolean;
}

/** A handler for one kind of intent: the table in table.ts holds one for every kind. */
export type IntentHandler<K extends Intent['kind']> = (
  ctx: TurnContext,
  intent: Extract<Intent, { kind: K }>,
) => Promise<Said>;

/** Said nothing and changed nothing. */
export const nothing: Said = { answers: [] };

/** One answer, with the member's and partner's names filled in. */
export const say = (
  ctx: TurnContext,
  template: SmsTemplate,
  values: Record<string, string | number> = {},
): Said => ({
  answers: [
    {
      template,
      values: { name: ctx.member.name, partner: partnerLabel(ctx.members, ctx.member), ...values },
    },
  ],
});

/** Several handlers' doings in order, as one. */
export const both = (first: Said, second: Said): Said => ({
  answers: [...first.answers, ...second.answers],
  marked: Boolean(first.marked || second.marked),
  ...((second.answeredAs ?? first.answeredAs) ? { answeredAs: second.answeredAs ?? first.answeredAs } : {}),
  charterChanged: Boolean(first.charterChanged || second.charterChanged),
});

export const others = (ctx: TurnContext) => partnersOf(ctx.members, ctx.member);
export const today = (ctx: TurnContext) => localDateOf(ctx.now, ctx.member.timezone);
export const memberById = (ctx: TurnContext, id: string) => ctx.members.find((each) => each.id === id);

/** The latest check-in as it stands now: as the turn found it, with this turn's own answer applied. */
export async function currentCheckIn(ctx: TurnContext): Promise<CheckIn | undefined> {
  const checkIn = await ctx.latestCheckIn();
  return checkIn && ctx.answeredAs ? { ...checkIn, status: ctx.answeredAs } : checkIn;
}

/** Records the answer to the latest check-in (a handler then returns it as `answeredAs`). */
export async function answerCheckIn(ctx: TurnContext, localDate: string, status: CheckInStatus) {
  await ctx.deps.store.answerCheckIn(ctx.member.partnershipId, ctx.member.id, localDate, status, ctx.now);
}

/** Which day of the trial the member's latest check-in asked about (0 before the trial starts). */
export async function latestCheckInDay(ctx: TurnContext): Promise<number> {
  const latest = await ctx.latestCheckIn();
  if (!latest || !ctx.partnership.startedAt) return 0;
  return trialDay(localDateOf(new Date(ctx.partnership.startedAt), ctx.member.timezone), latest.localDate);
}

/**
 * Keeps an event in the history; `news` (see newsOf) is written with it, in the same request, for the
 * partners who hear of it in their next news.
 */
export async function record(
  ctx: TurnContext,
  kind: string,
  data?: Record<string, unknown>,
  news: Array<{ recipientId: string; item: NewsItem }> = [],
) {
  await ctx.deps.store.recordEvent(
    ctx.partnership.id,
    { memberId: ctx.member.id, kind, at: ctx.now.toISOString(), ...(data ? { data } : {}) },
    news,
  );
}

/** The news of what the member did, for each of `to` (never for the member themself). */
export const newsOf = (ctx: TurnContext, kind: NewsItem['kind'], to: readonly Member[], text?: string) =>
  to
    .filter((partner) => partner.id !== ctx.member.id)
    .map((partner) => ({
      recipientId: partner.id,
      item: {
        fromMemberId: ctx.member.id,
        fromName: ctx.member.name,
        kind,
        at: ctx.now.toISOString(),
        ...(text === undefined ? {} : { text }),
      },
    }));

/** The news of what the member did, for each of their partners. */
export const newsToOthers = (ctx: TurnContext, kind: NewsItem['kind'], text?: string) =>
  newsOf(ctx, kind, others(ctx), text);

/** Reads once, on first use, and keeps the answer: a loader for a turn's immutable context. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | undefined;
  return () => {
    kept ??= read();
    return kept;
  };
}
