// @ts-check
/**
 * The clock controls: Next event, +1 hour, +1 day and Jump to Day 14, each saying in words what went out.
 * @typedef {import('./types.js').Member} Member
 * @typedef {import('./types.js').OutboxSms} OutboxSms
 * @typedef {import('./types.js').Email} Email
 */
import { advance, getJson, schedules } from './api.js';
import { byId, messageOf, say } from './dom.js';
import { refresh } from './partnership.js';
import { state } from './state.js';
import { addDays, localDate, localTime, notBefore } from './time.js';

/**
 * Runs a clock action with its buttons busy but never disabled: focus stays on the button pressed, and
 * pressing Enter again once the status says it is done works.
 * @param {() => Promise<string>} action
 */
async function clockAction(action) {
  if (state.busy) return;
  state.busy = true;
  const buttons = /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('.controls button')]);
  for (const button of buttons) button.setAttribute('aria-disabled', 'true');
  const status = byId('clock-status');
  say(status, 'Moving the clock…');
  try {
    const done = await action();
    await refresh();
    // Said only once the page is ready for the next press (nothing awaited between here and `finally`).
    say(status, done);
  } catch (error) {
    say(status, messageOf(error), true);
  } finally {
    for (const button of buttons) button.removeAttribute('aria-disabled');
    state.busy = false;
  }
}

/** How many texts and emails the shown partnership's members have had so far. */
async function deliveries() {
  const members = state.partnership?.members ?? [];
  const phones = new Set(members.map((member) => member.phone));
  const addresses = new Set(members.flatMap((member) => (member.email ? [member.email.toLowerCase()] : [])));
  const outbox = await getJson('/local/outbox');
  const texts = outbox.sms.filter((/** @type {OutboxSms} */ sms) => phones.has(sms.to)).length;
  const emails =
    addresses.size === 0
      ? 0
      : (await getJson('/local/simulator/emails')).email.filter((/** @type {Email} */ email) =>
          addresses.has(email.to.toLowerCase()),
        ).length;
  return { texts, emails };
}

/** @param {number} count @param {string} one */
const counted = (count, one) => `${count} ${one}${count === 1 ? '' : 's'}`;

/**
 * What a move of the clock did, in words: "Now Wed 25 Nov, 14:00 UTC. 2 texts and 1 email went out."
 * @param {string} now @param {{ texts: number, emails: number }} before @param {{ texts: number, emails: number }} after
 */
function whatHappened(now, before, after) {
  const texts = after.texts - before.texts;
  const emails = after.emails - before.emails;
  const sent = [...(texts ? [counted(texts, 'text')] : []), ...(emails ? [counted(emails, 'email')] : [])];
  return `Now ${localTime(now, 'UTC')} UTC. ${sent.length ? `${sent.join(' and ')} went out.` : 'Nothing went out.'}`;
}

/** @param {(before: { texts: number, emails: number }) => Promise<string>} move */
async function moveClock(move) {
  const before = await deliveries();
  const now = await move(before);
  return whatHappened(now, before, await deliveries());
}

/** @param {number} minutes */
const advanceBy = (minutes) => moveClock(async () => (await advance({ minutes })).now);

async function nextEvent() {
  const [next] = await schedules(state.partnershipId);
  if (!next) return 'Nothing is scheduled';
  return moveClock(async () => (await advance({ to: notBefore(next.at, state.now) })).now);
}

/**
 * Day 14 for everyone: moves from check-in to check-in, each fired as the scheduler would, until every
 * member's Day-14 check-in (the 14th local day after everyone joined) has gone out, saying how far it
 * has got as it goes.
 */
async function jumpToDay14() {
  await refresh();
  const partnership = state.partnership;
  if (!partnership || partnership.members.length === 0) return 'Enroll a partnership first';
  const startedAt = partnership.startedAt;
  if (!startedAt) return 'Day 14 counts from when everyone joined: reply YES on every phone first';
  const status = byId('clock-status');
  const members = partnership.members;
  const day14 = new Map(
    members.map((member) => [member.id, addDays(localDate(startedAt, member.timezone), 14)]),
  );
  /** Day 1 is the first local day after everyone joined. @param {Member} member @param {string} date */
  const dayOf = (member, date) =>
    Math.round((Date.parse(date) - Date.parse(localDate(startedAt, member.timezone))) / 86_400_000);
  const before = await deliveries();
  let moved = false;
  for (let step = 0; step < 200; step++) {
    const pending = (await schedules(partnership.id)).filter((schedule) => schedule.kind === 'check_in');
    /** The next check-in of each member still short of their Day 14. */
    const ahead = members.flatMap((member) => {
      const next = pending.find((schedule) => schedule.memberId === member.id);
      return next?.localDate && next.localDate <= (day14.get(member.id) ?? '') ? [{ member, next }] : [];
    });
    const soonest = ahead.sort((a, b) => Date.parse(a.next.at) - Date.parse(b.next.at))[0];
    if (!soonest) break;
    const reached = members.length - new Set(ahead.map((each) => each.member.id)).size;
    say(
      status,
      `Moving to Day 14: ${soonest.member.name}'s Day ${dayOf(soonest.member, soonest.next.localDate ?? '')}; ${reached} of ${members.length} members there so far…`,
    );
    const result = await advance({ to: notBefore(soonest.next.at, state.now) });
    state.now = result.now;
    moved = true;
  }
  if (!moved) return 'Everyone is already past Day 14 (or has no check-ins scheduled).';
  const after = await deliveries();
  const days = members.map((member) => `${member.name} ${day14.get(member.id)}`).join(', ');
  return `Day 14 reached for everyone (${days}). ${whatHappened(state.now, before, after)}`;
}

export function setUpClock() {
  byId('next-event').addEventListener('click', () => clockAction(nextEvent));
  byId('plus-hour').addEventListener('click', () => clockAction(() => advanceBy(60)));
  byId('plus-day').addEventListener('click', () => clockAction(() => advanceBy(1440)));
  byId('jump-day14').addEventListener('click', () => clockAction(jumpToDay14));
}
