// The header's identity switcher ("当前身份：… · 切换" and its menu) and the staff tabs (工作台 for
// officers, 目录 for catalogue editors), with where each staff role lands after logging in:
// the screen of the session's state, redrawn whenever session.js says it changed. app.js loads the
// account code through this module, so the header is listening before any session event.
import { friendly } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import '../id-strings.js';
import '../intake-strings.js';
import '../staff-strings.js';
import { cachedProfile, currentIdentity, identities, identityLabel, switchIdentity } from '../session.js';

export { boot } from '../session.js';

let lastBar = ''; // what the identity bar shows now

function announce(text) {
  const status = document.getElementById('id-status');
  if (status) status.textContent = text;
}

/** The header row "当前身份：… · 切换" and its menu (a disclosure: the page is pushed down). */
export function renderIdBar() {
  const bar = document.getElementById('idbar');
  const slot = document.getElementById('id-slot');
  if (!bar || !slot) return;
  const p = cachedProfile();
  staffNav(p);
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

// Staff tabs, in this order after the public ones: role -> tab id, target, label key.
const STAFF_TABS = [
  ['officer', 'nav-officer', '/officer', 'officerNav'],
  ['catalogue_admin', 'nav-catalogue', '/catalogue', 'catalogueNav'],
  ['supervisor', 'nav-supervision', '/supervision', 'svNav'],
  ['head', 'nav-head', '/supervision', 'svNav'],
];

/** Where staff land after logging in: their workbench (officers their queue, catalogue editors
 * the catalogue); everyone else their own page. */
export function staffHome(p) {
  const roles = (p && p.roles) || [];
  return (STAFF_TABS.find(([role]) => roles.includes(role)) || [null, null, '/me'])[2];
}

/** The staff tabs the profile's roles give, added or removed as the session changes. */
function staffNav(p) {
  const ul = document.querySelector('.nav ul');
  if (!ul) return;
  const roles = (p && p.roles) || [];
  for (const [role, id, path, key] of STAFF_TABS) {
    const li = document.getElementById(id);
    if (!roles.includes(role)) { li?.remove(); continue; }
    if (li) { li.firstChild.textContent = t(key); continue; }
    const a = h('a', { href: `#${path}` }, t(key));
    if (new RegExp(`^#${path}(/|$|\\?)`).test(location.hash)) a.setAttribute('aria-current', 'page');
    ul.append(h('li', { id, class: 'staff' }, a));
  }
}

document.addEventListener('mz:session', renderIdBar);
document.addEventListener('mz:identity', (e) => {
  if (e.detail?.ended) announce(t('idEnded', { name: e.detail.ended }));
});
renderIdBar(); // whatever the session knew before this module was loaded
