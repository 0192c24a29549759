import { createHash } from 'node:crypto';
import {
  dayLabel as calendarDayLabel,
  dayTimeLabelOf,
  isoWeekday,
  localMs,
  plusDays,
  plusYears,
  withMonthDay,
  zoned,
} from '#shared/domain/calendar.js';
import { readReviewAnswer } from '#shared/domain/conversation/grammar.js';
import type { DeadlineMove, Evidence, Intent, TweakChange } from '#shared/domain/conversation/types.js';
import { graceMonth, graceTokensLeft } from '#shared/domain/grace-ledger.js';
import { messageBudget } from '#shared/domain/message-budget.js';
import {
  type CheckIn,
  everyoneHasJoined,
  type Member,
  type NewsItem,
  type Partnership,
  partnerLabel,
  partnersOf,
} from '#shared/domain/partnership.js';
import type { SchedulerPort, StorePort } from '#shared/domain/ports.js';
import { DEFAULT_QUIET_HOURS, isQuietTime } from '#shared/domain/quiet-hours.js';
import { isTeam } from '#shared/domain/team.js';
import {
  checkInTemplateFor,
  localDateOf,
  trialDay,
  trialPlan,
  wallClockInstant,
} from '#shared/domain/trial-plan.js';
import { excerpt, PLACEHOLDER_MAX_LENGTH, type SmsTemplate } from '#templates/sms.js';
import { composeAnswers } from './compose-answers.js';
import { answerConfirmation, askToConfirm, needsConfirmation } from './confirmations.js';
import { notifyMember, scheduleAtInstant } from './notify.js';
import {
  cancelPendingCheckIn,
  nextCheckInDate,
  scheduleBoardDigest,
  scheduleCheckIn,
} from './schedule-check-in.js';

export interface ConverseDeps {
  store: StorePort;
  scheduler: SchedulerPort;
}

/** What one reply did: the texts to answer with, in order. */
export interface Turn {
  replies: string[];
  /**
   * Whether the answer says something the member must know (grace spent, a choice, a pause, a change,
   * an answer to a question): only then is an emailed reply answered by email (see message-budget).
   */
  mustKnow: boolean;
}

/** The longest pause a member can ask for, in days. */
export const MAX_PAUSE_DAYS = 7;
export const DEFAULT_PAUSE_DAYS = 2;
const PROPOSAL_STANDS_AFTER_HOURS = 24;

interface Context {
  deps: ConverseDeps;
  partnership: Partnership;
  members: Member[];
  member: Member;
  now: Date;
  /** The inbound MessageSid: what makes follow-up schedules deterministic. */
  cause: string;
  /** Questions asked before acting on an inferred reading, each its own text after the answers. */
  written: string[];
  /** The answers given, in order, composed into the turn's replies at its end. */
  answers: Array<{ template: SmsTemplate; values: Record<string, string | number> }>;
  /** The answers given, by template: what tells whether an emailed reply is confirmed. */
  said: SmsTemplate[];
  /** Set once this turn marked the latest check-in on track or grace. */
  marked?: boolean;
  /** Set when a tweak changed the charter, which is then sent again. */
  charterChanged?: boolean;
  /** The latest check-in as read in this turn; forgotten whenever the turn changes it. */
  latest?: Promise<CheckIn | undefined>;
}

const others = (ctx: Context) => partnersOf(ctx.members, ctx.member);
const say = (ctx: Context, template: SmsTemplate, values: Record<string, string | number> = {}) => {
  ctx.said.push(template);
  ctx.answers.push({
    template,
    values: { name: ctx.member.name, partner: partnerLabel(ctx.members, ctx.member), ...values },
  });
};
const today = (ctx: Context) => localDateOf(ctx.now, ctx.member.timezone);
/** A local date as members read it: "Thu 22 Oct". */
export const dayLabel = (date: string): string => calendarDayLabel(date);

