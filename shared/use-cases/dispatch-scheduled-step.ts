import { createHash } from 'node:crypto';
import { plusDays } from '#shared/domain/calendar.js';
import { charterFor } from '#shared/domain/charter.js';
import type { Clock } from '#shared/domain/clock.js';
import { messageBudget } from '#shared/domain/message-budget.js';
import {
  checksInByEmail,
  invitedBy,
  type Member,
  type NewsItem,
  type Partnership,
  partnerLabel,
} from '#shared/domain/partnership.js';
import { phrasingIndex } from '#shared/domain/phrasing.js';
import type {
  ReachabilityPort,
  ScheduledStep,
  SchedulerPort,
  SmsPort,
  StorePort,
} from '#shared/domain/ports.js';
import { outsideQuietHours } from '#shared/domain/quiet-hours.js';
import { summarizeTrial } from '#shared/domain/summary.js';
import {
  cadenceKeeper,
  isKeeperRotationDay,
  isTeam,
  isWeeklyChatDay,
  peerCircles,
  teamPlan,
} from '#shared/domain/team.js';
import {
  checkInTemplateFor,
  localDateOf,
  nextLocalDate,
  trialDay,
  trialPlan,
  wallClockInstant,
} from '#shared/domain/trial-plan.js';
import { weekFacts, weeklyChatPrompts } from '#shared/domain/weekly-chat.js';
import { escapeHtml, trustedHtml } from '#templates/email/render.js';
import { summaryBlocks } from '#templates/email/summary-blocks.js';
import {
  excerpt,
  fill,
  newsPhrases,
  PLACEHOLDER_MAX_LENGTH,
  phrasingCount,
  renderSms,
  type SmsTemplate,
  smsCopy,
} from '#templates/sms.js';
import { composeCheckInText, freshNews, newsFor } from './check-in-text.js';
import { consentChecked, inAnotherPartnership } from './consent.js';
import { CHOICE_WORDS, dayLabel, nextCheckInLabel } from './converse.js';
import { charterEmailValues, charterUrl, emailMember, type MemberEmailDeps } from './member-email.js';
import { notifyMember } from './notify.js';
import { runOnce } from './run-once.js';
import { sendText, takeUnpromptedText, textMember } from './safety-valves.js';
import {
  checkInStep,
  followingCheckInDate,
  scheduleBoardDigest,
  scheduleCheckIn,
} from './schedule-check-in.js';

export interface DispatchDeps extends MemberEmailDeps {
  /** The sender's store: it also records whether our channels reach a member (permanent send errors). */
  store: StorePort & ReachabilityPort;
  sms: SmsPort;
  scheduler: SchedulerPort;
  clock: Clock;
}

/** `held`: a text others caused, over the person's daily cap (limits.unpromptedTextsPerPersonPerDay). */
export type DispatchOutcome = 'sent' | 'duplicate' | 'skipped' | 'held';

/** Long enough for one send and one schedule; after it a redelivery may take the step over. */
const CLAIM_LEASE_SECONDS = 120;

/** The idempotency key of a step: schedule name and scheduled time, never the execution id. */
export function stepIdempotencyKey(step: ScheduledStep): string {
  return `step#${step.scheduleName}@${step.scheduledTime}`;
}

/**
 * Run a due step.
 * Primary course: claim the step's key → do the step (text the member, schedule what follows) →
 * mark it done. A failure releases the claim and is rethrown so the platform retries (and finally
 * dead-letters) the delivery.
 */
export async function dispatchScheduledStep(
  deps: DispatchDeps,
  step: ScheduledStep,
): Promise<DispatchOutcome> {
  const now = deps.clock.now();
  const key = stepIdempotencyKey(step);
  const outcome = await runOnce(
    deps.store,
    key,
    // A claim held by another delivery is retried later, not dropped: if that delivery crashed, the step
    // is picked up once its lease has run out.
    { now, leaseSeconds: CLAIM_LEASE_SECONDS, retryInProgress: true },
    // Consent is checked before every send (a person may have opted out since the step was scheduled).
    () => runStep(sendingOncePerStep(consentChecked(deps), key, now), step, now),
  );
  return outcome ?? 'duplicate';
}

const digestOf = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);

/**
 * The step's ports, each message sent at most once per step: a step that fails half-way (a text sent,
 * then a write timed out) is retried whole, and what it already sent is not sent again.
 */
