// Login state and the header's identity switcher.
// The access token lives in memory only; the refresh token in sessionStorage (this tab, gone when
// it closes). The refresh token rotates on every use, so refreshes run one at a time.
import { api, ApiError, friendly } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import './id-strings.js';
import './intake-strings.js';

const RT = 'mz.rt';
const ACT = 'mz.act'; // the identity chosen in this tab, re-entered after a refresh
const PID = 'mz.pid'; // the logged-in account's id: whose licences this device keeps offline
let access = null;
let refreshing = null;
let profileCache = null;
let lastBar = ''; // what the identity bar shows now

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
  renderIdBar();
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
      announce(t('idEnded', { name }));
      document.dispatchEvent(new CustomEvent('mz:identity'));
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
    renderIdBar();
  }
  return profileCache;
}

export async function logout() {
  try {
    if (access) await api('/auth/logout', { method: 'POST', token: access });
  } catch { /* the session ends here either way */ }
  clear();
}

/** On page load with a stored session: refresh, load the profile, show the switcher. */
export async function boot() {
  if (!loggedIn()) return renderIdBar();
  try { await profile(); } catch { renderIdBar(); }
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
  renderIdBar();
  document.dispatchEvent(new CustomEvent('mz:identity'));
  return profileCache ? currentIdentity(profileCache) : null;
}

function announce(text) {
  const status = document.getElementById('id-status');
  if (status) status.textContent = text;
}

/** The header row "当前身份：… · 切换" and its menu (a disclosure: the page is pushed down). */
export function renderIdBar() {
  const bar = document.getElementById('idbar');
  const slot = document.getElementById('id-slot');
  if (!bar || !slot) return;
  const p = access || getItem(RT) ? profileCache : null;
  officerNav(p);
  bar.hidden = !p;
  if (!p) { slot.replaceChildren(); lastBar = ''; return; }
  const current = currentIdentity(p);
  // Unchanged (a view reloaded the profile): keep the bar, its open menu and the focus in it.
  const key = JSON.stringify([document.documentElement.lang, identities(p), current.act]);
  if (key === lastBar && slot.firstChild) return;
  lastBar = key;
  const hadFocus = slot.contains(document.activeElement);
  const toggle = h('button', { type: 'button', class: 'idnow', id: 'id-toggle', 'aria-expanded': 'false', 'aria-controls': 'id-menu' },
    h('span', { id: 'id-now' }, t('idNow', { name: identityLabel(current) })), ' · ',
    h('span', { class: 'chg' }, t('idSwitch')));
  const menu = h('ul', { class: 'idmenu', id: 'id-menu', 'aria-label': t('idMenu'), hidden: true },
    identities(p).map((i) => h('li', null, h('button', {
      type: 'button', 'aria-current': i === current ? 'true' : null, onclick: () => choose(i),
    }, identityLabel(i)))),
    h('li', null, h('a', { href: '#/grants', onclick: () => open(false) }, t('grantsLink'))));

  function open(on) {
    toggle.setAttribute('aria-expanded', String(on));
    menu.hidden = !on;
  }
  async function choose(i) {
    if (i === current) { open(false); toggle.focus(); return; }
    try {
      const now = await switchIdentity(i.act);
      announce(t('idSwitched', { name: identityLabel(now || i) }));
    } catch (err) {
      announce(t('idFailed', { msg: friendly(err) }));
    }
    document.getElementById('id-toggle')?.focus();
  }
  toggle.addEventListener('click', () => open(menu.hidden));
  bar.onkeydown = (e) => {
    if (e.key === 'Escape' && !menu.hidden) { open(false); toggle.focus(); }
  };
  slot.replaceChildren(toggle, menu);
  if (hadFocus) toggle.focus();
}

/** The 工作台 tab, for officers only. */
function officerNav(p) {
  const ul = document.querySelector('.nav ul');
  const li = document.getElementById('nav-officer');
  const officer = Boolean(p && (p.roles || []).includes('officer'));
  if (!ul || officer === Boolean(li)) {
    if (li) li.firstChild.textContent = t('officerNav');
    return;
  }
  if (!officer) { li.remove(); return; }
  const a = h('a', { href: '#/officer' }, t('officerNav'));
  if (/^#\/officer(\/|$|\?)/.test(location.hash)) a.setAttribute('aria-current', 'page');
  ul.append(h('li', { id: 'nav-officer' }, a));
}