/** The check-in a reply answers: the member's latest one (read once a turn: each read is a query). */
async function latestCheckIn(ctx: Context) {
  ctx.latest ??= ctx.deps.store.latestCheckIn(ctx.member.partnershipId, ctx.member.id);
  return ctx.latest;
}

/**
 * Keeps an event in the history; `news` (see newsOf) is written with it, in the same request, for the
 * partners who hear of it in their next news.
 */
async function record(
  ctx: Context,
  kind: string,
  data?: Record<string, unknown>,
  news: Array<{ recipientId: string; item: NewsItem }> = [],
) {
  if (kind === 'tweak') ctx.charterChanged = true;
  await ctx.deps.store.recordEvent(
    ctx.partnership.id,
    { memberId: ctx.member.id, kind, at: ctx.now.toISOString(), ...(data ? { data } : {}) },
    news,
  );
}

/** The news of what the member did, for each of `to` (never for the member themself). */
const newsOf = (ctx: Context, kind: NewsItem['kind'], to: Member[], text?: string) =>
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

/** Records the answer to the check-in of that day; the turn reads its latest check-in again after. */
async function answerLatest(ctx: Context, localDate: string, status: 'on_track' | 'grace' | 'answered') {
  ctx.latest = undefined;
  await ctx.deps.store.answerCheckIn(ctx.member.partnershipId, ctx.member.id, localDate, status, ctx.now);
}

async function onTrack(ctx: Context) {
  const checkIn = await latestCheckIn(ctx);
  if (checkIn?.status === 'sent') {
    await answerLatest(ctx, checkIn.localDate, 'on_track');
  }
  ctx.marked = true;
  // A pair hears "Ada checked in" in the next check-in; a team never hears who is on track.
  await record(ctx, 'on_track', undefined, isTeam(ctx.members) ? [] : newsOf(ctx, 'on_track', others(ctx)));
  say(ctx, 'onTrack');
}

async function grace(ctx: Context) {
  const left = await ctx.deps.store.spendGraceToken(
    ctx.member.partnershipId,
    ctx.member.id,
    graceMonth(ctx.now, ctx.member.timezone),
    ctx.partnership.graceTokensPerMonth,
  );
  if (left === undefined) return say(ctx, 'graceNoneLeft');
  const checkIn = await latestCheckIn(ctx);
  if (checkIn && checkIn.status !== 'grace') {
    await answerLatest(ctx, checkIn.localDate, 'grace');
  }
  ctx.marked = true;
  await record(ctx, 'grace', { left }, newsOf(ctx, 'grace', others(ctx)));
  say(ctx, 'graceSpent', { left });
}

async function need(ctx: Context, text: string) {
  const id = `${ctx.now.toISOString()}#${ctx.member.id}`;
  await ctx.deps.store.addNeed({
    id,
    partnershipId: ctx.partnership.id,
    memberId: ctx.member.id,
    text,
    raisedAt: ctx.now.toISOString(),
    status: 'open',
  });
  await record(ctx, 'need', { needId: id });
  // A team's needs gather on the support board and reach everyone in one digest, not one text each.
  if (isTeam(ctx.members)) return say(ctx, 'needOnBoard');
  for (const partner of others(ctx)) {
    await notifyMember(
      ctx.deps,
      partner,
      'needForward',
      { partner: ctx.member.name, need: excerpt(text) },
      ctx.cause,
      ctx.now,
    );
  }
  say(ctx, 'needReceived');
}

async function offer(ctx: Context, text: string) {
  // A team sees offers on the support board; a pair's partner hears it inside their next check-in.
  const team = isTeam(ctx.members);
  await record(
    ctx,
    'offer',
    { text },
    team ? [] : newsOf(ctx, 'offer', others(ctx), excerpt(text, PLACEHOLDER_MAX_LENGTH.text)),
  );
  say(ctx, 'offerReceived', team ? { partner: 'the team' } : {});
}

