/** Support between members: a need, help offered, a win, and ON IT for a partner's need. */
import { isTeam } from '#shared/domain/team.js';
import { excerpt, PLACEHOLDER_MAX_LENGTH } from '#templates/sms.js';
import { notifyMember } from '../notify.js';
import { type IntentHandler, memberById, newsOf, newsToOthers, others, record, say } from './context.js';

export const need: IntentHandler<'need'> = async (ctx, { text }) => {
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
    const values = { partner: ctx.member.name, need: excerpt(text) };
    await notifyMember(ctx.deps, partner, 'needForward', values, ctx.cause, ctx.now);
  }
  return say(ctx, 'needReceived');
};

export const offer: IntentHandler<'offer'> = async (ctx, { text }) => {
  // A team sees offers on the support board; a pair's partner hears it inside their next check-in.
  const team = isTeam(ctx.members);
  const news = team ? [] : newsToOthers(ctx, 'offer', excerpt(text, PLACEHOLDER_MAX_LENGTH.text));
  await record(ctx, 'offer', { text }, news);
  return say(ctx, 'offerReceived', team ? { partner: 'the team' } : {});
};

export const win: IntentHandler<'win'> = async (ctx, { text }) => {
  // Partners hear the win in their own words inside their next check-in: no text per teammate.
  const news = newsToOthers(ctx, 'win', excerpt(text, PLACEHOLDER_MAX_LENGTH.text));
  await record(ctx, 'win', { text }, news);
  return say(ctx, 'winCelebrate', isTeam(ctx.members) ? { partner: 'the team' } : {});
};

export const onIt: IntentHandler<'on_it'> = async (ctx) => {
  const { store } = ctx.deps;
  const [open] = await store.openNeedsOfOthers(ctx.partnership.id, ctx.member.id);
  const asker = open && memberById(ctx, open.memberId);
  if (!open || !asker || !(await store.acknowledgeNeed(ctx.partnership.id, open.id, ctx.member.id, ctx.now)))
    return say(ctx, 'noOpenNeed');
  const team = isTeam(ctx.members);
  await record(ctx, 'on_it', { needId: open.id }, team ? newsOf(ctx, 'on_it', [asker]) : []);
  if (!team) {
    const values = { name: asker.name, partner: ctx.member.name };
    await notifyMember(ctx.deps, asker, 'needOnIt', values, ctx.cause, ctx.now);
  }
  return say(ctx, 'needOnItThanks', { partner: asker.name });
};
