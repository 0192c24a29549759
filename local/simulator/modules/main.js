// @ts-check
/**
 * The local simulator's page: an enrollment form, one phone and one inbox per member, clock controls and a
 * state panel, over the local stack's public HTTP surface only. Plain browser JavaScript served as written
 * (no build step); `local/simulator/tsconfig.json` type-checks it. Everything it shows from the stack goes
 * through `textContent` or an attribute, never `innerHTML`; emails are shown in sandboxed frames.
 */

/**
 * @typedef {{ apiKey: string, twilioAuthToken: string, twilioAccountSid: string, twilioNumber: string, webhookUrl: string }} Config
 * @typedef {{ localDate: string, status: string, mood?: number }} CheckIn
 * @typedef {{ id: string, name: string, phone: string, email?: string, checkInBy?: string, timezone: string,
 *   checkInTime: string, goal: string, status: string, emailStatus?: string, pausedUntil?: string,
 *   quietHours?: { start: string, end: string },
 *   graceTokensLeft: number, checkIns: CheckIn[] }} Member
 * @typedef {{ id: string, startedAt?: string, graceTokensPerMonth: number, members: Member[] }} Partnership
 * @typedef {{ to: string, from: string, body: string, sid: string, at: string, direction: string }} OutboxSms
 * @typedef {{ sid: string, from: string, to: string, body: string, at: string, afterOutbox: number, status: number }} InboundSms
 * @typedef {{ messageId: string, to: string, subject: string, html: string, text: string, replyTo: string | null, at: string }} Email
 * @typedef {{ name: string, kind: string, memberId: string, partnershipId: string, at: string, localDate?: string }} Schedule
 * @typedef {{ root: HTMLElement, bubbles: HTMLOListElement, localTime: HTMLElement, phoneClock: HTMLElement,
 *   sendStatus: HTMLElement, inbox: HTMLElement, emailList: HTMLUListElement, emailView: HTMLElement,
 *   emailMeta: HTMLElement, frame: HTMLIFrameElement, replyStatus: HTMLElement,
 *   log: HTMLElement, selected: string | null, followLatest: boolean,
 *   shown: { bubbles: string[], emails: string, frame: string } }} Card
 */

const POLL_MS = 1000;
const STORAGE_KEY = 'soft-partner-simulator.partnerships';
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Africa/Lagos',
  'Africa/Johannesburg',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];
const OTHER_ZONE = 'other';
const DEFAULT_QUIET_HOURS = { start: '21:00', end: '07:00' };

/** The form's fields as a person names them, for error messages that say which field. */
const FIELD_NAMES = /** @type {Record<string, string>} */ ({
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  checkInBy: 'Check in by email',
  timezone: 'Time zone',
  checkInTime: 'Check-in time',
  quietHours: 'Quiet hours',
  goal: 'Goal',
  graceTokensPerMonth: 'Grace days a month',
});

/** What each scheduled step will do, in words. */
const STEP_WORDS = /** @type {Record<string, string>} */ ({
  check_in: 'daily check-in',
  notify: 'a text with news',
  resume: 'back from a pause',
  proposal_stands: 'a proposed change takes effect',
  invitation: 'invitation',
  invitation_lapse: 'the invitation ends if not answered',
  board_digest: 'support board',
  charter: 'link to the charter',
  email_reply: 'answer to an email',
  decision_email: 'confirms the Day-14 choice by email',
});

/** How a reply was understood, in words: the reply grammar's intents. */
const INTENT_WORDS = /** @type {Record<string, string>} */ ({
  accept: 'yes to a proposal',
  daily: 'check in every day',
  date: 'a date',
  days: 'a number of days',
  deadline_move: 'a deadline move',
  decision: 'a choice for what comes next',
  goal: 'a new goal',
  grace: 'a grace day',
  help: 'a request for help',
  mood: 'how they feel',
  need: 'something that would help',
  not_today: 'not today',
  offer: 'an offer to help',
  on_it: 'on it: taking on a partner’s need',
  on_track: 'on track today',
  pause: 'a pause',
  quiet: 'new quiet hours',
  resume: 'back from a pause',
  start: 'start again',
  status: 'a question about where things stand',
  stop: 'stop messages',
  time: 'a new check-in time',
  tweak: 'a tweak',
  weekday: 'a day of the week',
  weekdays: 'check in on weekdays only',
  win: 'a win',
});