function sendingOncePerStep(deps: DispatchDeps, stepKey: string, now: Date): DispatchDeps {
  // A send claimed but never completed (a crash, a failed release) is retried later, never taken as sent.
  const options = { now, leaseSeconds: CLAIM_LEASE_SECONDS, retryInProgress: true };
  return {
    ...deps,
    sms: {
      send: async (message) =>
        (await runOnce(deps.store, `${stepKey}#sms#${digestOf(message.to, message.body)}`, options, () =>
          deps.sms.send(message),
        )) ?? { sid: 'sent-before' },
    },
    email: {
      send: async (message) =>
        (await runOnce(deps.store, `${stepKey}#email#${digestOf(message.to, message.subject)}`, options, () =>
          deps.email.send(message),
        )) ?? { messageId: 'sent-before' },
    },
  };
}

async function runStep(deps: DispatchDeps, step: ScheduledStep, now: Date): Promise<DispatchOutcome> {
  const found = await deps.store.getPartnership(step.partnershipId);
  const member = found?.members.find((candidate) => candidate.id === step.memberId);
  // Nobody who opted out is texted, whatever was scheduled before.
  if (!found || !member || member.status === 'opted_out') return 'skipped';
  switch (step.kind) {
    case 'check_in':
      return checkIn(deps, found, member, step, now);
    case 'notify':
      if (!(step.template in smsCopy)) throw new Error(`Unknown SMS template ${step.template}`);
      // Texts others cause are capped per person per day, across partnerships: the rest are held.
      if (!(await takeUnpromptedText(deps.store, member, now))) return 'held';
      await textMember(deps, member, renderSms(step.template as SmsTemplate, step.values), now);
      return 'sent';
    case 'resume': {
      if (!(await deps.store.resumeMember(member.partnershipId, member.id, now, step.pausedUntil)))
        return 'skipped';
      const active: Member = { ...member, status: 'active' };
      await deps.store.recordEvent(member.partnershipId, {
        memberId: member.id,
        kind: 'resume',
        at: now.toISOString(),
      });
      await textMember(
        deps,
        member,
        renderSms('welcomeBack', { name: member.name, next: nextCheckInLabel(active, now) }),
        now,
      );
      if (found.partnership.startedAt) await scheduleCheckIn(deps.scheduler, active, step.pausedUntil);
      return 'sent';
    }
    case 'invitation': {
      // Sent once, to someone still invited (a member who already answered needs no invitation).
      if (member.status !== 'invited') return 'skipped';
      const invitation = { name: member.name, partner: invitedBy(found.members, member), goal: member.goal };
      // Someone already in another trial joins this one with JOIN: their YES answers that one's check-in.
      const template = (await inAnotherPartnership(deps.store, member)) ? 'invitationJoin' : 'invitation';
      // Nobody is texted inside their quiet hours, not even to be invited: then it waits for the morning.
      if (outsideQuietHours(now, member.timezone, member.quietHours) > now) {
        await notifyMember(deps, member, template, invitation, key(step), now);
      } else if (await takeUnpromptedText(deps.store, member, now)) {
        await textMember(deps, member, renderSms(template, invitation), now);
      }
      // Members who gave an address also get it by email; joining is still a YES by text.
      await emailMember(
        deps,
        member,
        {
          template: 'invitation',
          values: { partner: invitation.partner },
          localDate: localDateOf(now, member.timezone),
        },
        now,
      );
      return 'sent';
    }
    case 'invitation_lapse': {
      if (member.status !== 'invited') return 'skipped';
      await deps.store.recordEvent(member.partnershipId, {
        memberId: member.id,
        kind: 'invitation_lapsed',
        at: now.toISOString(),
      });
      // Those who joined hear it kindly; the invitee is not texted again (a later YES still joins).
      for (const each of found.members) {
        if (each.status !== 'active') continue;
        await notifyMember(
          deps,
          each,
          'invitationLapsed',
          { name: each.name, partner: member.name },
          key(step),
          now,
        );
      }
      return 'sent';
    }
    case 'board_digest':
      return boardDigest(deps, found, member, step, now);
    case 'decision_email': {
      const emailed = await emailMember(
        deps,
        member,
        {
          template: 'decisionConfirmation',
          values: { choice: CHOICE_WORDS[step.choice], nextSteps: decisionNextSteps(member, step.choice) },
          localDate: localDateOf(now, member.timezone),
        },
        now,
      );
      return emailed ? 'sent' : 'skipped';
    }
    case 'email_reply': {
      const emailed = await emailMember(
        deps,
        member,
        {
          template: 'reply',
          values: { subject: step.subject, message: step.message },
          localDate: step.localDate,
          ...(step.inReplyTo ? { inReplyTo: step.inReplyTo } : {}),
        },
        now,
      );
      return emailed ? 'sent' : 'skipped';
    }
    case 'charter': {
      const values = {
        partner: partnerLabel(found.members, member),
        ...charterEmailValues(charterFor(found.partnership, found.members, member)),
      };
      const emailed = await emailMember(
        deps,
        member,
        { template: 'charter', values, localDate: localDateOf(now, member.timezone) },
        now,
      );
      return emailed ? 'sent' : 'skipped';
    }
    case 'proposal_stands': {
      // No silent standing (issue 16): after 24 hours without an answer both are asked once, kindly, and
      // the old deadline stays until someone agrees. (The step keeps its name for stored schedules.)
      const proposal = await deps.store.getProposal(step.partnershipId, step.proposalId);
      if (proposal?.status !== 'pending') return 'skipped';
      const date = dayLabel(proposal.proposedDate);
      const proposer = found.members.find((each) => each.id === proposal.proposedBy);
      for (const each of found.members) {
        if (each.status === 'opted_out') continue;
        if (each.id === proposal.proposedBy) {
          const partner = partnerLabel(found.members, each);
          await notifyMember(
            deps,
            each,
            'deadlineStillWaiting',
            { name: each.name, partner, date },
            key(step),
            now,
          );
        } else if (proposal.approverIds.includes(each.id)) {
          const partner = proposer?.name ?? partnerLabel(found.members, each);
          await notifyMember(
            deps,
            each,
            'deadlineStillAsked',
            { name: each.name, partner, date },
            key(step),
            now,
          );
        }
      }
      return 'sent';
    }
  }
}