/** Which day of the trial the member's latest check-in asked about (0 before the trial starts). */
async function latestCheckInDay(ctx: Context): Promise<number> {
  const latest = await latestCheckIn(ctx);
  if (!latest || !ctx.partnership.startedAt) return 0;
  return trialDay(localDateOf(new Date(ctx.partnership.startedAt), ctx.member.timezone), latest.localDate);
}

/** Words that answer the Day 3 or Day 7 question are kept as they were written, for the Day-14 summary. */
const REFLECTION_MIN_WORDS = 4;

async function reflect(ctx: Context, text: string, understood: boolean): Promise<boolean> {
  const day = await latestCheckInDay(ctx);
  if (!trialPlan.reflectionDays.includes(day as 3 | 7)) return false;
  if (understood && text.trim().split(/\s+/).length < REFLECTION_MIN_WORDS) return false;
  await record(ctx, 'reflection', { day, text: text.trim().slice(0, 500) });
  return true;
}

async function onIt(ctx: Context) {
  const [open] = await ctx.deps.store.openNeedsOfOthers(ctx.partnership.id, ctx.member.id);
  const asker = open && ctx.members.find((each) => each.id === open.memberId);
  if (
    !open ||
    !asker ||
    !(await ctx.deps.store.acknowledgeNeed(ctx.partnership.id, open.id, ctx.member.id, ctx.now))
  ) {
    return say(ctx, 'noOpenNeed');
  }
  const team = isTeam(ctx.members);
  await record(ctx, 'on_it', { needId: open.id }, team ? newsOf(ctx, 'on_it', [asker]) : []);
  if (team) return say(ctx, 'needOnItThanks', { partner: asker.name });
  await notifyMember(
    ctx.deps,
    asker,
    'needOnIt',
    { name: asker.name, partner: ctx.member.name },
    ctx.cause,
    ctx.now,
  );
  say(ctx, 'needOnItThanks', { partner: asker.name });
}

/** The date a move asks for, counted from the member's current deadline (or today) in their zone. */
export function resolveDeadlineMove(move: DeadlineMove, todayLocal: string, deadline?: string): string {
  switch (move.kind) {
    case 'days':
      return plusDays(deadline ?? todayLocal, move.days) ?? todayLocal;
    case 'weekday': {
      const weekday = isoWeekday(todayLocal);
      let ahead = (move.weekday - weekday + 7) % 7 || 7;
      // Less than a week ahead, the same ISO week is the same Monday-to-Sunday week.
      if (move.nextWeek && ahead < 7 && weekday + ahead <= 7) ahead += 7;
      return plusDays(todayLocal, ahead) ?? todayLocal;
    }
    case 'date': {
      // A day that month lacks rolls over (29 February in 2027 is 1 March), as it always has.
      const date = withMonthDay(todayLocal, move.month, move.day);
      return (date !== undefined && date < todayLocal ? plusYears(date, 1) : date) ?? todayLocal;
    }
  }
  return todayLocal;
}

async function propose(ctx: Context, forMemberId: string, date: string, approvers: Member[]) {
  const proposal = {
    id: `${ctx.now.toISOString()}#${ctx.member.id}`,
    partnershipId: ctx.partnership.id,
    memberId: forMemberId,
    proposedBy: ctx.member.id,
    approverIds: approvers.map((each) => each.id),
    proposedDate: date,
    proposedAt: ctx.now.toISOString(),
    standsAt: new Date(ctx.now.getTime() + PROPOSAL_STANDS_AFTER_HOURS * 3_600_000).toISOString(),
    status: 'pending' as const,
  };
  await ctx.deps.store.putProposal(proposal);
  await scheduleAtInstant(ctx.deps.scheduler, {
    version: 1,
    kind: 'proposal_stands',
    partnershipId: ctx.partnership.id,
    memberId: forMemberId,
    proposalId: proposal.id,
    scheduleName: `dl-${ctx.partnership.id}-${ctx.member.id}-${Math.floor(ctx.now.getTime() / 1000)}`,
    scheduledTime: proposal.standsAt,
  });
  return proposal;
}

