// @ts-check
/**
 * The local simulator's page: an enrollment form, one phone and one inbox per member, clock controls and a
 * state panel, over the local stack's public HTTP surface only. Plain browser ES modules served as written
 * (no build step); `local/simulator/tsconfig.json` type-checks them in `npm test`. Everything it shows from
 * the stack goes through `textContent` or an attribute, never `innerHTML`; emails are shown in sandboxed
 * frames.
 *
 * The modules, each importing only those below it: main → clock, enroll → partnership → new-phone →
 * card → phone, inbox → api, state, dom, time, words, encoding, types.
 */
import { setUpClock } from './clock.js';
import { byId, messageOf, say } from './dom.js';
import { setUpEnrollment } from './enroll.js';
import { setUpNewPhones } from './new-phone.js';
import { knownPartnerships, refresh, selectPartnership } from './partnership.js';
import { state } from './state.js';

const POLL_MS = 1000;

async function poll() {
  try {
    if (!state.busy) await refresh();
  } catch (error) {
    say(byId('clock-status'), `Lost the stack: ${messageOf(error)}`, true);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

async function start() {
  setUpEnrollment();
  byId('partnership-picker').addEventListener('change', (event) =>
    selectPartnership(/** @type {HTMLSelectElement} */ (event.target).value),
  );
  setUpClock();
  setUpNewPhones(refresh);

  const fromHash = new URLSearchParams(location.hash.slice(1)).get('p');
  const known = await knownPartnerships();
  await selectPartnership(fromHash ?? known.at(-1) ?? null);
  setTimeout(poll, POLL_MS);
}

start().catch((error) => {
  say(byId('clock-status'), `The simulator could not start: ${messageOf(error)}`, true);
});