/** What happens next after each Day-14 choice, for the confirmation email. */
function decisionNextSteps(member: Member, choice: keyof typeof CHOICE_WORDS): string {
  if (choice === 'continue')
    return `Another 14 days together. Your check-ins carry on as they are, at ${member.checkInTime}.`;
  if (choice === 'tweak')
    return 'Reply TIME 7:45, WEEKDAYS, DAILY, or GOAL and your new goal, and we will change it at once.';
  return 'No more check-ins until you reply RESUME. We keep everything, including your grace days.';
}

const key = (step: ScheduledStep) => `${step.scheduleName}@${step.scheduledTime}`;

async function checkIn(
  deps: DispatchDeps,
  found: { partnership: Partnership; members: Member[] },
  member: Member,
  step: Extract<ScheduledStep, { kind: 'check_in' }>,
  now: Date,
): Promise<DispatchOutcome> {
  const { localDate, scheduledTime } = step;
  // Paused: nothing is sent and the chain stops; the resume step starts it again.
  if (member.status !== 'active') return 'skipped';
  // A TIME change scheduled a replacement: the step for the old time is stale and sends nothing.
  if (checkInStep(member, localDate).scheduledTime !== scheduledTime) return 'skipped';
  const sentBy = key(step);
  const recorded = await deps.store.recordCheckInSent({
    partnershipId: member.partnershipId,
    memberId: member.id,
    localDate,
    status: 'sent',
    sentAt: now.toISOString(),
    sentBy,
  });
  if (!recorded) {
    // One check-in a day: another schedule already sent today's (a TIME change raced the old time's
    // step, which read the member before the change). A retry of this same step carries on.
    const existing = await deps.store.checkInOn(member.partnershipId, member.id, localDate);
    if (existing?.sentBy !== undefined && existing.sentBy !== sentBy) return 'skipped';
  }
  // The next check-in is scheduled before anything is sent: a send that fails for good (and the step with
  // it) can no longer end the member's chain.
  await scheduleCheckIn(deps.scheduler, member, followingCheckInDate(member, localDate));
  // The day's news rides with the check-in: one text a day, not one per reply. News removed only once
  // it went out (a failed send keeps it for the retry); news too old to matter is dropped.
  const waiting = await deps.store.pendingNews(member.partnershipId, member.id);
  // "Texts can't reach X" is told only while it is still true: it is dropped once they can be texted
  // again, and for someone who opted out (their partners heard that instead; Twilio's 21610 can come first).
  const stillUnreachable = (item: NewsItem) =>
    item.kind !== 'unreachable' ||
    found.members.some(
      (each) =>
        each.id === item.fromMemberId && each.smsStatus === 'undeliverable' && each.status !== 'opted_out',
    );
  const news = newsFor(
    member.id,
    freshNews(waiting, now, messageBudget.newsStaleAfterHours).filter(stillUnreachable),
  );
  // The trial's special days ask their own question instead of the plain check-in; a team's plain
  // check-in is a stand-up that asks what support each member needs today.
  const { startedAt } = found.partnership;
  const day = startedAt ? trialDay(localDateOf(new Date(startedAt), member.timezone), localDate) : 0;
  const team = isTeam(found.members);
  const template = checkInTemplateFor(day);
  // A review asks CONTINUE, TWEAK or PAUSE; the answer is awaited as a decision.
  if (template === 'day14')
    await deps.store.updateMember(member.partnershipId, member.id, { pendingDecision: true });
  const partner = partnerLabel(found.members, member);
  // Day 1 brings the charter and Day 14 the summary by email to everyone who gave an address;
  // members who chose email get every check-in there instead of a text.
  const byEmail = checksInByEmail(member);
  let charterByText = false;
  const emailsToday = byEmail || template === 'day1' || template === 'day14';
  if (emailsToday) {
    const values =
      template === 'day1'
        ? { partner, ...charterEmailValues(charterFor(found.partnership, found.members, member)) }
        : template === 'day14'
          ? { partner, ...(await summaryFrame(deps, found, member)) }
          : { partner };
    const emailed = await emailMember(deps, member, { template, values, localDate }, now);
    if (emailed && byEmail) return afterPrompt(deps, member, now);
    // Without email, the charter is a link in a text: Day 1's one extra text (a plan day's allowance).
    charterByText = !emailed && template === 'day1';
  }
  const ritual = await weeklyRituals(deps, found, member, day, now);
  // Not chosen yet: one gentle reminder, inside the check-in, a couple of days after the review.
  const review = day - messageBudget.reviewReminderAfterDays;
  if (member.pendingDecision && review >= trialPlan.lengthDays && checkInTemplateFor(review) === 'day14')
    ritual.lines.unshift(fill(newsPhrases.reviewReminder, {}));
  const question = ritual.question ?? (team && template === 'checkIn' ? ('standUp' as const) : template);
  const composed = composeCheckInText(
    question,
    { name: member.name, goal: member.goal, ...ritual.values },
    ritual.lines,
    news,
    phrasingIndex(member.id, localDate, phrasingCount(question)),
  );
  const texted = await sendText(deps, member, composed.text, now);
  // Our texts cannot reach them (Twilio refused the number for good): today's check-in goes by email
  // instead, if they gave an address and it was not asked already.
  if (texted === 'undeliverable' && !emailsToday)
    await emailMember(deps, member, { template, values: { partner }, localDate }, now);
  const waitingStill = new Set(news.filter((item) => !composed.carried.includes(item)));
  await deps.store.removeNews(
    member.partnershipId,
    member.id,
    waiting.filter((item) => !waitingStill.has(item)),
  );
  if (charterByText && texted !== 'undeliverable')
    await textMember(
      deps,
      member,
      renderSms('charterLink', { name: member.name, link: charterUrl(deps.emailSettings, member) }),
      now,
    );
  return afterPrompt(deps, member, now);
}