/** Why an emailed reply was not applied, in words. */
const REJECT_WORDS = /** @type {Record<string, string>} */ ({
  verdict_failed: 'the mail checks failed',
  unauthenticated: 'the sender could not be verified',
  unparseable: 'the message could not be read',
  no_reply_token: 'it was not sent to one of our reply addresses',
  expired_token: 'it answers an email that is too old',
  unknown_member: 'we do not know that member',
  sender_mismatch: 'it came from an address other than the member’s',
});

const CHECK_IN_WORDS = /** @type {Record<string, string>} */ ({
  sent: 'check-in sent',
  on_track: 'on track',
  answered: 'checked in',
  grace: 'grace',
});

const MEMBER_STATUS_WORDS = /** @type {Record<string, string>} */ ({
  invited: 'invited, not joined yet',
  active: 'active',
  paused: 'paused',
  opted_out: 'stopped all messages',
});
const EXAMPLE = [
  {
    name: 'Ada',
    phone: '+12125550101',
    email: 'ada@example.com',
    timezone: 'America/New_York',
    checkInTime: '08:30',
    goal: 'write 300 words',
  },
  { name: 'Ben', phone: '+447911123456', timezone: 'Europe/London', checkInTime: '19:00', goal: 'run 3 km' },
];

const state = {
  /** @type {Config | null} */ config: null,
  /** @type {string | null} */ partnershipId: null,
  /** @type {Partnership | null} */ partnership: null,
  now: '',
  /** @type {Map<string, Card>} */ cards: new Map(),
  /** Phones added with "New phone": strangers, and people invited by text. @type {Map<string, Card>} */
  phones: new Map(),
  busy: false,
};

// ---------------------------------------------------------------------------------------------------------
// Small DOM helpers: every piece of data becomes text, never markup.

/** @param {string} id */
function byId(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found;
}

/**
 * @template {HTMLElement} T
 * @param {ParentNode} root @param {string} selector @returns {T}
 */
function find(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`${selector} is missing from the page`);
  return /** @type {T} */ (found);
}

/**
 * @param {string} tag @param {string} [className] @param {string} [text]
 */
function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** @param {string} templateId */
function fromTemplate(templateId) {
  const template = /** @type {HTMLTemplateElement} */ (byId(templateId));
  return /** @type {HTMLElement} */ (
    /** @type {DocumentFragment} */ (template.content.cloneNode(true)).firstElementChild
  );
}

