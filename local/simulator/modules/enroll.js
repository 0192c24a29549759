// @ts-check
/**
 * The enrollment form: two to eight members, checked for empty fields before anything is sent, and each of
 * the stack's 400 issues shown next to the field it is about.
 * @typedef {import('./types.js').Issue} Issue
 */
import { api, config } from './api.js';
import { byId, find, fromTemplate, messageOf, whileBusy } from './dom.js';
import { remember, selectPartnership, showEnrollment } from './partnership.js';
import { DEFAULT_QUIET_HOURS, FIELD_NAMES } from './words.js';

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
 * @returns {Issue[]}
 */
function missingFields() {
  /** @type {Issue[]} */
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
 * @param {Issue[]} issues
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
      showErrors([{ path: '', message: messageOf(error) }]);
    }
  });
}

/** The form with two empty members, and its buttons. */
export function setUpEnrollment() {
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
}