const names = (members: readonly Member[]) =>
  members.length <= 1
    ? (members[0]?.name ?? '')
    : `${members
        .slice(0, -1)
        .map((each) => each.name)
        .join(', ')} and ${members.at(-1)?.name}`;

/**
 * What a check-in day brings besides the check-in, all inside the check-in's one text: a team hears
 * who this week's cadence keeper is on the day the role moves (and, from the second week, how often
 * the team as a whole checked in); on weekly-chat days the check-in itself nudges a pair (or a small
 * team) to a longer chat with prompts from the week, or names a large team's peer circle.
 */
async function weeklyRituals(
  deps: DispatchDeps,
  found: { partnership: Partnership; members: Member[] },
  member: Member,
  day: number,
  now: Date,
): Promise<{ lines: string[]; question?: SmsTemplate; values?: Record<string, string> }> {
  const present = found.members.filter((each) => each.status !== 'opted_out');
  const lines: string[] = [];
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  if (isTeam(found.members) && isKeeperRotationDay(day)) {
    const keeper = cadenceKeeper(found.members, day);
    if (keeper)
      lines.push(
        keeper.id === member.id
          ? fill(newsPhrases.keeperYou, {})
          : fill(newsPhrases.keeperIs, { name: keeper.name }),
      );
    if (day > 1) {
      // The team as a whole, never who: how many check-ins were answered in the week.
      const history = await deps.store.history(member.partnershipId);
      const ids = present.map((each) => each.id);
      const count = history.checkIns.filter(
        (each) =>
          ids.includes(each.memberId) &&
          each.status !== 'sent' &&
          each.sentAt >= weekAgo.toISOString() &&
          each.sentAt < now.toISOString(),
      ).length;
      if (count > 0) lines.push(fill(newsPhrases.teamWeek, { text: count }));
    }
  }
  if (!isWeeklyChatDay(day) || checkInTemplateFor(day) !== 'checkIn') return { lines };
  if (present.length >= teamPlan.circlesFrom) {
    const circle = peerCircles(present).find((each) => each.some((other) => other.id === member.id)) ?? [];
    const others = circle.filter((each) => each.id !== member.id);
    return {
      lines,
      question: 'circleCheckIn',
      values: { circle: excerpt(names(others), PLACEHOLDER_MAX_LENGTH.circle) },
    };
  }
  const history = await deps.store.history(member.partnershipId);
  const facts = weekFacts(
    history,
    present.map((each) => each.id),
    weekAgo,
    now,
  );
  return {
    lines,
    question: 'weeklyChatCheckIn',
    values: {
      with: isTeam(found.members) ? 'your team' : partnerLabel(found.members, member),
      prompts: weeklyChatPrompts(facts),
    },
  };
}

