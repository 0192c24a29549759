// @ts-check
/**
 * The partnership shown: which one (remembered in local storage and in the URL), its members' phones and
 * inboxes, and the state panel, redrawn from the stack by `refresh`.
 * @typedef {import('./types.js').Member} Member
 * @typedef {import('./types.js').Partnership} Partnership
 * @typedef {import('./types.js').Schedule} Schedule
 */
import { api, config, getJson, schedules } from './api.js';
import { buildCard } from './card.js';
import { byId, el, find } from './dom.js';
import { renderInbox } from './inbox.js';
import { refreshPhones } from './new-phone.js';
import { renderBubbles, thread } from './phone.js';
import { state } from './state.js';
import { localTime } from './time.js';
import { CHECK_IN_WORDS, DEFAULT_QUIET_HOURS, MEMBER_STATUS_WORDS, STEP_WORDS } from './words.js';

const STORAGE_KEY = 'soft-partner-simulator.partnerships';

/** @returns {string[]} */
function remembered() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** @param {string} id */
export function remember(id) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify([...remembered().filter((each) => each !== id), id]));
}

/** @param {string} id */
function forget(id) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(remembered().filter((each) => each !== id)));
}

export async function knownPartnerships() {
  const { ids } = await getJson('/local/simulator/partnerships');
  return [...new Set([...remembered(), ...ids])];
}

/** @param {boolean} enrolling @param {boolean} [moveFocus] */
export function showEnrollment(enrolling, moveFocus = false) {
  byId('enroll-section').hidden = !enrolling;
  byId('partnership-section').hidden = enrolling || !state.partnershipId;
  byId('cancel-enroll').hidden = !state.partnershipId;
  // The button pressed has just been hidden: focus goes where the next step is.
  if (moveFocus)
    (enrolling ? find(byId('member-fields'), '[data-field="name"]') : byId('new-partnership')).focus();
}

/** @param {string | null} id */
export async function selectPartnership(id) {
  state.partnershipId = id;
  state.partnership = null;
  state.cards.clear();
  byId('members-view').replaceChildren();
  if (id) history.replaceState(null, '', `#p=${encodeURIComponent(id)}`);
  await renderPicker();
  showEnrollment(!id);
  await refresh();
}

async function renderPicker() {
  const picker = /** @type {HTMLSelectElement} */ (byId('partnership-picker'));
  const ids = await knownPartnerships();
  if (state.partnershipId && !ids.includes(state.partnershipId)) ids.push(state.partnershipId);
  picker.replaceChildren(...ids.map((id) => new Option(id, id, false, id === state.partnershipId)));
}

/** @param {Member} member */
function renderStateMember(member) {
  const box = el('section', 'state-member');
  box.dataset.member = member.id;
  box.append(el('h3', '', member.name));
  const list = el('dl');
  /** @param {string} term @param {string | Node} value @param {string} [key] */
  const row = (term, value, key) => {
    const dd = el('dd');
    if (key) dd.dataset.field = key;
    dd.append(value);
    list.append(el('dt', '', term), dd);
  };
  const status = MEMBER_STATUS_WORDS[member.status] ?? member.status.replaceAll('_', ' ');
  row('Status', member.pausedUntil ? `${status} until ${member.pausedUntil}` : status, 'status');
  row('Grace days left', String(member.graceTokensLeft), 'tokens');
  row(
    'Check-in',
    `${member.checkInTime} ${member.timezone}, by ${member.checkInBy === 'email' ? 'email' : 'text'}`,
  );
  const quiet = member.quietHours ?? DEFAULT_QUIET_HOURS;
  row('Quiet hours', `${quiet.start} to ${quiet.end}`, 'quietHours');
  row(
    'Email',
    member.email ? `${member.email} · ${(member.emailStatus ?? 'reachable').replaceAll('_', ' ')}` : 'none',
    'email',
  );
  row('Goal', member.goal);
  box.append(list);
  const chips = el('ul', 'chips');
  chips.setAttribute('aria-label', `${member.name}'s check-ins`);
  for (const checkIn of member.checkIns) {
    const chip = el('li', `chip ${checkIn.status}`);
    const said = CHECK_IN_WORDS[checkIn.status] ?? checkIn.status.replaceAll('_', ' ');
    chip.textContent = `${checkIn.localDate} ${said}${checkIn.mood ? ` · mood ${checkIn.mood}` : ''}`;
    chips.append(chip);
  }
  if (member.checkIns.length === 0) chips.append(el('li', 'chip', 'no check-ins yet'));
  box.append(chips);
  return box;
}

/** @param {Partnership} partnership @param {Schedule[]} pending */
function renderSchedules(partnership, pending) {
  const names = new Map(partnership.members.map((member) => [member.id, member]));
  const items = pending.map((schedule) => {
    const member = names.get(schedule.memberId);
    const item = el('li');
    item.append(el('span', 'when', `${localTime(schedule.at, 'UTC')} UTC`), ' ');
    const kind = STEP_WORDS[schedule.kind] ?? schedule.kind.replaceAll('_', ' ');
    const what = `${kind} · ${member?.name ?? schedule.memberId}${
      member ? ` (${localTime(schedule.at, member.timezone)} local)` : ''
    }${schedule.localDate ? ` · for ${schedule.localDate}` : ''}`;
    item.append(el('span', 'what', what));
    return item;
  });
  byId('schedules').replaceChildren(...(items.length ? items : [el('li', 'what', 'Nothing scheduled')]));
}

let stateSignature = '';

export async function refresh() {
  const { now } = await getJson('/local/clock');
  state.now = now;
  byId('utc-now').textContent = `${localTime(now, 'UTC')} UTC`;
  await refreshPhones();
  const id = state.partnershipId;
  if (!id) return;
  const settings = await config();
  const [view, outbox, inbound, pending] = await Promise.all([
    api(`/partnerships/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${settings.apiKey}` },
    }),
    getJson('/local/outbox'),
    getJson('/local/simulator/inbound'),
    schedules(id),
  ]);
  if (id !== state.partnershipId) return;
  if (view.status === 404) {
    forget(id);
    await selectPartnership(null);
    return;
  }
  /** @type {Partnership} */
  const partnership = view.body;
  state.partnership = partnership;
  if (partnership.members.some((member) => member.email))
    state.emails = (await getJson('/local/simulator/emails')).email;
  if (state.cards.size === 0) {
    for (const member of partnership.members) state.cards.set(member.id, buildCard(member, refresh));
    byId('members-view').replaceChildren(...[...state.cards.values()].map((card) => card.root));
  }
  for (const member of partnership.members) {
    const card = state.cards.get(member.id);
    if (!card) continue;
    const time = localTime(now, member.timezone);
    card.localTime.textContent = `${time} in ${member.timezone}`;
    card.phoneClock.textContent = time;
    renderBubbles(card, member, thread(member, outbox.sms, inbound.sms));
    renderInbox(card, member, state.emails);
  }
  const signature = JSON.stringify([partnership.members, pending]);
  if (signature !== stateSignature) {
    stateSignature = signature;
    byId('state-members').replaceChildren(...partnership.members.map(renderStateMember));
    renderSchedules(partnership, pending);
  }
}