async function deadlineMove(ctx: Context, move: DeadlineMove) {
  const pending = await ctx.deps.store.pendingProposalFor(ctx.partnership.id, ctx.member.id);
  const owner = pending ? ctx.members.find((each) => each.id === pending.memberId) : ctx.member;
  if (!owner) return;
  const date = resolveDeadlineMove(move, today(ctx), owner.deadline);
  if (date < today(ctx)) return say(ctx, 'deadlinePast');
  if (pending) {
    // A counter-proposal: the original proposer now gets to say OK.
    const proposer = ctx.members.find((each) => each.id === pending.proposedBy);
    if (!proposer || !(await ctx.deps.store.resolveProposal(ctx.partnership.id, pending.id, 'superseded')))
      return;
    await propose(ctx, pending.memberId, date, [proposer]);
    await record(ctx, 'deadline_countered', { date });
    await notifyMember(
      ctx.deps,
      proposer,
      'deadlineCountered',
      { name: proposer.name, partner: ctx.member.name, date: dayLabel(date) },
      ctx.cause,
      ctx.now,
    );
    return say(ctx, 'deadlineProposed', { partner: proposer.name, date: dayLabel(date) });
  }
  const approvers = others(ctx);
  await propose(ctx, ctx.member.id, date, approvers);
  await record(ctx, 'deadline_proposed', { date });
  for (const partner of approvers) {
    await notifyMember(
      ctx.deps,
      partner,
      'deadlineProposal',
      { name: partner.name, partner: ctx.member.name, date: dayLabel(date) },
      ctx.cause,
      ctx.now,
    );
  }
  say(ctx, 'deadlineProposed', { date: dayLabel(date) });
}

/** OK: agree to a pending deadline proposal, or, with none pending, a plain "on track". */
async function accept(ctx: Context) {
  const pending = await ctx.deps.store.pendingProposalFor(ctx.partnership.id, ctx.member.id);
  if (!pending) return onTrack(ctx);
  if (!(await ctx.deps.store.resolveProposal(ctx.partnership.id, pending.id, 'accepted'))) return;
  await ctx.deps.store.setDeadline(ctx.partnership.id, pending.memberId, pending.proposedDate);
  await record(ctx, 'deadline_agreed', { date: pending.proposedDate, for: pending.memberId });
  const proposer = ctx.members.find((each) => each.id === pending.proposedBy);
  const date = dayLabel(pending.proposedDate);
  if (proposer)
    await notifyMember(
      ctx.deps,
      proposer,
      'deadlineAgreed',
      { name: proposer.name, date },
      ctx.cause,
      ctx.now,
    );
  say(ctx, 'deadlineAgreed', { date });
}

async function win(ctx: Context, text: string) {
  // Partners hear the win in their own words inside their next check-in: no text per teammate.
  await record(
    ctx,
    'win',
    { text },
    newsOf(ctx, 'win', others(ctx), excerpt(text, PLACEHOLDER_MAX_LENGTH.text)),
  );
  say(ctx, 'winCelebrate', isTeam(ctx.members) ? { partner: 'the team' } : {});
}

async function pause(ctx: Context, requested?: number) {
  if (ctx.member.pendingDecision && requested === undefined) return decide(ctx, 'pause');
  const days = Math.min(Math.max(requested ?? DEFAULT_PAUSE_DAYS, 1), MAX_PAUSE_DAYS);
  const until = plusDays(today(ctx), days) ?? today(ctx);
  await ctx.deps.store.pauseMember(ctx.partnership.id, ctx.member.id, until, ctx.now);
  await cancelPendingCheckIn(ctx);
  const at = wallClockInstant(until, ctx.member.checkInTime, ctx.member.timezone).toISOString();
  await ctx.deps.scheduler.schedule(
    {
      version: 1,
      kind: 'resume',
      partnershipId: ctx.partnership.id,
      memberId: ctx.member.id,
      pausedUntil: until,
      scheduleName: `rs-${ctx.partnership.id}-${ctx.member.id}-${until.replaceAll('-', '')}`,
      scheduledTime: at,
    },
    { localDateTime: `${until}T${ctx.member.checkInTime}:00`, timezone: ctx.member.timezone },
  );
  await record(ctx, 'pause', { days, until });
  say(ctx, days === 1 ? 'pausedOneDay' : 'paused', { days, date: dayLabel(until) });
}

