// Login state, with no screen: the tokens, their refresh, the profile and the party this tab acts
// for. The access token lives in memory only. The refresh token is in an HttpOnly cookie no script
// can read (sent to /api/v1/auth alone), shared by every tab of the site: a new tab or a reload
// refreshes with it. It rotates on every use, so the tabs refresh one at a time (a Web Lock; the
// server also forgives a token spent a few seconds ago, for browsers without locks). A script-
// readable marker cookie (no secret) says a session may be there. Logging out in one tab logs
// out all of them (a BroadcastChannel).
// Changes are announced as events for the screens: "mz:session" (logged in or out, the profile or
// the acting identity changed: views/idbar.js redraws the header) and "mz:identity" (now acting as
// someone else: app.js shows the screen again; detail.ended names an authorisation that ended).
// Every way a session ends forgets what the device holds of the person (device.js): the logout
// button, a logout in another tab, a refresh or call that finds the session gone, a session that
// ended unseen (the browser closed: its cookies went, the person's id stayed), another person
// logging in here, and an idle shared phone.
import { api, ApiError } from './api.js';
import { dropPush, forgetCopies, forgetDevice, idleTooLong, setShared, sharedDevice, watchShared } from './device.js';
import { t } from './i18n.js';
import './id-strings.js';

const MARKER = '__Secure-hall_in'; // set and cleared with the refresh cookie by the server
const ACT = 'mz.act'; // the identity chosen in this tab, re-entered after a refresh
const PID = 'mz.pid'; // the logged-in account's id: whose licences this device keeps offline
const LOCK = 'mz-refresh';
const PERSONAL = /^#\/(me|grants|applications|wallet|apply|officer|catalogue|inbox|questions)\b/; // screens of the session
let access = null;
let refreshing = null;
let profileCache = null;
let ended = 0; // sessions ended in this tab: an answer that arrives after its session ended is dropped

const changed = () => document.dispatchEvent(new CustomEvent('mz:session'));
const identityChanged = (detail = {}) => document.dispatchEvent(new CustomEvent('mz:identity', { detail }));

