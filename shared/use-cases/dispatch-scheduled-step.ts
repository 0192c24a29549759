import { fill, newsPhrases, renderSms, type SmsTemplate, smsCopy } from '../../templates/sms.js';
import type { Clock } from '../domain/clock.js';
import type { Member, NewsItem } from '../domain/partnership.js';
import type { ScheduledStep, SchedulerPort, SmsPort, StorePort } from '../domain/ports.js';
import { checkInTemplateFor, localDateOf, trialDay } from '../domain/trial-plan.js';
import { dayLabel, nextCheckInLabel } from './converse.js';
import { notifyMember } from './notify.js';
import { checkInStep, followingCheckInDate, scheduleCheckIn } from './schedule-check-in.js';

export interface DispatchDeps {
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
  const latest = new Map<string, NewsItem>();
  for (const item of items) latest.set(item.fromMemberId, item);
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
  if ((await deps.store.claim(key, now, CLAIM_LEASE_SECONDS)) !== 'claimed') return 'duplicate';
  try {
    const outcome = await runStep(deps, step, now);
    await deps.store.completeClaim(key, now);
    return outcome;
  } catch (error) {
    await deps.store.releaseClaim(key);
    throw error;
  }
}

async function runStep(deps: DispatchDeps, step: ScheduledStep, now: Date): Promise<DispatchOutcome> {
  const found = await deps.store.getPartnership(step.partnershipId);
  const member = found?.members.find((candidate) => candidate.id === step.memberId);
  // Nobody who opted out is texted, whatever was scheduled before.
  if (!found || !member || member.status === 'opted_out') return 'skipped';
  switch (step.kind) {
    case 'check_in':
      return checkIn(deps, member, step.localDate, now, found.partnership.startedAt, step.scheduledTime);
    case 'notify':
      if (!(step.template in smsCopy)) throw new Error(`Unknown SMS template ${step.template}`);
      await deps.sms.send({ to: member.phone, body: renderSms(step.template as SmsTemplate, step.values) });
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
      await deps.sms.send({
        to: member.phone,
        body: renderSms('welcomeBack', { name: member.name, next: nextCheckInLabel(active, now) }),
      });
      if (found.partnership.startedAt) await scheduleCheckIn(deps.scheduler, active, step.pausedUntil);
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

const key = (step: ScheduledStep) => `${step.scheduleName}@${step.scheduledTime}`;

async function checkIn(
  deps: DispatchDeps,
  member: Member,
  localDate: string,
  now: Date,
  startedAt: string | undefined,
  scheduledTime: string,
): Promise<DispatchOutcome> {
  // Paused: nothing is sent and the chain stops; the resume step starts it again.
  if (member.status !== 'active') return 'skipped';
  // A TIME change scheduled a replacement: the step for the old time is stale and sends nothing.
  if (checkInStep(member, localDate).scheduledTime !== scheduledTime) return 'skipped';
  await deps.store.recordCheckInSent({
    partnershipId: member.partnershipId,
    memberId: member.id,
    localDate,
    status: 'sent',
    sentAt: now.toISOString(),
  });
  // Yesterday's partner news rides with today's check-in: one text a day, not one per reply.
  const news = composeNews(await deps.store.takeNews(member.partnershipId, member.id));
  if (news) await deps.sms.send({ to: member.phone, body: renderSms('news', { news }) });
  // The trial's special days ask their own question instead of the plain check-in.
  const day = startedAt ? trialDay(localDateOf(new Date(startedAt), member.timezone), localDate) : 0;
  const template = checkInTemplateFor(day);
  // A review asks CONTINUE, TWEAK or PAUSE; the answer is awaited as a decision.
  if (template === 'day14')
    await deps.store.updateMember(member.partnershipId, member.id, { pendingDecision: true });
  await deps.sms.send({
    to: member.phone,
    body: renderSms(template, { name: member.name, goal: member.goal }),
  });
  await deps.store.notePrompted(member, now);
  await scheduleCheckIn(deps.scheduler, member, followingCheckInDate(member, localDate));
  return 'sent';
}