/** How a choice reads in the partner's text ("Ada chose to take a pause"). */
/** How a Day-14 choice is named to members (texts and the confirmation email). */
export const CHOICE_WORDS = { continue: 'continue', tweak: 'tweak things', pause: 'take a pause' } as const;

/** The answer to a review: each member's own choice is followed, and the others hear it kindly. */
async function decide(ctx: Context, choice: keyof typeof CHOICE_WORDS) {
  // Chosen already: confirmed once, heard by the others once. TWEAK still says how to change things.
  if (!ctx.member.pendingDecision && choice !== 'pause')
    return say(ctx, choice === 'tweak' ? 'decidedTweak' : 'decisionStands');
  await ctx.deps.store.updateMember(ctx.partnership.id, ctx.member.id, { pendingDecision: false });
  // The others hear each choice once, inside their next check-in, and are never asked to choose by it.
  await record(ctx, 'decision', { choice }, newsOf(ctx, 'decision', others(ctx), CHOICE_WORDS[choice]));
  await emailStep(ctx, 'dc', { kind: 'decision_email', choice });
  if (choice === 'pause') {
    // Until RESUME: every record is kept; the pending check-in is deleted.
    await ctx.deps.store.pauseMember(ctx.partnership.id, ctx.member.id, undefined, ctx.now);
    await cancelPendingCheckIn(ctx);
    return say(ctx, 'decidedPause');
  }
  say(ctx, choice === 'continue' ? 'decidedContinue' : 'decidedTweak');
}

/** A TWEAK: changed at once, confirmed back, and kept in the history the charter is written from. */
async function tweak(ctx: Context, change: TweakChange) {
  const { store } = ctx.deps;
  switch (change.kind) {
    case 'time': {
      const quiet = ctx.member.quietHours ?? DEFAULT_QUIET_HOURS;
      if (isQuietTime(change.time, quiet)) return say(ctx, 'tweakQuiet', { time: change.time, ...quiet });
      await store.updateMember(ctx.partnership.id, ctx.member.id, { checkInTime: change.time });
      await cancelPendingCheckIn(ctx);
      const moved = { ...ctx.member, checkInTime: change.time };
      let scheduledFor: string | undefined;
      if (ctx.partnership.startedAt && moved.status === 'active') {
        // The old time's schedule becomes stale (its name carries the time) and sends nothing.
        // One check-in a day: if today's went out at the old time, the new time starts tomorrow.
        const latest = await latestCheckIn(ctx);
        scheduledFor = nextCheckInDate(moved, ctx.now, { notToday: latest?.localDate === today(ctx) });
        await scheduleCheckIn(ctx.deps.scheduler, moved, scheduledFor);
      }
      const next = scheduledFor ? checkInLabel(moved, scheduledFor) : nextCheckInLabel(moved, ctx.now);
      await record(ctx, 'tweak', { time: change.time });
      return say(ctx, 'tweakTime', { time: change.time, next });
    }
    case 'weekdays':
    case 'daily':
      await store.updateMember(ctx.partnership.id, ctx.member.id, { cadence: change.kind });
      await record(ctx, 'tweak', { cadence: change.kind });
      return say(ctx, change.kind === 'weekdays' ? 'tweakWeekdays' : 'tweakDaily');
    case 'quiet': {
      const hours = { start: change.start, end: change.end };
      if (isQuietTime(ctx.member.checkInTime, hours)) {
        return say(ctx, 'quietClash', { time: ctx.member.checkInTime });
      }
      await store.updateMember(ctx.partnership.id, ctx.member.id, { quietHours: hours });
      await record(ctx, 'tweak', { quietHours: hours });
      return say(ctx, 'quietSet', hours);
    }
    case 'goal':
      await store.updateMember(ctx.partnership.id, ctx.member.id, { goal: change.text });
      await record(ctx, 'tweak', { goal: change.text });
      return say(ctx, 'tweakGoal', { goal: change.text });
  }
}

