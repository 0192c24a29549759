// @ts-check
/**
 * A member's inbox: each email as sent, in a sandboxed frame, and replying as a mail client would (a raw
 * RFC 822 message to the email's Reply-To).
 * @typedef {import('./types.js').Person} Person
 * @typedef {import('./types.js').Email} Email
 * @typedef {import('./types.js').Card} Card
 */
import { api } from './api.js';
import { el } from './dom.js';
import { base64, randomHex } from './encoding.js';
import { state } from './state.js';
import { localTime } from './time.js';
import { INTENT_WORDS, REJECT_WORDS } from './words.js';

/** @param {string} value */
function headerValue(value) {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${base64(new TextEncoder().encode(flat))}?=`;
}

/** @param {string} name @param {string} address */
function mailbox(name, address) {
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : headerValue(name);
  return `${display} <${address.replace(/[\r\n<>]/g, '')}>`;
}

/** @param {Person} member @param {Email} email @param {string} text */
function replyMessage(member, email, text) {
  const subject = /^re:/i.test(email.subject) ? email.subject : `Re: ${email.subject}`;
  const original = `<${email.messageId}@email.amazonses.com>`;
  const when = new Date(email.at).toUTCString().replace('GMT', '+0000');
  const quoted = email.text
    .split(/\r?\n/)
    .slice(0, 30)
    .map((line) => `> ${line}`);
  return [
    `From: ${mailbox(member.name, member.email ?? '')}`,
    `To: ${email.replyTo ?? ''}`,
    `Subject: ${headerValue(subject)}`,
    `Date: ${new Date(state.now || Date.now()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomHex(12)}@simulator.soft-partner.local>`,
    `In-Reply-To: ${original}`,
    `References: ${original}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...text.split(/\r?\n/),
    '',
    `On ${when} Soft Partner <${email.replyTo ?? ''}> wrote:`,
    ...quoted,
    '',
  ].join('\r\n');
}

/** @param {Person} member @param {Email} email @param {string} text */
export async function sendEmailReply(member, email, text) {
  return api('/local/inbound-email', {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822' },
    body: replyMessage(member, email, text),
  });
}

/**
 * What became of an emailed reply, in words.
 * @param {{ result?: string, intents?: string[], reason?: string } | undefined} outcome
 */
export function replyOutcome(outcome) {
  switch (outcome?.result) {
    case 'applied': {
      const understood = (outcome.intents ?? []).map(
        (intent) => INTENT_WORDS[intent] ?? intent.replaceAll('_', ' '),
      );
      return understood.length > 0
        ? `Reply received, understood as: ${understood.join('; ')}.`
        : 'Reply received.';
    }
    case 'rejected':
      return `Reply not applied: ${REJECT_WORDS[outcome.reason ?? ''] ?? 'it could not be used'}.`;
    case 'duplicate':
      return 'We had this reply already; nothing changed.';
    case 'ignored':
      return 'Reply received; there was nothing in it to act on.';
    default:
      return 'Reply sent.';
  }
}

/** Our emails open their links in a new window; the frame itself never navigates. @param {string} html */
function withLinksInNewWindows(html) {
  const base = '<base target="_blank">';
  return /<head(\s[^>]*)?>/i.test(html)
    ? html.replace(/<head(\s[^>]*)?>/i, (head) => head + base)
    : base + html;
}

/** The element that last took keyboard focus (focus dropped to the body by a swapped frame fires nothing). */
/** @type {EventTarget | null} */
let lastFocused = null;
document.addEventListener('focusin', (event) => {
  lastFocused = event.target;
});

/** @param {Card} card @param {Person} member @param {Email[]} emails */
export function renderInbox(card, member, emails) {
  if (!member.email) return;
  const mine = emails.filter((email) => email.to.toLowerCase() === member.email?.toLowerCase());
  const latest = mine.at(-1);
  if (card.followLatest || !mine.some((email) => email.messageId === card.selected))
    card.selected = latest?.messageId ?? null;
  const signature = JSON.stringify([card.selected, mine.map((email) => email.messageId)]);
  if (signature !== card.shown.emails) {
    card.shown.emails = signature;
    // A redrawn list keeps keyboard focus on the email it was on.
    const focused = card.emailList.contains(document.activeElement)
      ? /** @type {HTMLElement} */ (document.activeElement).dataset.messageId
      : undefined;
    if (mine.length === 0) card.emailList.replaceChildren(el('li', 'empty', 'No emails yet'));
    else
      card.emailList.replaceChildren(
        ...[...mine].reverse().map((email) => {
          const item = el('li');
          const button = /** @type {HTMLButtonElement} */ (el('button'));
          button.type = 'button';
          button.append(
            el('span', 'subject', email.subject),
            el('span', 'when', localTime(email.at, member.timezone)),
          );
          button.setAttribute('aria-current', String(email.messageId === card.selected));
          button.dataset.messageId = email.messageId;
          button.addEventListener('click', () => {
            card.selected = email.messageId;
            card.followLatest = email.messageId === mine.at(-1)?.messageId;
            renderInbox(card, member, state.emails);
          });
          item.append(button);
          return item;
        }),
      );
    if (focused)
      /** @type {HTMLElement | null} */ (
        card.emailList.querySelector(`[data-message-id="${CSS.escape(focused)}"]`)
      )?.focus();
  }
  const selected = mine.find((email) => email.messageId === card.selected);
  card.emailView.hidden = !selected;
  // A frame being read keeps its email until focus leaves it: swapping its document would drop focus.
  if (selected && card.shown.frame !== selected.messageId && document.activeElement === card.frame) {
    card.frame.addEventListener('blur', () => renderInbox(card, member, emails), { once: true });
    return;
  }
  if (selected && card.shown.frame !== selected.messageId) {
    card.shown.frame = selected.messageId;
    card.emailMeta.textContent = `${selected.subject} · ${localTime(selected.at, member.timezone)} · reply to ${selected.replyTo ?? 'no-reply'}`;
    card.frame.title = `Email: ${selected.subject}`;
    // A new document in a focused frame takes keyboard focus with the old one (Chromium drops it to the
    // page's body): once it has loaded, focus goes back to the frame if the frame was where it last was.
    card.frame.addEventListener(
      'load',
      () => {
        const dropped = document.activeElement === document.body || document.activeElement === null;
        if (dropped && lastFocused === card.frame) card.frame.focus();
      },
      { once: true },
    );
    card.frame.srcdoc = withLinksInNewWindows(selected.html);
  }
}
