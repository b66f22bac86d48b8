// Login state, with no screen: the tokens, their refresh, the profile and the party this tab acts
// for. The access token lives in memory only; the refresh token in sessionStorage (this tab, gone
// when it closes). The refresh token rotates on every use, so refreshes run one at a time.
// Changes are announced as events for the screens: "mz:session" (logged in or out, the profile or
// the acting identity changed: views/idbar.js redraws the header) and "mz:identity" (now acting as
// someone else: app.js shows the screen again; detail.ended names an authorisation that ended).
import { api, ApiError } from './api.js';
import { t } from './i18n.js';
import './id-strings.js';

const RT = 'mz.rt';
const ACT = 'mz.act'; // the identity chosen in this tab, re-entered after a refresh
const PID = 'mz.pid'; // the logged-in account's id: whose licences this device keeps offline
let access = null;
let refreshing = null;
let profileCache = null;

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

export const loggedIn = () => Boolean(access || getItem(RT));

/** Whose wallet this tab opens (the represented party's, else the person's); works offline. */
export function holderKey() {
  const act = savedAct();
  if (act) return `${act.kind}:${act.id}`;
  const pid = getItem(PID);
  return pid ? `person:${pid}` : null;
}

/** Keep the tokens of a login or registration. */
export function startSession(tokens) {
  access = tokens.access_token;
  setItem(RT, tokens.refresh_token);
  setItem(ACT, null);
  setItem(PID, tokens.account?.id || null);
  profileCache = null;
}

function clear() {
  access = null;
  profileCache = null;
  setItem(RT, null);
  setItem(ACT, null);
  setItem(PID, null);
  changed();
}

/** A new access token from the refresh token (rotated and stored). False: the session is over. */
function refresh() {
  refreshing ||= (async () => {
    const rt = getItem(RT);
    if (!rt) return false;
    try {
      const tokens = await api('/auth/refresh', { body: { refresh_token: rt } });
      access = tokens.access_token;
      setItem(RT, tokens.refresh_token);
    } catch (err) {
      if (err.status === 0 || err.status === 429 || err.status >= 500) throw err; // try again later
      clear();
      return false;
    }
    const act = savedAct(); // a refreshed token is personal: act for the chosen party again
    if (act) {
      try {
        access = (await api('/auth/switch', { body: { act_as: act }, token: access })).access_token;
      } catch {
        setItem(ACT, null);
      }
    }
    return true;
  })().finally(() => { refreshing = null; });
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
    profileCache = await authed('/me');
    setItem(PID, profileCache.id);
    changed();
  }
  return profileCache;
}

/** The profile already loaded, while logged in (null otherwise): what the header shows. */
export const cachedProfile = () => (access || getItem(RT) ? profileCache : null);

export async function logout() {
  try {
    if (access) await api('/auth/logout', { method: 'POST', token: access });
  } catch { /* the session ends here either way */ }
  clear();
}

/** On page load with a stored session (and after a login): refresh and load the profile. */
export async function boot() {
  if (!loggedIn()) return changed();
  try { await profile(); } catch { changed(); }
}

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
