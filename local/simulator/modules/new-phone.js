// @ts-check
/**
 * Phones nobody enrolled: a stranger starts a partnership by text (self-serve setup), and the phones it
 * invites answer here too.
 * @typedef {import('./types.js').Person} Person
 */
import { getJson } from './api.js';
import { buildCard } from './card.js';
import { byId, find, say } from './dom.js';
import { renderBubbles, thread } from './phone.js';
import { state } from './state.js';
import { localTime } from './time.js';

const PHONES_KEY = 'soft-partner-simulator-phones';

/** @returns {string[]} */
function rememberedPhones() {
  try {
    const value = JSON.parse(localStorage.getItem(PHONES_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((each) => typeof each === 'string') : [];
  } catch {
    return [];
  }
}

/** A New York number not yet on the page. */
function freshNumber() {
  const taken = new Set([...state.phones.keys(), ...(state.partnership?.members ?? []).map((m) => m.phone)]);
  for (let n = 7001; n < 8000; n += 1) {
    const number = `+1212555${n}`;
    if (!taken.has(number)) return number;
  }
  return `+1212555${7000 + Math.floor(Math.random() * 999)}`;
}

/**
 * Adds a phone's card to the page (once per number).
 * @param {string} number @param {() => Promise<void>} afterSend redraws the page once a text is in
 */
function addPhone(number, afterSend) {
  if (state.phones.has(number)) return state.phones.get(number);
  const index = state.phones.size + 1;
  /** @type {Person} */
  const phone = { id: `phone-${index}`, name: `Phone ${index}`, phone: number, goal: '', timezone: 'UTC' };
  const card = buildCard(phone, afterSend);
  find(card.root, '.member-goal').textContent = 'Not in a partnership yet: text Hi to start one.';
  card.root.dataset.phone = number;
  state.phones.set(number, card);
  byId('phones-view').append(card.root);
  localStorage.setItem(PHONES_KEY, JSON.stringify([...state.phones.keys()]));
  return card;
}

/** Each added phone's thread. */
export async function refreshPhones() {
  if (state.phones.size === 0) return;
  const [outbox, inbound] = await Promise.all([
    getJson('/local/outbox'),
    getJson('/local/simulator/inbound'),
  ]);
  for (const [number, card] of state.phones) {
    /** @type {Person} */
    const phone = { id: number, name: number, phone: number, goal: '', timezone: 'UTC' };
    renderBubbles(card, phone, thread(phone, outbox.sms, inbound.sms));
    card.phoneClock.textContent = localTime(state.now, 'UTC');
  }
}

/** @param {SubmitEvent} event @param {() => Promise<void>} afterSend */
async function submitNewPhone(event, afterSend) {
  event.preventDefault();
  const field = /** @type {HTMLInputElement} */ (byId('new-phone-number'));
  const typed = field.value.replace(/[\s().-]/g, '');
  const error = byId('new-phone-error');
  if (typed && !/^\+\d{8,15}$/.test(typed)) {
    field.setAttribute('aria-invalid', 'true');
    say(error, 'Number must be in E.164 form, e.g. +12125557001', true);
    field.focus();
    return;
  }
  field.removeAttribute('aria-invalid');
  say(error, '');
  const card = addPhone(typed || freshNumber(), afterSend);
  field.value = '';
  await refreshPhones();
  /** @type {HTMLInputElement | null} */ (card?.root.querySelector('.composer input') ?? null)?.focus();
}

/**
 * The New phone form, and the phones this browser added before.
 * @param {() => Promise<void>} afterSend redraws the page once a phone texted
 */
export function setUpNewPhones(afterSend) {
  byId('new-phone-form').addEventListener('submit', (event) =>
    submitNewPhone(/** @type {SubmitEvent} */ (event), afterSend),
  );
  for (const number of rememberedPhones()) addPhone(number, afterSend);
}
