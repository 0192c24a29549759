import { charterFor } from '#shared/domain/charter.js';
import { followingCheckInDate } from '#shared/domain/check-in-days.js';
import { messageBudget } from '#shared/domain/message-budget.js';
import { checksInByEmail, type NewsItem, partnerLabel } from '#shared/domain/partnership.js';
import { phrasingIndex } from '#shared/domain/phrasing.js';
import type { StepOf } from '#shared/domain/scheduled-step.js';
import { stepKey } from '#shared/domain/steps.js';
import { summarizeTrial } from '#shared/domain/summary.js';
import { isTeam } from '#shared/domain/team.js';
import { checkInTemplateFor, localDateOf, trialDay, trialPlan } from '#shared/domain/trial-plan.js';
import { summaryBlocks } from '#templates/email/summary-blocks.js';
import { fill, newsPhrases, phrasingCount, renderSms } from '#templates/sms.js';
import { composeCheckInText, freshNews, newsFor } from '../../check-in-text.js';
import { charterEmailValues, charterUrl, emailMember } from '../../member-email.js';
import { sendText, textMember } from '../../safety-valves.js';
import { checkInStep, scheduleCheckIn } from '../../schedule-check-in.js';
import type { DispatchOutcome, StepContext } from '../context.js';
import { weeklyRituals } from '../weekly-rituals.js';

/**
 * The daily check-in: recorded as sent by this step, the next one scheduled, then one text (or email)
 * that carries the day's question, its rituals and the partners' news.
 */
export async function checkIn(ctx: StepContext, step: StepOf<'check_in'>): Promise<DispatchOutcome> {
  const { deps, member, now } = ctx;
  const { localDate, scheduledTime } = step;
  // Paused: nothing is sent and the chain stops; the resume step starts it again.
  if (member.status !== 'active') return 'skipped';
  // A TIME change scheduled a replacement: the step for the old time is stale and sends nothing.
  if (checkInStep(member, localDate).scheduledTime !== scheduledTime) return 'skipped';
  const sentBy = stepKey(step);
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
    ctx.members.some(
      (each) =>
        each.id === item.fromMemberId && each.smsStatus === 'undeliverable' && each.status !== 'opted_out',
    );
  const news = newsFor(
    member.id,
    freshNews(waiting, now, messageBudget.newsStaleAfterHours).filter(stillUnreachable),
  );
  // The trial's special days ask their own question instead of the plain check-in; a team's plain
  // check-in is a stand-up that asks what support each member needs today.
  const { startedAt } = ctx.partnership;
  const day = startedAt ? trialDay(localDateOf(new Date(startedAt), member.timezone), localDate) : 0;
  const template = checkInTemplateFor(day);
  // A review asks CONTINUE, TWEAK or PAUSE; the answer is awaited as a decision.
  if (template === 'day14')
    await deps.store.updateMember(member.partnershipId, member.id, { pendingDecision: true });
  const partner = partnerLabel(ctx.members, member);
  // Day 1 brings the charter and Day 14 the summary by email to everyone who gave an address;
  // members who chose email get every check-in there instead of a text.
  const byEmail = checksInByEmail(member);
  let charterByText = false;
  const emailsToday = byEmail || template === 'day1' || template === 'day14';
  if (emailsToday) {
    const values =
      template === 'day1'
        ? { partner, ...charterEmailValues(charterFor(ctx.partnership, ctx.members, member)) }
        : template === 'day14'
          ? { partner, ...(await summaryFrame(ctx)) }
          : { partner };
    const emailed = await emailMember(deps, member, { template, values, localDate }, now);
    if (emailed && byEmail) return afterPrompt(ctx);
    // Without email, the charter is a link in a text: Day 1's one extra text (a plan day's allowance).
    charterByText = !emailed && template === 'day1';
  }
  const ritual = await weeklyRituals(ctx, day);
  // Not chosen yet: one gentle reminder, inside the check-in, a couple of days after the review.
  const review = day - messageBudget.reviewReminderAfterDays;
  if (member.pendingDecision && review >= trialPlan.lengthDays && checkInTemplateFor(review) === 'day14')
    ritual.lines.unshift(fill(newsPhrases.reviewReminder, {}));
  const question =
    ritual.question ?? (isTeam(ctx.members) && template === 'checkIn' ? ('standUp' as const) : template);
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
  if (charterByText && texted !== 'undeliverable') {
    const link = charterUrl(deps.emailSettings, member);
    await textMember(deps, member, renderSms('charterLink', { name: member.name, link }), now);
  }
  return afterPrompt(ctx);
}

/** The next check-in is already scheduled (before the sends): what remains is to note the prompt. */
async function afterPrompt({ deps, member, now }: StepContext) {
  await deps.store.notePrompted(member, now);
  return 'sent' as const;
}

/** The Day-14 email's review: the numbers of the member's two weeks, from one pure function over the history. */
async function summaryFrame({ deps, partnership, members, member }: StepContext) {
  const history = await deps.store.history(member.partnershipId);
  const summary = summarizeTrial({ partnership, members, ...history }, member.id);
  return summaryBlocks(summary, partnerLabel(members, member));
}