/** A member's check-in on a local date, in their own time: "Tue 6 Oct 19:00". */
export function checkInLabel(member: Member, localDate: string): string {
  return dayTimeLabelOf(
    localMs(zoned(wallClockInstant(localDate, member.checkInTime, member.timezone), member.timezone)),
  );
}

/** When the member's next check-in will come, in their own words of time. */
export function nextCheckInLabel(member: Member, now: Date): string {
  return checkInLabel(
    member,
    member.status === 'paused' && member.pausedUntil ? member.pausedUntil : nextCheckInDate(member, now),
  );
}

async function resume(ctx: Context) {
  if (!(await ctx.deps.store.resumeMember(ctx.partnership.id, ctx.member.id, ctx.now)))
    return say(ctx, 'notPaused');
  const active = { ...ctx.member, status: 'active' as const };
  if (ctx.partnership.startedAt)
    await scheduleCheckIn(ctx.deps.scheduler, active, nextCheckInDate(active, ctx.now));
  await record(ctx, 'resume');
  say(ctx, 'welcomeBack', { next: nextCheckInLabel(active, ctx.now) });
}

async function mood(ctx: Context, score: number) {
  // Day 7 asks how supported (1, pressured, to 5) the member feels: a number then answers that.
  if ((await latestCheckInDay(ctx)) === 7) {
    await record(ctx, 'support_score', { score });
    return say(ctx, 'supportScore', { mood: score });
  }
  const checkIn = await latestCheckIn(ctx);
  if (checkIn) {
    ctx.latest = undefined;
    await ctx.deps.store.setCheckInMood(ctx.partnership.id, ctx.member.id, checkIn.localDate, score);
  }
  await record(ctx, 'mood', { score });
  say(ctx, 'mood', { mood: score });
}

async function status(ctx: Context) {
  const spent = await ctx.deps.store.graceSpent(
    ctx.partnership.id,
    ctx.member.id,
    graceMonth(ctx.now, ctx.member.timezone),
  );
  const started = ctx.partnership.startedAt
    ? localDateOf(new Date(ctx.partnership.startedAt), ctx.member.timezone)
    : undefined;
  const day = started ? Math.max(0, trialDay(started, today(ctx))) : 0;
  say(ctx, 'status', {
    left: graceTokensLeft(ctx.partnership.graceTokensPerMonth, spent),
    day: Math.min(day, trialPlan.lengthDays),
    next: nextCheckInLabel(ctx.member, ctx.now),
  });
}

/** The charter changed: the dispatcher emails it again, right away (a step due now). */
async function resendCharter(ctx: Context) {
  await emailStep(ctx, 'ch', { kind: 'charter' });
}

/** An email the dispatcher sends right away (a step due now): this function holds no SES client. */
async function emailStep(
  ctx: Context,
  prefix: string,
  what: { kind: 'charter' } | { kind: 'decision_email'; choice: 'continue' | 'tweak' | 'pause' },
) {
  const digest = createHash('sha256').update(ctx.cause).digest('hex').slice(0, 16);
  const at = ctx.now.toISOString();
  await scheduleAtInstant(ctx.deps.scheduler, {
    version: 1,
    ...what,
    partnershipId: ctx.partnership.id,
    memberId: ctx.member.id,
    scheduleName: `${prefix}-${ctx.partnership.id}-${ctx.member.id}-${digest}`,
    scheduledTime: at,
  });
}

