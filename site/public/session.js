// The signed-in session for the account pages: the access token lives in this module's memory only (never in
// localStorage, sessionStorage, a readable cookie or a URL); the refresh token is the API's HttpOnly cookie, traded
// for a new access token on each page load. Pages import { api, restore, login, logout, ... } from here.
const API = '/api/v1';
// Not a token: only "this browser signed in", so pages of readers who never did make no API call (and log no 401).
const HINT = 'afwd-signed-in';
const WEB = { 'X-Requested-With': 'afwd-web' };

let accessToken = null;
let refreshing;

const storage = () => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};
const setHint = (on) => {
  const s = storage();
  if (!s) return;
  if (on) s.setItem(HINT, '1');
  else s.removeItem(HINT);
};

/** True when this browser has signed in and not signed out since: a refresh is worth trying. */
export const mightBeSignedIn = () => storage()?.getItem(HINT) === '1';

async function parse(response) {
  const type = response.headers.get('content-type') ?? '';
  if (!/json/.test(type)) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** A fetch that never throws: { ok, status, data } where data is the JSON body (a problem on failure) or null. */
async function call(path, { method = 'GET', body, headers = {}, token } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(`${API}${path}`, init);
    return { ok: response.ok, status: response.status, data: await parse(response) };
  } catch {
    return { ok: false, status: 0, data: null };
  }
}

/**
 * Trades the refresh cookie for a new access token. One at a time across tabs (each refresh token works once), and
 * one per page however many calls want it.
 */
function refresh() {
  const run = async () => {
    const result = await call('/auth/refresh', { method: 'POST', headers: WEB });
    accessToken = result.ok && typeof result.data?.accessToken === 'string' ? result.data.accessToken : null;
    // A refusal means the session is over; a network failure or a 5xx may pass, so the hint stays for next time.
    if (!accessToken && result.status >= 400 && result.status < 500) setHint(false);
    return accessToken !== null;
  };
  return (refreshing ??= (navigator.locks ? navigator.locks.request('afwd-refresh', run) : run()).finally(() => {
    refreshing = undefined;
  }));
}

/** Restores the session through the cookie once per page load; resolves true when signed in. */
export function restore() {
  if (accessToken) return Promise.resolve(true);
  if (!mightBeSignedIn()) return Promise.resolve(false);
  return refresh();
}

export const signedIn = () => accessToken !== null;

/**
 * Calls the API as the signed-in user; on a 401 refreshes once and retries. Resolves { ok, status, data };
 * status 401 after the retry means the session is gone.
 */
export async function api(path, options = {}) {
  if (!accessToken) await restore();
  const sent = accessToken;
  const first = await call(path, { ...options, token: sent });
  if (first.status !== 401 || !mightBeSignedIn()) return first;
  // Another call may have refreshed meanwhile: then its token is the one to retry with.
  if (accessToken === sent && !(await refresh())) return first;
  if (!accessToken) return first;
  return call(path, { ...options, token: accessToken });
}

/** Logs in; the API sets the refresh cookie, and the refresh token in the body is dropped, never stored. */
export async function login(email, password) {
  const result = await call('/auth/login', { method: 'POST', body: { email, password }, headers: WEB });
  if (result.ok && typeof result.data?.accessToken === 'string') {
    accessToken = result.data.accessToken;
    setHint(true);
    return { ok: true, status: result.status, data: null };
  }
  return result;
}

export const register = (email, password) => call('/auth/register', { method: 'POST', body: { email, password } });

/** Ends the session on the server (the cookie's refresh token is revoked) and here. */
export async function logout() {
  await call('/auth/logout', { method: 'POST', headers: WEB });
  forget();
}

/** Forgets the session here only (after the account was deleted, say). */
export function forget() {
  accessToken = null;
  setHint(false);
}

/** Calls without a session: password reset and the like. */
export const publicCall = call;

/** The message to show for a failed call: the problem's detail, else a plain fallback. */
export function problemText(result, fallback = 'Something went wrong; try again.') {
  if (result.status === 0) return 'The server cannot be reached; check your connection and try again.';
  const problem = result.data ?? {};
  const detail =
    typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : '';
  return detail || fallback;
}

/** A path on this site to return to after logging in (?next=), never another origin. */
export function nextPath(search = location.search) {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/')) return null;
  // Parsed as the browser will (it drops tabs and newlines, reads a backslash as "/"): "/<tab>/evil.example" stays.
  // Dot segments can leave a path that starts "//" ("/..//evil.example"), which the browser would read as another
  // host: refused too.
  try {
    const url = new URL(next, location.origin);
    if (url.origin !== location.origin || url.pathname.startsWith('//')) return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}
