import { plusDays } from '#shared/domain/calendar.js';
import { outsideQuietHours } from '#shared/domain/quiet-hours.js';
import type { StepOf } from '#shared/domain/scheduled-step.js';
import { nextLocalDate, wallClockInstant } from '#shared/domain/trial-plan.js';
import { bulletList } from '#templates/email/markup.js';
import { boardLines, dayLabel } from '#templates/labels.js';
import { excerpt, PLACEHOLDER_MAX_LENGTH, renderSms } from '#templates/sms.js';
import { emailMember } from '../../member-email.js';
import { textMember } from '../../safety-valves.js';
import { scheduleBoardDigest } from '../../schedule-check-in.js';
import type { DispatchOutcome, StepContext } from '../context.js';

const previousLocalDate = (localDate: string) => plusDays(localDate, -1) ?? localDate;

/**
 * A team's support board: every need raised and help offered since the last digest, each listed once,
 * as one short text and (for those with an address) one email, at the team's board time.
 */
export async function boardDigest(ctx: StepContext, step: StepOf<'board_digest'>): Promise<DispatchOutcome> {
  const { deps, members, member, now } = ctx;
  const boardTime = ctx.partnership.boardTime;
  if (!boardTime) return 'skipped';
  // The chain goes on while the member is with the team; a pause only skips the digest.
  await scheduleBoardDigest(deps.scheduler, member, boardTime, nextLocalDate(step.localDate));
  if (member.status !== 'active') return 'skipped';
  const from = wallClockInstant(previousLocalDate(step.localDate), boardTime, member.timezone).toISOString();
  const inWindow = (at: string) => at >= from && at < step.scheduledTime;
  const history = await deps.store.history(member.partnershipId);
  const nameOf = (id: string) => members.find((each) => each.id === id)?.name ?? 'Someone';
  // Nobody is sent their own need or offer: the board shows each member what the others asked and gave.
  const items = [
    ...history.needs
      .filter((need) => inWindow(need.raisedAt) && need.memberId !== member.id)
      .map((need) => ({ at: need.raisedAt, line: boardLines.need(nameOf(need.memberId), need.text) })),
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
        line: boardLines.offer(nameOf(event.memberId), String(event.data?.text)),
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return 'skipped';
  const lines = items.map((item) => item.line);
  // A member's own quiet hours (changed since the team chose its board time) hold the text, not the email.
  if (outsideQuietHours(now, member.timezone, member.quietHours).getTime() === now.getTime()) {
    const board = excerpt(lines.join('; '), PLACEHOLDER_MAX_LENGTH.board);
    await textMember(deps, member, renderSms('board', { board }), now);
  }
  const list = bulletList(lines);
  const values = { date: dayLabel(step.localDate), boardHtml: list.html, boardText: list.text };
  await emailMember(deps, member, { template: 'supportDigest', values, localDate: step.localDate }, now);
  return 'sent';
}