/** A YES to the invitation: the member joins; the last one to join starts everyone's check-ins. */
async function join(ctx: Context) {
  await ctx.deps.store.setMemberStatus(ctx.partnership.id, ctx.member.id, 'active', ctx.now);
  const after = ctx.members.map((each) =>
    each.id === ctx.member.id ? { ...each, status: 'active' as const } : each,
  );
  if (!everyoneHasJoined(after)) return say(ctx, 'joinedWaiting');
  // Conditional: of two last members joining at once, exactly one starts the partnership.
  if (await ctx.deps.store.markPartnershipStarted(ctx.partnership.id, ctx.now)) {
    // Those who joined earlier hear that everyone is in, inside their Day-1 check-in.
    await record(ctx, 'started', undefined, newsOf(ctx, 'started', others(ctx)));
    for (const each of after) {
      const first = nextCheckInDate(each, ctx.now, { notToday: true });
      await scheduleCheckIn(ctx.deps.scheduler, each, first);
      // A team's support board is delivered daily from Day 1, at the team's board time.
      if (ctx.partnership.boardTime)
        await scheduleBoardDigest(ctx.deps.scheduler, each, ctx.partnership.boardTime, first);
    }
  }
  say(ctx, 'joined');
}

/**
 * Answer an active or invited member. Every intent in the text is applied in order (a "yes, and I
 * could use help with the intro" is both on track and a need); replies are gathered.
 */
export async function converse(
  deps: ConverseDeps,
  scene: {
    partnership: Partnership;
    members: Member[];
    member: Member;
    now: Date;
    cause: string;
    /** The member's own words, when they wrote some (a reply, not a button). */
    text?: string;
    /** How sure each reading of `intents` is (none: all explicit, as buttons are). */
    evidence?: Evidence[];
  },
  intents: Intent[],
): Promise<Turn> {
  const { text: written, evidence, ...rest } = scene;
  const ctx: Context = { deps, ...rest, answers: [], said: [], written: [] };
  let text = written;
  if (ctx.member.status === 'invited') {
    if (intents.some((intent) => ['on_track', 'accept', 'join'].includes(intent.kind))) await join(ctx);
    else if (intents.some((intent) => intent.kind === 'help'))
      say(ctx, 'help', { organiser: 'Ask whoever invited you.' });
    else say(ctx, 'invitationReminder');
    return turnOf(ctx);
  }
  // An open question is answered first: a confirmation (SEND / NO), then the review (yes, no, change …).
  const answered = text === undefined ? undefined : await answerConfirmation(deps.store, rest, text);
  if (answered?.kind === 'replied') return { replies: [answered.reply], mustKnow: true };
  if (answered?.kind === 'confirmed') {
    [intents, text] = [[answered.intent], undefined];
  } else if (
    ctx.member.pendingDecision &&
    text !== undefined &&
    // Only the review's own question takes a loose yes as CONTINUE: on later days yes means on track.
    checkInTemplateFor(await latestCheckInDay(ctx)) === 'day14'
  ) {
    const choice = readReviewAnswer(text);
    if (choice) {
      await decide(ctx, choice);
      return turnOf(ctx);
    }
  }
  const reflected = text !== undefined && (await reflect(ctx, text, intents.length > 0));
  if (intents.length === 0) say(ctx, reflected ? 'reflectionThanks' : 'clarify');
  let asked = false;
  for (const [index, intent] of intents.entries()) {
    if (answered?.kind !== 'confirmed' && evidence?.[index] === 'inferred') {
      // Inferred: what would reach someone or change the plan is asked about first (once a turn).
      if (needsConfirmation(intent) && !asked) asked = await confirmFirst(ctx, intent);
      if (needsConfirmation(intent) || intent.kind === 'accept') continue;
    }
    switch (intent.kind) {
      case 'on_track':
        await onTrack(ctx);
        break;
      case 'accept':
        await accept(ctx);
        break;
      case 'not_today':
        say(ctx, 'notToday');
        await record(ctx, 'not_today');
        break;
      case 'grace':
        await grace(ctx);
        break;
      case 'need':
        await need(ctx, intent.text);
        break;
      case 'offer':
        await offer(ctx, intent.text);
        break;
      case 'on_it':
        await onIt(ctx);
        break;
      case 'deadline_move':
        await deadlineMove(ctx, intent.move);
        break;
      case 'win':
        await win(ctx, intent.text);
        break;
      case 'pause':
        await pause(ctx, intent.days);
        break;
      case 'resume':
        await resume(ctx);
        break;
      case 'mood':
        await mood(ctx, intent.score);
        break;
      case 'status':
        await status(ctx);
        break;
      case 'help':
        say(ctx, 'help', { organiser: ctx.partnership.organiser ?? 'Ask whoever invited you.' });
        break;
      case 'start':
        say(ctx, 'notPaused');
        break;
      case 'join':
        // Already in: nothing to join (an invitation elsewhere is routed to before converse).
        say(ctx, 'clarify');
        break;
      case 'decision':
        await decide(ctx, intent.choice);
        break;
      case 'tweak':
        await tweak(ctx, intent.change);
        break;
      case 'stop':
        // Handled before a conversation starts: it covers every partnership of the number.
        break;
    }
  }
  if (reflected || intents.some((intent) => ANSWERS_CHECK_IN.has(intent.kind))) await markAnswered(ctx);
  if (ctx.charterChanged) await resendCharter(ctx);
  if (answered?.kind === 'confirmed') await answered.close();
  if (ctx.answers.length === 0 && ctx.written.length === 0) say(ctx, 'clarify');
  return turnOf(ctx);
}