function getItem(key) {
  try { return sessionStorage.getItem(key); } catch { return null; }
}
function setItem(key, value) {
  try {
    if (value == null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
  } catch { /* storage blocked: the session lasts until the page closes */ }
}
function savedAct() {
  try { return JSON.parse(getItem(ACT) || 'null'); } catch { return null; }
}
// The account id is kept for every tab of this device (the offline wallet opens by it).
function getPid() {
  try { return localStorage.getItem(PID); } catch { return null; }
}
function setPid(value) {
  try {
    if (value == null) localStorage.removeItem(PID); else localStorage.setItem(PID, value);
  } catch { /* storage blocked */ }
}

const hasMarker = () => document.cookie.split(/;\s*/).includes(`${MARKER}=1`);
export const loggedIn = () => Boolean(access || hasMarker());
export { sharedDevice };

/** The logged-in person's account id (kept while they are logged in; offline too). */
export const personId = () => getPid();

/** Whose wallet this tab opens (the represented party's, else the person's); works offline. */
export function holderKey() {
  const act = savedAct();
  if (act) return `${act.kind}:${act.id}`;
  const pid = getPid();
  return pid ? `person:${pid}` : null;
}

// Tabs tell each other of logins and logouts.
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('mz-session') : null;
if (channel) {
  channel.onmessage = (e) => {
    if (e.data === 'logout') {
      forget();
      if (PERSONAL.test(location.hash)) location.hash = '#/login?bye=1';
    } else if (e.data === 'login' && !access) {
      boot();
    }
  };
}

/**
 * Keep the access token of a login or registration (the server set the refresh cookie).
 * shared: the person said this is a shared phone (公用手机): no offline copies, an idle logout.
 */
export async function startSession(tokens, { shared = false } = {}) {
  const id = tokens.account?.id || null;
  // Someone else was here (or a session ended unseen): nothing of theirs stays. A shared phone
  // keeps no offline copy, not even one its own person saved before.
  if (getPid() !== id) await forgetDevice();
  else if (shared) await forgetCopies();
  access = tokens.access_token;
  setItem(ACT, null);
  setShared(shared);
  setPid(id);
  profileCache = null;
  channel?.postMessage('login');
  watchShared(idleLogout);
}

/** Forget this tab's session and what the device holds of the person (the cookies are the
 * server's to clear, but the marker may go). */
function forget() {
  ended += 1;
  access = null;
  profileCache = null;
  setItem(ACT, null);
  setPid(null);
  changed();
  return forgetDevice();
}

function clear() {
  document.cookie = `${MARKER}=; Max-Age=0; Path=/; Secure; SameSite=Strict`;
  return forget();
}

/** A shared phone left untouched for a while logs out, in every tab. */
async function idleLogout() {
  await logout();
  if (PERSONAL.test(location.hash)) location.hash = '#/login?idle=1';
}

/** Run fn holding the tabs' refresh lock (one refresh at a time across the tabs). */
function locked(fn) {
  return navigator.locks?.request ? navigator.locks.request(LOCK, fn) : fn();
}

/** A new access token through the refresh cookie (which rotates). False: the session is over. */
function refresh() {
  refreshing ||= locked(async () => {
    if (!hasMarker()) return false;
    let token;
    try {
      token = (await api('/auth/refresh', { method: 'POST' })).access_token;
    } catch (err) {
      if (err.status === 0 || err.status === 429 || err.status >= 500) throw err; // try again later
      await clear(); // signed out elsewhere, or expired
      return false;
    }
    // A refreshed token is personal: act for the chosen party again before any call may use it
    // (a call made meanwhile would otherwise go out as the person).
    const act = savedAct();
    if (act) {
      try {
        token = (await api('/auth/switch', { body: { act_as: act }, token })).access_token;
      } catch (err) {
        if (err.status === 0 || err.status === 429 || err.status >= 500) throw err;
        setItem(ACT, null); // no longer theirs to act for
      }
    }
    access = token;
    return true;
  }).finally(() => { refreshing = null; });
  return refreshing;
}

function loginNeeded() {
  clear();
  const here = location.hash.slice(1) || '/';
  if (!/^\/(login|register)\b/.test(here)) {
    location.hash = `#/login?next=${encodeURIComponent(here)}&expired=1`;
  }
  return new ApiError(401, 'login_required');
}

/** Is a 403 about the chosen identity itself (its authorisation ended), not about the action? */
async function actEnded() {
  try {
    access = (await api('/auth/switch', { body: { act_as: savedAct() }, token: access })).access_token;
    return false;
  } catch (err) {
    return err.status === 403;
  }
}

/** Call the API as the logged-in person: refresh once on a 401, then send them to log in. */
export async function authed(path, opts = {}) {
  if (!access && !(await refresh())) throw loginNeeded();
  try {
    return await api(path, { ...opts, token: access });
  } catch (err) {
    if (err.status === 403 && savedAct() && await actEnded()) {
      // The authorisation behind the chosen identity ended: back to the personal identity.
      const name = currentLabel();
      setItem(ACT, null);
      if (!(await refresh())) throw loginNeeded();
      profileCache = null;
      identityChanged({ ended: name });
      return api(path, { ...opts, token: access });
    }
    if (err.status !== 401) throw err;
  }
  if (!(await refresh())) throw loginNeeded();
  try {
    return await api(path, { ...opts, token: access });
  } catch (err) {
    if (err.status === 401) throw loginNeeded();
    throw err;
  }
}

/** The profile (masked numbers), cached for this page; force to ask again. */
export async function profile(force = false) {
  if (!profileCache || force) {
    const epoch = ended;
    const p = await authed('/me');
    if (epoch !== ended) throw new ApiError(401, 'login_required'); // logged out meanwhile
    profileCache = p;
    setPid(profileCache.id);
    changed();
  }
  return profileCache;
}

/** The profile already loaded, while logged in (null otherwise): what the header shows. */
export const cachedProfile = () => (loggedIn() ? profileCache : null);

/** Log out this session, in every tab (the server clears both cookies), forgetting the device. */
export async function logout() {
  try {
    if (access || await refresh()) {
      // While the session holds, the server may drop this device's push subscription too.
      // DELETE /me/push-subscriptions comes with push notices; until then a 404 changes nothing.
      await dropPush((endpoint) => api('/me/push-subscriptions', { method: 'DELETE', body: { endpoint }, token: access }));
      await api('/auth/logout', { method: 'POST', token: access });
    }
  } catch { /* the session ends here either way */ }
  await clear();
  channel?.postMessage('logout');
}

/** On page load with a stored session (and after a login): refresh and load the profile. */
export async function boot() {
  if (!loggedIn()) return changed();
  if (sharedDevice() && idleTooLong()) return idleLogout();
  watchShared(idleLogout);
  try { await profile(); } catch { changed(); }
}

// A session that ended while no page was open (the browser closed and took its cookies): the
// person's id is still here, so forget what the device holds of them.
if (!loggedIn() && getPid()) forget();

// ---- identities -------------------------------------------------------------------------

/** 个人, each enterprise one represents, each party that authorised one. */
export function identities(p) {
  const list = [{ act: null, name: p.name, role: 'self' }];
  for (const e of p.enterprises || []) {
    list.push({ act: { kind: 'enterprise', id: e.uscc }, name: e.name, role: e.role });
  }
  for (const r of p.representing || []) {
    if (list.some((i) => i.act && i.act.kind === r.kind && i.act.id === r.id)) continue;
    list.push({ act: { kind: r.kind, id: r.id }, name: r.name || r.id, role: r.role });
  }
  return list;
}

const sameAct = (a, b) => (!a && !b) || (a && b && a.kind === b.kind && a.id === b.id);
export const identityLabel = (i) => `${i.name}（${t(`role_${i.role}`)}）`;

export function currentIdentity(p) {
  const all = identities(p);
  return all.find((i) => sameAct(i.act, p.acting_as)) || all[0];
}

function currentLabel() {
  return profileCache ? identityLabel(currentIdentity(profileCache)) : '';
}

/** Act for another party (null: oneself). Resolves to the new current identity. */
export async function switchIdentity(act) {
  const res = await authed('/auth/switch', { body: { act_as: act } });
  access = res.access_token;
  setItem(ACT, act ? JSON.stringify(act) : null);
  if (profileCache) profileCache = { ...profileCache, acting_as: res.acting_as };
  changed();
  identityChanged();
  return profileCache ? currentIdentity(profileCache) : null;
}