/** @param {HTMLElement} element @param {string} text @param {boolean} [isError] */
function say(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

// ---------------------------------------------------------------------------------------------------------
// Time, as each member lives it.

/** @param {string} iso @param {string} timeZone */
function localTime(iso, timeZone) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** @param {string} iso @param {string} timeZone @returns {string} YYYY-MM-DD in that zone */
function localDate(iso, timeZone) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** @param {string} date YYYY-MM-DD @param {number} days */
function addDays(date, days) {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------------------
// The stack's HTTP surface.

/** @param {string} path @param {RequestInit} [init] */
async function api(path, init) {
  const response = await fetch(path, { cache: 'no-store', ...init });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body };
}

/** @param {string} path */
async function getJson(path) {
  const { status, body } = await api(path);
  if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
  return body;
}

/** @returns {Promise<Config>} */
async function config() {
  state.config ??= /** @type {Config} */ (await getJson('/local/simulator/config'));
  return state.config;
}

/** @param {{ minutes: number } | { to: string }} body @returns {Promise<{ now: string, fired: unknown[] }>} */
async function advance(body) {
  const { status, body: answer } = await api('/local/clock/advance', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (status !== 200) throw new Error(answer?.issues?.[0]?.message ?? `the clock answered ${status}`);
  return answer;
}

/** @param {string | null} partnershipId @returns {Promise<Schedule[]>} */
async function schedules(partnershipId) {
  const query = partnershipId ? `?partnership=${encodeURIComponent(partnershipId)}` : '';
  return (await getJson(`/local/simulator/schedules${query}`)).schedules;
}

// ---------------------------------------------------------------------------------------------------------
// Texting as Twilio would deliver it: form-encoded and signed with X-Twilio-Signature.

/** @param {Uint8Array | ArrayBuffer} bytes */
function base64(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Twilio's webhook signature: HMAC-SHA1, keyed with the auth token, over the webhook URL followed by each
 * POST field's name and value in name order; base64.
 * @param {string} authToken @param {string} url @param {Record<string, string>} params
 */
async function twilioSignature(authToken, url, params) {
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

/** @param {number} bytes */
function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

/** @param {Member} member @param {string} text */
async function sendText(member, text) {
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

// ---------------------------------------------------------------------------------------------------------
// Replying by email as a mail client would: a raw RFC 822 message to the email's Reply-To.

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

/** @param {Member} member @param {Email} email @param {string} text */
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

/** @param {Member} member @param {Email} email @param {string} text */
async function sendEmailReply(member, email, text) {
  return api('/local/inbound-email', {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822' },
    body: replyMessage(member, email, text),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Enrollment.

function memberFieldsets() {
  return /** @type {HTMLFieldSetElement[]} */ ([
    ...byId('member-fields').querySelectorAll('fieldset.member'),
  ]);
}

/** @param {HTMLElement} scope @param {string} field */
function input(scope, field) {
  return /** @type {HTMLInputElement} */ (find(scope, `[data-field="${field}"]`));
}

let fieldsetCount = 0;

/** @param {Partial<typeof EXAMPLE[number]>} [values] */
function addMemberFields(values = {}) {
  const fieldset = /** @type {HTMLFieldSetElement} */ (fromTemplate('member-fields-template'));
  const zone = /** @type {HTMLSelectElement} */ (find(fieldset, '[data-field="timezoneChoice"]'));
  for (const name of ZONES) zone.append(new Option(name, name));
  zone.append(new Option('Other…', OTHER_ZONE));
  const otherZone = find(fieldset, '.other-zone');
  zone.addEventListener('change', () => {
    otherZone.hidden = zone.value !== OTHER_ZONE;
  });
  for (const slot of fieldset.querySelectorAll('[data-error-for]'))
    slot.id = `member-${++fieldsetCount}-${/** @type {HTMLElement} */ (slot).dataset.errorFor}-error`;
  byId('member-fields').append(fieldset);
  fillMember(fieldset, values);
  renumberMembers();
}

/** @param {HTMLFieldSetElement} fieldset @param {Partial<typeof EXAMPLE[number]>} values */
function fillMember(fieldset, values) {
  input(fieldset, 'name').value = values.name ?? '';
  input(fieldset, 'phone').value = values.phone ?? '';
  input(fieldset, 'email').value = values.email ?? '';
  input(fieldset, 'checkInByEmail').checked = false;
  input(fieldset, 'checkInTime').value = values.checkInTime ?? '08:30';
  input(fieldset, 'goal').value = values.goal ?? '';
  input(fieldset, 'quietStart').value = DEFAULT_QUIET_HOURS.start;
  input(fieldset, 'quietEnd').value = DEFAULT_QUIET_HOURS.end;
  input(fieldset, 'timezoneOther').value = '';
  const zone = /** @type {HTMLSelectElement} */ (find(fieldset, '[data-field="timezoneChoice"]'));
  const wanted = values.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  zone.value = ZONES.includes(wanted) ? wanted : (ZONES[0] ?? '');
  find(fieldset, '.other-zone').hidden = true;
}

function renumberMembers() {
  const fieldsets = memberFieldsets();
  fieldsets.forEach((fieldset, index) => {
    find(fieldset, 'legend').textContent = `Member ${index + 1}`;
    fieldset.dataset.index = String(index);
  });
  /** @type {HTMLButtonElement} */ (byId('add-member')).disabled = fieldsets.length >= 8;
  /** @type {HTMLButtonElement} */ (byId('remove-member')).disabled = fieldsets.length <= 2;
}

function enrollment() {
  const members = memberFieldsets().map((fieldset) => {
    const zone = /** @type {HTMLSelectElement} */ (find(fieldset, '[data-field="timezoneChoice"]')).value;
    const email = input(fieldset, 'email').value.trim();
    return {
      name: input(fieldset, 'name').value,
      phone: input(fieldset, 'phone').value,
      ...(email ? { email } : {}),
      checkInBy: input(fieldset, 'checkInByEmail').checked ? 'email' : 'sms',
      timezone: zone === OTHER_ZONE ? input(fieldset, 'timezoneOther').value : zone,
      checkInTime: input(fieldset, 'checkInTime').value,
      quietHours: { start: input(fieldset, 'quietStart').value, end: input(fieldset, 'quietEnd').value },
      goal: input(fieldset, 'goal').value,
    };
  });
  const grace = /** @type {HTMLInputElement} */ (byId('grace-tokens')).value;
  return { members, ...(grace === '' ? {} : { graceTokensPerMonth: Number(grace) }) };
}

function clearErrors() {
  const form = byId('enroll-form');
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const field of form.querySelectorAll('[aria-invalid]')) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
}

/**
 * The fields a member must fill in, checked before anything is sent, so an empty form names each empty
 * field (the stack would also answer, but about phone numbers first).
 * @returns {{ path: string, message: string }[]}
 */
function missingFields() {
  /** @type {{ path: string, message: string }[]} */
  const issues = [];
  memberFieldsets().forEach((fieldset, index) => {
    const zone = /** @type {HTMLSelectElement} */ (find(fieldset, '[data-field="timezoneChoice"]')).value;
    const required = [
      ['name', input(fieldset, 'name').value],
      ['phone', input(fieldset, 'phone').value],
      ['timezone', zone === OTHER_ZONE ? input(fieldset, 'timezoneOther').value : zone],
      ['checkInTime', input(fieldset, 'checkInTime').value],
      ['goal', input(fieldset, 'goal').value],
    ];
    for (const [field, value] of required)
      if (!value?.trim()) issues.push({ path: `members.${index}.${field}`, message: 'is required' });
  });
  return issues;
}

/** The control an issue's field is typed into. @param {string} field @param {string | undefined} part */
function controlFor(field, part) {
  if (field === 'timezone') return ['timezoneChoice', 'timezoneOther'];
  if (field === 'quietHours') return [part === 'start' ? 'quietStart' : 'quietEnd'];
  if (field === 'checkInBy') return ['checkInByEmail'];
  return [field];
}

/**
 * Puts each issue next to its field (`members.1.phone` under member 2's phone), names the field, ties the
 * message to the field with aria-describedby and moves focus to the first field in trouble.
 * @param {{ path: string, message: string }[]} issues
 */
function showErrors(issues) {
  const form = byId('enroll-form');
  const fieldsets = memberFieldsets();
  /** @type {HTMLElement[]} */
  const invalid = [];
  for (const issue of issues) {
    const [head, index, field, part] = issue.path.split('.');
    /** @type {HTMLElement} */
    let scope = form;
    let slotName = 'form';
    let label = issue.path ? `${issue.path} ${issue.message}` : issue.message;
    /** @type {HTMLElement[]} */
    let controls = [];
    const fieldset = head === 'members' && index !== undefined ? fieldsets[Number(index)] : undefined;
    if (fieldset) {
      scope = fieldset;
      const known = field && fieldset.querySelector(`[data-error-for="${field}"]`);
      slotName = known ? (field ?? 'member') : 'member';
      label = known
        ? `${FIELD_NAMES[field ?? ''] ?? field} ${issue.message}`
        : `${issue.path.split('.').slice(2).join('.') || 'member'} ${issue.message}`;
      controls = controlFor(field ?? '', part)
        .map((name) => /** @type {HTMLElement | null} */ (fieldset.querySelector(`[data-field="${name}"]`)))
        .filter((control) => control !== null && !control.closest('[hidden]'))
        .map((control) => /** @type {HTMLElement} */ (control));
    } else if (head === 'graceTokensPerMonth') {
      slotName = 'graceTokensPerMonth';
      label = `${FIELD_NAMES.graceTokensPerMonth} ${issue.message}`;
      controls = [byId('grace-tokens')];
    }
    const slot = find(scope, `[data-error-for="${slotName}"]`);
    slot.textContent = slot.textContent ? `${slot.textContent}; ${label}` : label;
    for (const control of controls) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', slot.id);
      invalid.push(control);
    }
  }
  // The first field in the form's own order, not in the order the issues came.
  const first = [...form.querySelectorAll('[aria-invalid="true"]')].find((control) =>
    invalid.includes(/** @type {HTMLElement} */ (control)),
  );
  /** @type {HTMLElement} */ (first ?? byId('form-error')).focus();
}

/**
 * Runs `work` with the button marked busy (aria-disabled, never `disabled`, so it keeps keyboard focus);
 * a press while busy does nothing.
 * @param {HTMLButtonElement} button @param {() => Promise<void>} work
 */
async function whileBusy(button, work) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    await work();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}

/** @param {SubmitEvent} event */
async function submitEnrollment(event) {
  event.preventDefault();
  const submit = /** @type {HTMLButtonElement} */ (find(byId('enroll-form'), 'button[type="submit"]'));
  await whileBusy(submit, async () => {
    clearErrors();
    const missing = missingFields();
    if (missing.length > 0) {
      showErrors(missing);
      return;
    }
    try {
      const settings = await config();
      const { status, body } = await api('/partnerships', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.apiKey}` },
        body: JSON.stringify(enrollment()),
      });
      if (status === 201) {
        remember(body.id);
        await selectPartnership(body.id);
        // The form is gone: focus goes to the first phone, where the next step (YES) is typed.
        /** @type {HTMLElement | null} */ (document.querySelector('.member-card .composer input'))?.focus();
        return;
      }
      showErrors(body?.issues ?? [{ path: '', message: body?.error ?? `The stack answered ${status}` }]);
    } catch (error) {
      showErrors([{ path: '', message: error instanceof Error ? error.message : String(error) }]);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Which partnership is shown.

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
function remember(id) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify([...remembered().filter((each) => each !== id), id]));
}

/** @param {string} id */
function forget(id) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(remembered().filter((each) => each !== id)));
}

async function knownPartnerships() {
  const { ids } = await getJson('/local/simulator/partnerships');
  return [...new Set([...remembered(), ...ids])];
}

/** @param {boolean} enrolling @param {boolean} [moveFocus] */
function showEnrollment(enrolling, moveFocus = false) {
  byId('enroll-section').hidden = !enrolling;
  byId('partnership-section').hidden = enrolling || !state.partnershipId;
  byId('cancel-enroll').hidden = !state.partnershipId;
  // The button pressed has just been hidden: focus goes where the next step is.
  if (moveFocus) (enrolling ? input(byId('member-fields'), 'name') : byId('new-partnership')).focus();
}

/** @param {string | null} id */
async function selectPartnership(id) {
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

// ---------------------------------------------------------------------------------------------------------
// Rendering the partnership: phones, inboxes, state.

/** @param {Member} member @returns {Card} */
function buildCard(member) {
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
        await refresh();
      } catch (error) {
        say(card.sendStatus, error instanceof Error ? error.message : String(error), true);
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
      const email = lastEmails.find((each) => each.messageId === card.selected);
      if (!text || !email) return;
      return whileBusy(/** @type {HTMLButtonElement} */ (find(reply, 'button')), async () => {
        try {
          const { status, body } = await sendEmailReply(member, email, text);
          if (status === 202) {
            field.value = '';
            const outcome = body?.outcome;
            say(card.replyStatus, replyOutcome(outcome), outcome?.result === 'rejected');
          } else say(card.replyStatus, body?.issues?.[0]?.message ?? `The stack answered ${status}`, true);
          await refresh();
        } catch (error) {
          say(card.replyStatus, error instanceof Error ? error.message : String(error), true);
        }
      });
    });
  }
  return card;
}

/**
 * What became of an emailed reply, in words.
 * @param {{ result?: string, intents?: string[], reason?: string } | undefined} outcome
 */
function replyOutcome(outcome) {
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

/** @type {Email[]} */
let lastEmails = [];

/** A text the webhook refused; 0 is one still on its way. @param {number} status */
const isRefused = (status) => status !== 0 && status !== 200;

/**
 * One phone's thread: what we texted to it and what it texted us, in the order they happened.
 * @param {Member} member @param {OutboxSms[]} outbox @param {InboundSms[]} inbound
 */
function thread(member, outbox, inbound) {
  /** @type {{ text: string, at: string, fromMember: boolean, failed: boolean }[]} */
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
 * @param {Card} card @param {Member} member @param {ReturnType<typeof thread>} messages
 */
function renderBubbles(card, member, messages) {
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

/** @param {Card} card @param {Member} member @param {Email[]} emails */
function renderInbox(card, member, emails) {
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
            renderInbox(card, member, lastEmails);
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

async function refresh() {
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
    lastEmails = (await getJson('/local/simulator/emails')).email;
  if (state.cards.size === 0) {
    for (const member of partnership.members) state.cards.set(member.id, buildCard(member));
    byId('members-view').replaceChildren(...[...state.cards.values()].map((card) => card.root));
  }
  for (const member of partnership.members) {
    const card = state.cards.get(member.id);
    if (!card) continue;
    const time = localTime(now, member.timezone);
    card.localTime.textContent = `${time} in ${member.timezone}`;
    card.phoneClock.textContent = time;
    renderBubbles(card, member, thread(member, outbox.sms, inbound.sms));
    renderInbox(card, member, lastEmails);
  }
  const signature = JSON.stringify([partnership.members, pending]);
  if (signature !== stateSignature) {
    stateSignature = signature;
    byId('state-members').replaceChildren(...partnership.members.map(renderStateMember));
    renderSchedules(partnership, pending);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Phones nobody enrolled: a stranger starts a partnership by text (self-serve setup).

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

/** Adds a phone's card to the page (once per number). @param {string} number */
function addPhone(number) {
  if (state.phones.has(number)) return state.phones.get(number);
  const index = state.phones.size + 1;
  /** @type {Member} */
  const phone = /** @type {Member} */ ({
    id: `phone-${index}`,
    name: `Phone ${index}`,
    phone: number,
    goal: '',
    timezone: 'UTC',
  });
  const card = buildCard(phone);
  find(card.root, '.member-goal').textContent = 'Not in a partnership yet: text Hi to start one.';
  card.root.dataset.phone = number;
  state.phones.set(number, card);
  byId('phones-view').append(card.root);
  localStorage.setItem(PHONES_KEY, JSON.stringify([...state.phones.keys()]));
  return card;
}

/** Each added phone's thread. */
async function refreshPhones() {
  if (state.phones.size === 0) return;
  const [outbox, inbound] = await Promise.all([
    getJson('/local/outbox'),
    getJson('/local/simulator/inbound'),
  ]);
  for (const [number, card] of state.phones) {
    const phone = /** @type {Member} */ ({
      id: number,
      name: number,
      phone: number,
      goal: '',
      timezone: 'UTC',
    });
    renderBubbles(card, phone, thread(phone, outbox.sms, inbound.sms));
    card.phoneClock.textContent = localTime(state.now, 'UTC');
  }
}

/** @param {SubmitEvent} event */
async function submitNewPhone(event) {
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
  const card = addPhone(typed || freshNumber());
  field.value = '';
  await refreshPhones();
  /** @type {HTMLInputElement | null} */ (card?.root.querySelector('.composer input') ?? null)?.focus();
}

// ---------------------------------------------------------------------------------------------------------
// The clock.

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
    say(status, error instanceof Error ? error.message : String(error), true);
  } finally {
    for (const button of buttons) button.removeAttribute('aria-disabled');
    state.busy = false;
  }
}

/** The later of two instants: the clock never goes back. @param {string} at @param {string} now */
function notBefore(at, now) {
  return new Date(Math.max(Date.parse(at), Date.parse(now))).toISOString();
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

// ---------------------------------------------------------------------------------------------------------
// Start.

async function poll() {
  try {
    if (!state.busy) await refresh();
  } catch (error) {
    say(
      byId('clock-status'),
      `Lost the stack: ${error instanceof Error ? error.message : String(error)}`,
      true,
    );
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

async function start() {
  addMemberFields();
  addMemberFields();
  byId('add-member').addEventListener('click', () => addMemberFields());
  byId('remove-member').addEventListener('click', () => {
    const fieldsets = memberFieldsets();
    if (fieldsets.length > 2) fieldsets.at(-1)?.remove();
    renumberMembers();
  });
  byId('fill-example').addEventListener('click', () => {
    clearErrors();
    memberFieldsets().forEach((fieldset, index) => {
      fillMember(fieldset, EXAMPLE[index] ?? {});
    });
  });
  byId('enroll-form').addEventListener('submit', (event) =>
    submitEnrollment(/** @type {SubmitEvent} */ (event)),
  );
  byId('new-partnership').addEventListener('click', () => showEnrollment(true, true));
  byId('cancel-enroll').addEventListener('click', () => showEnrollment(false, true));
  byId('partnership-picker').addEventListener('change', (event) =>
    selectPartnership(/** @type {HTMLSelectElement} */ (event.target).value),
  );
  byId('next-event').addEventListener('click', () => clockAction(nextEvent));
  byId('plus-hour').addEventListener('click', () => clockAction(() => advanceBy(60)));
  byId('plus-day').addEventListener('click', () => clockAction(() => advanceBy(1440)));
  byId('jump-day14').addEventListener('click', () => clockAction(jumpToDay14));
  byId('new-phone-form').addEventListener('submit', (event) =>
    submitNewPhone(/** @type {SubmitEvent} */ (event)),
  );
  for (const number of rememberedPhones()) addPhone(number);

  const fromHash = new URLSearchParams(location.hash.slice(1)).get('p');
  const known = await knownPartnerships();
  await selectPartnership(fromHash ?? known.at(-1) ?? null);
  setTimeout(poll, POLL_MS);
}

start().catch((error) => {
  say(
    byId('clock-status'),
    `The simulator could not start: ${error instanceof Error ? error.message : error}`,
    true,
  );
});