const turnOf = (ctx: Context): Turn => ({
  replies: [...composeAnswers(ctx.answers, ctx.member.id, today(ctx)), ...ctx.written],
  mustKnow:
    ctx.written.length > 0 ||
    ctx.said.some((template) => (messageBudget.emailConfirms as readonly string[]).includes(template)),
});

/** The replies that answer a check-in (a question, a pause or a resume do not). */
const ANSWERS_CHECK_IN: ReadonlySet<Intent['kind']> = new Set<Intent['kind']>([
  'on_track',
  'accept',
  'not_today',
  'grace',
  'need',
  'offer',
  'on_it',
  'deadline_move',
  'win',
  'mood',
  'decision',
  'tweak',
]);

/** Any reply to a check-in marks it answered, unless it was marked on track or grace already. */
async function markAnswered(ctx: Context) {
  if (ctx.marked || ctx.member.status !== 'active') return;
  const checkIn = await latestCheckIn(ctx);
  if (checkIn?.status !== 'sent') return;
  await answerLatest(ctx, checkIn.localDate, 'answered');
}

/**
 * Asks before acting on an inferred intent; false when it is acted on at once after all (a date that
 * answers a partner's proposal answers a deadline question).
 */
async function confirmFirst(ctx: Context, intent: Parameters<typeof askToConfirm>[2]): Promise<boolean> {
  let date = today(ctx);
  if (intent.kind === 'deadline_move') {
    if (await ctx.deps.store.pendingProposalFor(ctx.partnership.id, ctx.member.id)) {
      await deadlineMove(ctx, intent.move);
      return false;
    }
    date = resolveDeadlineMove(intent.move, today(ctx), ctx.member.deadline);
    if (date < today(ctx)) return false;
  }
  if (intent.kind === 'pause' && intent.days !== undefined)
    date = plusDays(today(ctx), Math.min(intent.days, MAX_PAUSE_DAYS)) ?? date;
  ctx.written.push(await askToConfirm(ctx.deps.store, ctx, intent, dayLabel(date)));
  return true;
}
