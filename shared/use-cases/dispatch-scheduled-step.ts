import { createHash } from 'node:crypto';
import { escapeHtml, trustedHtml } from '../../templates/email/render.js';
import { summaryBlocks } from '../../templates/email/summary-blocks.js';
import {
  excerpt,
  fill,
  newsPhrases,
  PLACEHOLDER_MAX_LENGTH,
  renderSms,
  type SmsTemplate,
  smsCopy,
} from '../../templates/sms.js';
import { plusDays } from '../domain/calendar.js';
import { charterFor } from '../domain/charter.js';
import type { Clock } from '../domain/clock.js';
import {
  checksInByEmail,
  invitedBy,
  type Member,
  type NewsItem,
  type Partnership,
  partnerLabel,
} from '../domain/partnership.js';
import type { ScheduledStep, SchedulerPort, SmsPort, StorePort } from '../domain/ports.js';
import { outsideQuietHours } from '../domain/quiet-hours.js';
import { summarizeTrial } from '../domain/summary.js';
import {
  cadenceKeeper,
  isKeeperRotationDay,
  isTeam,
  isWeeklyChatDay,
  peerCircles,
  teamPlan,
} from '../domain/team.js';
import {
  checkInTemplateFor,
  localDateOf,
  nextLocalDate,
  trialDay,
  wallClockInstant,
} from '../domain/trial-plan.js';
import { weekFacts, weeklyChatPrompts } from '../domain/weekly-chat.js';
import { CHOICE_WORDS, dayLabel, nextCheckInLabel } from './converse.js';
import { charterEmailValues, charterUrl, emailMember, type MemberEmailDeps } from './member-email.js';
import { notifyMember } from './notify.js';
import { runOnce } from './run-once.js';
import { textMember } from './safety-valves.js';
import {
  checkInStep,
  followingCheckInDate,
  scheduleBoardDigest,
  scheduleCheckIn,
} from './schedule-check-in.js';

export interface DispatchDeps extends MemberEmailDeps {
  store: StorePort;
  sms: SmsPort;
  scheduler: SchedulerPort;
  clock: Clock;
}

export type DispatchOutcome = 'sent' | 'duplicate' | 'skipped';

/** Long enough for one send and one schedule; after it a redelivery may take the step over. */
const CLAIM_LEASE_SECONDS = 120;

/** The idempotency key of a step: schedule name and scheduled time, never the execution id. */
export function stepIdempotencyKey(step: ScheduledStep): string {
  return `step#${step.scheduleName}@${step.scheduledTime}`;
}

