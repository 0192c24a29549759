// @ts-check
/**
 * What the page holds between polls: one object, shared by the modules that read and redraw it.
 * @typedef {import('./types.js').Config} Config
 * @typedef {import('./types.js').Partnership} Partnership
 * @typedef {import('./types.js').Card} Card
 * @typedef {import('./types.js').Email} Email
 */

export const state = {
  /** @type {Config | null} */ config: null,
  /** @type {string | null} */ partnershipId: null,
  /** @type {Partnership | null} */ partnership: null,
  now: '',
  /** @type {Map<string, Card>} */ cards: new Map(),
  /** Phones added with "New phone": strangers, and people invited by text. @type {Map<string, Card>} */
  phones: new Map(),
  /** The outbox's emails as last read. @type {Email[]} */
  emails: [],
  busy: false,
};
