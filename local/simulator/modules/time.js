// @ts-check
/** Time, as each member lives it. */

/** @param {string} iso @param {string} timeZone */
export function localTime(iso, timeZone) {
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
export function localDate(iso, timeZone) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** @param {string} date YYYY-MM-DD @param {number} days */
export function addDays(date, days) {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

/** The later of two instants: the clock never goes back. @param {string} at @param {string} now */
export function notBefore(at, now) {
  return new Date(Math.max(Date.parse(at), Date.parse(now))).toISOString();
}
