/** Deadlines agreed between partners: a move proposes a date, OK agrees, a counter-move proposes back. */
import { isoWeekday, plusDays, plusYears, withMonthDay } from '#shared/domain/calendar.js';
import type { DeadlineMove } from '#shared/domain/conversation/types.js';
import type { DeadlineProposal, Member } from '#shared/domain/partnership.js';
import * as steps from '#shared/domain/steps.js';
import { dayLabel } from '#templates/labels.js';
import { notifyMember, scheduleAtInstant } from '../notify.js';
import { onTrack } from './check-in-answers.js';
import {
  type IntentHandler,
  memberById,
  nothing,
  others,
  record,
  say,
  type TurnContext,
  today,
} from './context.js';

/** A proposal nobody answered is asked about once more after this many hours. */
const PROPOSAL_STANDS_AFTER_HOURS = 24;

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

async function propose(ctx: TurnContext, forMemberId: string, date: string, approvers: Member[]) {
  const proposal: DeadlineProposal = {
    id: `${ctx.now.toISOString()}#${ctx.member.id}`,
    partnershipId: ctx.partnership.id,
    memberId: forMemberId,
    proposedBy: ctx.member.id,
    approverIds: approvers.map((each) => each.id),
    proposedDate: date,
    proposedAt: ctx.now.toISOString(),
    standsAt: new Date(ctx.now.getTime() + PROPOSAL_STANDS_AFTER_HOURS * 3_600_000).toISOString(),
    status: 'pending',
  };
  await ctx.deps.store.putProposal(proposal);
  await scheduleAtInstant(ctx.deps.scheduler, steps.proposalStands(proposal));
}

export const deadlineMove: IntentHandler<'deadline_move'> = async (ctx, { move }) => {
  const pending = await ctx.deps.store.pendingProposalFor(ctx.partnership.id, ctx.member.id);
  const owner = pending ? memberById(ctx, pending.memberId) : ctx.member;
  if (!owner) return nothing;
  const date = resolveDeadlineMove(move, today(ctx), owner.deadline);
  if (date < today(ctx)) return say(ctx, 'deadlinePast');
  if (pending) {
    // A counter-proposal: the original proposer now gets to say OK.
    const proposer = memberById(ctx, pending.proposedBy);
    if (!proposer || !(await ctx.deps.store.resolveProposal(ctx.partnership.id, pending.id, 'superseded')))
      return nothing;
    await propose(ctx, pending.memberId, date, [proposer]);
    await record(ctx, 'deadline_countered', { date });
    const values = { name: proposer.name, partner: ctx.member.name, date: dayLabel(date) };
    await notifyMember(ctx.deps, proposer, 'deadlineCountered', values, ctx.cause, ctx.now);
    return say(ctx, 'deadlineProposed', { partner: proposer.name, date: dayLabel(date) });
  }
  const approvers = others(ctx);
  await propose(ctx, ctx.member.id, date, approvers);
  await record(ctx, 'deadline_proposed', { date });
  for (const partner of approvers) {
    const values = { name: partner.name, partner: ctx.member.name, date: dayLabel(date) };
    await notifyMember(ctx.deps, partner, 'deadlineProposal', values, ctx.cause, ctx.now);
  }
  return say(ctx, 'deadlineProposed', { date: dayLabel(date) });
};

/** OK: agree to a pending deadline proposal, or, with none pending, a plain "on track". */
export const accept: IntentHandler<'accept'> = async (ctx) => {
  const { store } = ctx.deps;
  const pending = await store.pendingProposalFor(ctx.partnership.id, ctx.member.id);
  if (!pending) return onTrack(ctx, { kind: 'on_track' });
  if (!(await store.resolveProposal(ctx.partnership.id, pending.id, 'accepted'))) return nothing;
  await store.setDeadline(ctx.partnership.id, pending.memberId, pending.proposedDate);
  await record(ctx, 'deadline_agreed', { date: pending.proposedDate, for: pending.memberId });
  const proposer = memberById(ctx, pending.proposedBy);
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
  return say(ctx, 'deadlineAgreed', { date });
};