/**
 * A team's support board: every need raised and help offered since the last digest, each listed once,
 * as one short text and (for those with an address) one email, at the team's board time.
 */
async function boardDigest(
  deps: DispatchDeps,
  found: { partnership: Partnership; members: Member[] },
  member: Member,
  step: Extract<ScheduledStep, { kind: 'board_digest' }>,
  now: Date,
): Promise<DispatchOutcome> {
  const boardTime = found.partnership.boardTime;
  if (!boardTime) return 'skipped';
  // The chain goes on while the member is with the team; a pause only skips the digest.
  await scheduleBoardDigest(deps.scheduler, member, boardTime, nextLocalDate(step.localDate));
  if (member.status !== 'active') return 'skipped';
  const from = wallClockInstant(previousLocalDate(step.localDate), boardTime, member.timezone).toISOString();
  const to = step.scheduledTime;
  const inWindow = (at: string) => at >= from && at < to;
  const history = await deps.store.history(member.partnershipId);
  const nameOf = (id: string) => found.members.find((each) => each.id === id)?.name ?? 'Someone';
  // Nobody is sent their own need or offer: the board shows each member what the others asked and gave.
  const items = [
    ...history.needs
      .filter((need) => inWindow(need.raisedAt) && need.memberId !== member.id)
      .map((need) => ({ at: need.raisedAt, line: `${nameOf(need.memberId)} needs ${need.text}` })),
    ...history.events
      .filter(
        (event) =>
          event.kind === 'offer' &&
          event.memberId !== member.id &&
          inWindow(event.at) &&
          typeof event.data?.text === 'string',
      )
      .map((event) => ({
        at: event.at,
        line: `${nameOf(event.memberId)} can help: ${String(event.data?.text)}`,
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return 'skipped';
  const lines = items.map((item) => item.line);
  // A member's own quiet hours (changed since the team chose its board time) hold the text, not the email.
  if (outsideQuietHours(now, member.timezone, member.quietHours).getTime() === now.getTime())
    await textMember(
      deps,
      member,
      renderSms('board', { board: excerpt(lines.join('; '), PLACEHOLDER_MAX_LENGTH.board) }),
      now,
    );
  await emailMember(
    deps,
    member,
    {
      template: 'supportDigest',
      values: {
        date: dayLabel(step.localDate),
        boardHtml: trustedHtml(
          `<ul style="margin: 0; padding-left: 20px;">${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
        ),
        boardText: lines.map((line) => `- ${line}`).join('\n'),
      },
      localDate: step.localDate,
    },
    now,
  );
  return 'sent';
}

const previousLocalDate = (localDate: string) => plusDays(localDate, -1) ?? localDate;

/** The next check-in is already scheduled (before the sends): what remains is to note the prompt. */
async function afterPrompt(deps: DispatchDeps, member: Member, now: Date) {
  await deps.store.notePrompted(member, now);
  return 'sent' as const;
}

/** The Day-14 email's review: the numbers of the member's two weeks, from one pure function over the history. */
async function summaryFrame(
  deps: DispatchDeps,
  found: { partnership: Partnership; members: Member[] },
  member: Member,
) {
  const history = await deps.store.history(member.partnershipId);
  const summary = summarizeTrial(
    { partnership: found.partnership, members: found.members, ...history },
    member.id,
  );
  return summaryBlocks(summary, partnerLabel(found.members, member));
}
