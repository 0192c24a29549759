// @ts-check
/** Small DOM helpers: every piece of data the stack returns becomes text or an attribute, never markup. */

/** @param {string} id */
export function byId(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found;
}

/**
 * @template {HTMLElement} T
 * @param {ParentNode} root @param {string} selector @returns {T}
 */
export function find(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`${selector} is missing from the page`);
  return /** @type {T} */ (found);
}

/**
 * @param {string} tag @param {string} [className] @param {string} [text]
 */
export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** @param {string} templateId */
export function fromTemplate(templateId) {
  const template = /** @type {HTMLTemplateElement} */ (byId(templateId));
  return /** @type {HTMLElement} */ (
    /** @type {DocumentFragment} */ (template.content.cloneNode(true)).firstElementChild
  );
}

/** @param {HTMLElement} element @param {string} text @param {boolean} [isError] */
export function say(element, text, isError = false) {
  element.textContent = text;
  element.classList.toggle('error', isError);
}

/** An error's message, for a status line. @param {unknown} error */
export const messageOf = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `work` with the button marked busy (aria-disabled, never `disabled`, so it keeps keyboard focus);
 * a press while busy does nothing.
 * @param {HTMLButtonElement} button @param {() => Promise<void>} work
 */
export async function whileBusy(button, work) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    await work();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}