/** One line of partner news from the day's items: the first three names, then a count. */
export function composeNews(items: NewsItem[]): string | undefined {
  // The latest of each member's on-track/grace news, and each other kind once per member.
  const latest = new Map<string, NewsItem>();
  for (const item of items) {
    const about = item.kind === 'on_track' || item.kind === 'grace' ? 'day' : item.kind;
    latest.set(`${item.fromMemberId}#${about}`, item);
  }
  const phrases = [...latest.values()].map((item) => fill(newsPhrases[item.kind], { name: item.fromName }));
  if (phrases.length === 0) return undefined;
  const shown = phrases.slice(0, 3).join('; ');
  return phrases.length > 3 ? `${shown}; and ${phrases.length - 3} more` : shown;
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
    () => runStep(sendingOncePerStep(deps, key, now), step, now),
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
      const invitation = { name: member.name, partner: invitedBy(found.members, member) };
      // Nobody is texted inside their quiet hours, not even to be invited: then it waits for the morning.
      if (outsideQuietHours(now, member.timezone, member.quietHours) > now) {
        await notifyMember(deps, member, 'invitation', invitation, key(step), now);
      } else {
        await textMember(deps, member, renderSms('invitation', invitation), now);
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
      const proposal = await deps.store.getProposal(step.partnershipId, step.proposalId);
      if (!proposal || !(await deps.store.resolveProposal(step.partnershipId, proposal.id, 'stood')))
        return 'skipped';
      await deps.store.setDeadline(step.partnershipId, proposal.memberId, proposal.proposedDate);
      await deps.store.recordEvent(step.partnershipId, {
        memberId: proposal.memberId,
        kind: 'deadline_stood',
        at: now.toISOString(),
        data: { date: proposal.proposedDate },
      });
      const date = dayLabel(proposal.proposedDate);
      for (const each of found.members) {
        if (each.id !== proposal.proposedBy && !proposal.approverIds.includes(each.id)) continue;
        if (each.status === 'opted_out') continue;
        await notifyMember(deps, each, 'deadlineStands', { name: each.name, date }, key(step), now);
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
  // Yesterday's partner news rides with today's check-in: one text a day, not one per reply.
  // Removed only once it went out: a failed send keeps it for the retry.
  const waiting = await deps.store.pendingNews(member.partnershipId, member.id);
  const news = composeNews(waiting);
  if (news) await textMember(deps, member, renderSms('news', { news }), now);
  await deps.store.removeNews(member.partnershipId, member.id, waiting);
  // The trial's special days ask their own question instead of the plain check-in; a team's plain
  // check-in is a stand-up that asks what support each member needs today.
  const { startedAt } = found.partnership;
  const day = startedAt ? trialDay(localDateOf(new Date(startedAt), member.timezone), localDate) : 0;
  const team = isTeam(found.members);
  const template = checkInTemplateFor(day);
  await weeklyRituals(deps, found, member, day, now);
  // A review asks CONTINUE, TWEAK or PAUSE; the answer is awaited as a decision.
  if (template === 'day14')
    await deps.store.updateMember(member.partnershipId, member.id, { pendingDecision: true });
  const partner = partnerLabel(found.members, member);
  // Day 1 brings the charter and Day 14 the summary by email to everyone who gave an address;
  // members who chose email get every check-in there instead of a text.
  const byEmail = checksInByEmail(member);
  let charterByText = false;
  if (byEmail || template === 'day1' || template === 'day14') {
    const values =
      template === 'day1'
        ? { partner, ...charterEmailValues(charterFor(found.partnership, found.members, member)) }
        : template === 'day14'
          ? { partner, ...(await summaryFrame(deps, found, member)) }
          : { partner };
    const emailed = await emailMember(deps, member, { template, values, localDate }, now);
    if (emailed && byEmail) return afterPrompt(deps, member, now);
    // Without email, the charter is a link in a text, right after the Day 1 question.
    charterByText = !emailed && template === 'day1';
  }
  await textMember(
    deps,
    member,
    renderSms(team && template === 'checkIn' ? 'standUp' : template, {
      name: member.name,
      goal: member.goal,
    }),
    now,
  );
  if (charterByText)
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
 * What a check-in day brings besides the check-in: a team hears who this week's cadence keeper is on
 * the day the role moves; on weekly-chat days a pair (or a small team) is nudged to a longer chat with
 * prompts from the week, and a large team's peer circle is named.
 */
async function weeklyRituals(
  deps: DispatchDeps,
  found: { partnership: Partnership; members: Member[] },
  member: Member,
  day: number,
  now: Date,
) {
  const present = found.members.filter((each) => each.status !== 'opted_out');
  if (isTeam(found.members) && isKeeperRotationDay(day)) {
    const keeper = cadenceKeeper(found.members, day);
    if (keeper) {
      const body =
        keeper.id === member.id
          ? renderSms('keeperYou', { name: member.name })
          : renderSms('keeperIs', { keeper: keeper.name });
      await textMember(deps, member, body, now);
    }
  }
  if (!isWeeklyChatDay(day)) return;
  if (present.length >= teamPlan.circlesFrom) {
    const circle = peerCircles(present).find((each) => each.some((other) => other.id === member.id)) ?? [];
    const others = circle.filter((each) => each.id !== member.id);
    await textMember(
      deps,
      member,
      renderSms('circle', {
        name: member.name,
        circle: excerpt(names(others), PLACEHOLDER_MAX_LENGTH.circle),
      }),
      now,
    );
    return;
  }
  const history = await deps.store.history(member.partnershipId);
  const facts = weekFacts(
    history,
    present.map((each) => each.id),
    new Date(now.getTime() - 7 * 86_400_000),
    now,
  );
  await textMember(
    deps,
    member,
    renderSms('weeklyChat', {
      with: isTeam(found.members) ? 'your team' : partnerLabel(found.members, member),
      prompts: weeklyChatPrompts(facts),
    }),
    now,
  );
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
  const items = [
    ...history.needs
      .filter((need) => inWindow(need.raisedAt))
      .map((need) => ({ at: need.raisedAt, line: `${nameOf(need.memberId)} needs ${need.text}` })),
    ...history.events
      .filter((event) => event.kind === 'offer' && inWindow(event.at) && typeof event.data?.text === 'string')
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
