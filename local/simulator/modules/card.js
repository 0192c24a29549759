// @ts-check
/**
 * One member's card: their phone, with a box to text from, and their inbox, with a box to reply from.
 * @typedef {import('./types.js').Person} Person
 * @typedef {import('./types.js').Card} Card
 */
import { find, fromTemplate, messageOf, say, whileBusy } from './dom.js';
import { replyOutcome, sendEmailReply } from './inbox.js';
import { sendText } from './phone.js';
import { state } from './state.js';

/**
 * @param {Person} member @param {() => Promise<void>} afterSend redraws the page once a text or reply is in
 * @returns {Card}
 */
export function buildCard(member, afterSend) {
  const root = fromTemplate('member-card-template');
  find(root, '.member-name').textContent = member.name;
  find(root, '.member-goal').textContent = `Goal: ${member.goal}`;
  find(root, '.phone-number').textContent = member.phone;
  /** @type {Card} */
  const card = {
    root,
    bubbles: find(root, '.thread'),
    log: find(root, '.bubbles'),
    localTime: find(root, '.member-local-time'),
    phoneClock: find(root, '.phone-clock'),
    sendStatus: find(root, '.send-status'),
    inbox: find(root, '.inbox'),
    emailList: find(root, '.email-list'),
    emailView: find(root, '.email-view'),
    emailMeta: find(root, '.email-meta'),
    frame: find(root, '.email-frame'),
    replyStatus: find(root, '.reply-status'),
    selected: null,
    followLatest: true,
    shown: { bubbles: [], emails: '', frame: '' },
  };
  root.dataset.member = member.id;
  root.setAttribute('aria-label', `${member.name}'s phone and inbox`);
  card.log.setAttribute('aria-label', `Texts with ${member.name}`);
  // A scrolling list must take keyboard focus, or a keyboard cannot scroll it (WCAG 2.1.1).
  card.log.tabIndex = 0;
  const composer = /** @type {HTMLFormElement} */ (find(root, '.composer'));
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const field = /** @type {HTMLInputElement} */ (find(composer, 'input'));
    const text = field.value.trim();
    if (!text) return;
    return whileBusy(/** @type {HTMLButtonElement} */ (find(composer, 'button')), async () => {
      try {
        const status = await sendText(member, text);
        if (status === 200) {
          field.value = '';
          say(card.sendStatus, '');
        } else say(card.sendStatus, `The text was refused (HTTP ${status})`, true);
        await afterSend();
      } catch (error) {
        say(card.sendStatus, messageOf(error), true);
      }
    });
  });
  if (member.email) {
    card.inbox.hidden = false;
    find(root, '.inbox-address').textContent = member.email;
    const reply = /** @type {HTMLFormElement} */ (find(root, '.email-reply'));
    reply.addEventListener('submit', (event) => {
      event.preventDefault();
      const field = /** @type {HTMLTextAreaElement} */ (find(reply, 'textarea'));
      const text = field.value.trim();
      const email = state.emails.find((each) => each.messageId === card.selected);
      if (!text || !email) return;
      return whileBusy(/** @type {HTMLButtonElement} */ (find(reply, 'button')), async () => {
        try {
          const { status, body } = await sendEmailReply(member, email, text);
          if (status === 202) {
            field.value = '';
            const outcome = body?.outcome;
            say(card.replyStatus, replyOutcome(outcome), outcome?.result === 'rejected');
          } else say(card.replyStatus, body?.issues?.[0]?.message ?? `The stack answered ${status}`, true);
          await afterSend();
        } catch (error) {
          say(card.replyStatus, messageOf(error), true);
        }
      });
    });
  }
  return card;
}
