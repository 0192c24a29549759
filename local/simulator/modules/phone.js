// @ts-check
/**
 * A member's phone: texting as Twilio would deliver it (form-encoded and signed with X-Twilio-Signature),
 * and the thread of texts each way, drawn as it grows.
 * @typedef {import('./types.js').Person} Person
 * @typedef {import('./types.js').OutboxSms} OutboxSms
 * @typedef {import('./types.js').InboundSms} InboundSms
 * @typedef {import('./types.js').ThreadMessage} ThreadMessage
 * @typedef {import('./types.js').Card} Card
 */
import { config } from './api.js';
import { el } from './dom.js';
import { base64, randomHex } from './encoding.js';
import { localTime } from './time.js';

/**
 * Twilio's webhook signature: HMAC-SHA1, keyed with the auth token, over the webhook URL followed by each
 * POST field's name and value in name order; base64.
 * @param {string} authToken @param {string} url @param {Record<string, string>} params
 */
export async function twilioSignature(authToken, url, params) {
  const data = Object.keys(params)
    .sort()
    .reduce((signed, key) => signed + key + params[key], url);
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  return base64(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));
}

/** @param {Person} member @param {string} text */
export async function sendText(member, text) {
  const settings = await config();
  /** @type {Record<string, string>} */
  const params = {
    MessageSid: `SM${randomHex(16)}`,
    AccountSid: settings.twilioAccountSid,
    From: member.phone,
    To: settings.twilioNumber,
    Body: text,
    NumMedia: '0',
  };
  const signature = await twilioSignature(settings.twilioAuthToken, settings.webhookUrl, params);
  // Posted to this origin; signed for the public URL the stack checks against, as Twilio would.
  const response = await fetch(new URL(settings.webhookUrl).pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return response.status;
}

/** A text the webhook refused; 0 is one still on its way. @param {number} status */
const isRefused = (status) => status !== 0 && status !== 200;

/**
 * One phone's thread: what we texted to it and what it texted us, in the order they happened.
 * @param {Person} member @param {OutboxSms[]} outbox @param {InboundSms[]} inbound
 */
export function thread(member, outbox, inbound) {
  /** @type {ThreadMessage[]} */
  const messages = [];
  const mine = inbound.filter((text) => text.from === member.phone);
  let next = 0;
  outbox.forEach((sms, index) => {
    while (next < mine.length && (mine[next]?.afterOutbox ?? 0) <= index) {
      const text = /** @type {InboundSms} */ (mine[next++]);
      messages.push({ text: text.body, at: text.at, fromMember: true, failed: isRefused(text.status) });
    }
    if (sms.to === member.phone)
      messages.push({ text: sms.body, at: sms.at, fromMember: false, failed: false });
  });
  for (const text of mine.slice(next))
    messages.push({ text: text.body, at: text.at, fromMember: true, failed: isRefused(text.status) });
  return messages;
}

/** Text with its web links as links (opened in a new window); everything else stays text. @param {string} text */
function withLinks(text) {
  /** @type {(string | Node)[]} */
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    const link = /** @type {HTMLAnchorElement} */ (el('a', '', match[0]));
    link.href = match[0];
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    parts.push(link);
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * A phone's thread, appended to as texts arrive (never redrawn while it only grows, so a screen reader
 * hears only what is new and a reader's place is kept).
 * @param {Card} card @param {Person} member @param {ReturnType<typeof thread>} messages
 */
export function renderBubbles(card, member, messages) {
  const keys = messages.map((message) => JSON.stringify(message));
  const shown = card.shown.bubbles;
  const grows =
    shown.length > 0 && shown.length <= keys.length && shown.every((key, index) => key === keys[index]);
  if (grows && shown.length === keys.length) return;
  const bubbles = messages.slice(grows ? shown.length : 0).map((message) => {
    const bubble = el(
      'li',
      `bubble ${message.fromMember ? 'from-member' : 'from-us'}${message.failed ? ' failed' : ''}`,
    );
    bubble.append(...withLinks(message.text));
    const meta = localTime(message.at, member.timezone) + (message.failed ? ' · not delivered' : '');
    bubble.append(el('span', 'meta', meta));
    return bubble;
  });
  card.shown.bubbles = keys;
  if (grows) card.bubbles.append(...bubbles);
  else if (messages.length === 0) card.bubbles.replaceChildren(el('li', 'empty', 'No texts yet'));
  else card.bubbles.replaceChildren(...bubbles);
  card.log.scrollTop = card.log.scrollHeight;
}
