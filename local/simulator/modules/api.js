// @ts-check
/**
 * The stack's HTTP surface, as the page uses it: the public routes plus the local ones (`/local/*`).
 * @typedef {import('./types.js').Config} Config
 * @typedef {import('./types.js').Schedule} Schedule
 */
import { state } from './state.js';

/** @param {string} path @param {RequestInit} [init] */
export async function api(path, init) {
  const response = await fetch(path, { cache: 'no-store', ...init });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : await response.text();
  return { status: response.status, body };
}

/** @param {string} path */
export async function getJson(path) {
  const { status, body } = await api(path);
  if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
  return body;
}

/** @returns {Promise<Config>} */
export async function config() {
  state.config ??= /** @type {Config} */ (await getJson('/local/simulator/config'));
  return state.config;
}

/** @param {{ minutes: number } | { to: string }} body @returns {Promise<{ now: string, fired: unknown[] }>} */
export async function advance(body) {
  const { status, body: answer } = await api('/local/clock/advance', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (status !== 200) throw new Error(answer?.issues?.[0]?.message ?? `the clock answered ${status}`);
  return answer;
}

/** @param {string | null} partnershipId @returns {Promise<Schedule[]>} */
export async function schedules(partnershipId) {
  const query = partnershipId ? `?partnership=${encodeURIComponent(partnershipId)}` : '';
  return (await getJson(`/local/simulator/schedules${query}`)).schedules;
}
