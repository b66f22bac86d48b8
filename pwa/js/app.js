// App shell: hash router, view loading, focus management, preferences, offline banner, service worker.
import { t, setLang, lang, translateStatic } from './i18n.js';
import { renderRegionBar } from './region.js';
import { ago, drewFrom } from './api.js';

const home = document.getElementById('home');
const view = document.getElementById('view');
const net = document.getElementById('net');

// Route table: pattern on the hash path -> view module and its export. Views load on demand.
const ROUTES = [
  [/^\/search$/, 'search', 'search'],
  [/^\/hot\/([\w-]+)$/, 'search', 'hot'],
  [/^\/themes$/, 'themes', 'themes'],
  [/^\/themes\/([\w-]+)$/, 'themes', 'theme'],
  [/^\/matters\/([^/]+)$/, 'matter', 'matter'],
  [/^\/scenarios$/, 'scenarios', 'scenarios'],
  [/^\/scenarios\/([^/]+)$/, 'scenarios', 'scenario'],
  [/^\/points$/, 'points', 'points'],
  [/^\/region$/, 'region', 'region'],
  [/^\/login$/, 'auth', 'login'],
  [/^\/register$/, 'auth', 'register'],
  [/^\/me$/, 'me', 'me'],
  [/^\/me\/notifications$/, 'notify', 'notifications'],
  [/^\/me\/ledger$/, 'ledger', 'ledger'],
  [/^\/verify-message$/, 'verify-message', 'verifyMessage'],
  [/^\/grants$/, 'grants', 'grants'],
  [/^\/apply\/([^/]+)$/, 'apply', 'apply'],
  [/^\/applications$/, 'applications', 'applications'],
  [/^\/applications\/([^/]+)$/, 'applications', 'application'],
  [/^\/progress$/, 'progress', 'progress'],
  [/^\/wallet$/, 'wallet', 'wallet'],
  [/^\/wallet\/([0-9a-f]{32})$/, 'wallet', 'licence'],
  [/^\/verify\/([0-9a-f]{32})$/, 'verify', 'verify'],
  [/^\/officer$/, 'officer', 'officer'],
  [/^\/officer\/questions$/, 'officer-questions', 'queue'],
  [/^\/officer\/questions\/([^/]+)$/, 'officer-questions', 'question'],
  [/^\/officer\/campaigns$/, 'campaigns', 'campaigns'],
  [/^\/officer\/campaigns\/([^/]+)$/, 'campaigns', 'campaign'],
  [/^\/officer\/([^/]+)$/, 'officer', 'officerApp'],
  [/^\/catalogue$/, 'catalogue', 'catalogue'],
  [/^\/inbox$/, 'inbox', 'inbox'],
  [/^\/questions\/([^/]+)$/, 'questions', 'question'],
  [/^\/ask$/, 'questions', 'ask'],
  [/^\/supervision$/, 'supervision', 'dashboard'],
  [/^\/report$/, 'report', 'report'],
];
const ACCOUNT = /^\/(me|grants|login|register|applications|wallet)(\/|$)/; // the "我的" tab
const SIGNED_IN = /^\/(apply|officer|catalogue|inbox|questions|ask|supervision)(\/|$)/; // screens that need the account code too

// The account code (session.js, through the header's identity switcher that draws it) loads only
// with a stored session or an account screen.
let session = null;
const loadSession = () => (session ||= import('./views/idbar.js'));
function hasSession() {
  return document.cookie.split(/;\s*/).includes('__Secure-hall_in=1'); // session.js's marker
}

function storedOwner() {
  try { return Boolean(localStorage.getItem('mz.pid')); } catch { return false; } // session.js's PID
}

let renderSeq = 0;
/** The screen has its heading: drop prefs.js's deep-link mark (it hid the home until now). */
const drawn = () => document.documentElement.classList.remove('deep');
let firstRoute = true;
let lastHash = ''; // the screen before "我的地区", to go back to after choosing

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, qs = ''] = raw.split('?');
  let decoded = path;
  try { decoded = decodeURI(path); } catch { /* malformed: route as typed */ }
  return { path: decoded, query: new URLSearchParams(qs) };
}

function markNav(path) {
  for (const a of document.querySelectorAll('.nav a')) {
    const target = a.getAttribute('href').slice(1);
    const on = target === '/' ? path === '/' : target === '/me' ? ACCOUNT.test(path) : path.startsWith(target);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const rl = document.getElementById('region-link');
  if (path === '/region') rl.setAttribute('aria-current', 'page'); else rl.removeAttribute('aria-current');
}

function focusHeading(root) {
  const h1 = root.querySelector('h1');
  document.title = h1 && root !== home ? `${h1.textContent} - ${t('site')}` : t('site');
  // On the first load leave focus alone so Tab reaches the skip link first.
  if (h1 && !firstRoute) h1.focus();
  firstRoute = false;
}

async function route() {
  if (location.hash && !location.hash.startsWith('#/')) return; // in-page anchors such as #main
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const from = lastHash;
  if (path !== '/region') lastHash = location.hash || '#/';
  markNav(path);
  if (ACCOUNT.test(path) || SIGNED_IN.test(path)) loadSession();
  if (path === '/') {
    view.hidden = true;
    view.replaceChildren();
    home.hidden = false;
    drawn();
    focusHeading(home);
    import('./views/home.js').then((m) => m.enhance(home));
    return;
  }
  const hit = ROUTES.map(([re, mod, fn]) => [path.match(re), mod, fn]).find(([m]) => m);
  const el = document.createElement('div');
  home.hidden = true;
  view.hidden = false;
  view.replaceChildren(el);
  try {
    if (!hit) throw Object.assign(new Error('no route'), { notFound: true });
    const [m, mod, fn] = hit;
    const views = await import(`./views/${mod}.js`);
    if (seq !== renderSeq) return;
    const drawing = views[fn](el, { args: m.slice(1).map(decodeURIComponent), query, from });
    drawn(); // views draw their heading before they wait for data
    await drawing;
  } catch (err) {
    if (seq !== renderSeq) return;
    drawn();
    if (err.notFound) {
      el.replaceChildren();
      const h1 = document.createElement('h1');
      h1.tabIndex = -1;
      h1.textContent = t('notFound');
      const a = document.createElement('a');
      a.href = '#/';
      a.textContent = t('goHome');
      el.append(h1, a);
    } else {
      console.warn('view failed', err); // the view shows its own friendly error box
    }
  }
  if (seq === renderSeq) focusHeading(el);
}

let copyAt = null; // the oldest offline copy (ms) the current screen shows: the banner says its age

function showNet(offline) {
  net.textContent = copyAt ? t('offlineCopy', { ago: ago(copyAt) }) : t('offline');
  net.hidden = !offline && !copyAt;
}

function applyPrefsUI() {
  const elder = document.documentElement.classList.contains('elder');
  document.getElementById('elder-toggle').setAttribute('aria-pressed', String(elder));
  const lt = document.getElementById('lang-toggle');
  lt.textContent = lang() === 'en' ? '中文' : 'English';
  lt.lang = lang() === 'en' ? 'zh-CN' : 'en';
  if (lang() === 'en' || lt.dataset.translated) { translateStatic(); lt.dataset.translated = '1'; }
  renderRegionBar();
  document.documentElement.classList.remove('i18n-wait'); // prefs.js: the English page may paint now
  if (session) session.then((m) => m.renderIdBar());
}

function init() {
  applyPrefsUI();

  document.getElementById('elder-toggle').addEventListener('click', () => {
    const on = document.documentElement.classList.toggle('elder');
    try { localStorage.setItem('mz.elder', on ? '1' : '0'); } catch { /* private mode */ }
    applyPrefsUI();
  });
  document.getElementById('lang-toggle').addEventListener('click', () => {
    setLang(lang() === 'en' ? 'zh' : 'en');
    applyPrefsUI();
    firstRoute = true; // re-render in place without stealing focus from the button
    route();
  });

  // Skip link: move focus to <main> without touching the hash (the hash is the router's).
  document.getElementById('skip').addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  });

  // Search forms submit to the router; without JS they submit ?q= to "/" (handled below).
  document.addEventListener('submit', (e) => {
    const form = e.target.closest('form[role="search"]');
    if (!form) return;
    e.preventDefault();
    const q = new FormData(form).get('q')?.toString().trim();
    if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });

  // A licence's QR code holds <host>/verify/<id>; the server answers that path with this shell.
  const v = /^\/verify\/([0-9a-f]{32})$/.exec(location.pathname);
  if (v) history.replaceState(null, '', `/#/verify/${v[1]}`);
  const q = new URLSearchParams(location.search).get('q');
  if (q) history.replaceState(null, '', `/#/search?q=${encodeURIComponent(q)}`);

  addEventListener('hashchange', route);
  // A new identity (the header's switcher): show the screen again as that identity, focus stays put.
  document.addEventListener('mz:identity', () => { firstRoute = true; route(); });
  // Once the session is known the identity row shows what it is: drop prefs.js's reservation
  // (after this event's listeners, idbar.js's among them, so no frame falls in between).
  document.addEventListener('mz:session', () => queueMicrotask(() => document.documentElement.classList.remove('signed-in')));
  // The unread badge on 首页 (badge.js) follows the session once there is one.
  document.addEventListener('mz:session', () => { if (hasSession()) import('./badge.js').then((m) => m.watch()); });
  if (hasSession()) loadSession().then((m) => m.boot());
  // A session that ended while no page was open left its owner's id: session.js, on loading,
  // forgets what the device holds of them (device.js), before anyone else uses the phone.
  else if (storedOwner()) import('./session.js');
  addEventListener('online', () => showNet(false));
  addEventListener('offline', () => showNet(true));
  document.addEventListener('mz:network-failed', () => showNet(true));
  if (navigator.onLine === false) showNet(true);
  watchFreshness();
  route();

  if ('serviceWorker' in navigator) addEventListener('load', () => registerWorker().catch(() => {}));
}

/** A newer worker waits (sw.js): offer it, and reload this tab once the person has taken it. */
async function registerWorker() {
  const sw = navigator.serviceWorker;
  const reg = await sw.register('/sw.js');
  const update = document.getElementById('sw-update');
  let taken = false;
  const offer = (worker) => {
    if (!sw.controller) return; // the first install: nothing to update from
    document.getElementById('data-update')?.setAttribute('hidden', ''); // the reload redraws anyway
    update.textContent = t('updateReady');
    update.hidden = false;
    update.onclick = () => { taken = true; update.disabled = true; worker.postMessage('skip-waiting'); };
  };
  if (reg.waiting) offer(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker?.addEventListener('statechange', () => { if (worker.state === 'installed') offer(worker); });
  });
  sw.addEventListener('controllerchange', () => { if (taken) location.reload(); });
  // The first visit loaded its modules before the worker was there: it keeps them (HTTP cache).
  if (!sw.controller) {
    sw.ready.then((r) => r.active?.postMessage({
      type: 'mz-loaded', urls: performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.includes('/v/')),
    }));
  }
  // An app left open for days never navigates: look for a newer version when it comes back.
  let checked = Date.now();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || Date.now() - checked < 3600e3) return;
    checked = Date.now();
    reg.update().catch(() => {});
  });
}

/**
 * Fresh enough, and honest about it (sw.js): newer public data redraws the screen in place, or,
 * while the person is typing, offers to; an offline copy's age shows in the banner.
 */
function watchFreshness() {
  let edited = false; // typed into the current screen since it was drawn
  let pending = null;
  const notice = document.createElement('button');
  Object.assign(notice, { type: 'button', id: 'data-update', className: 'sw-update', hidden: true });
  notice.addEventListener('click', () => redraw());
  document.body.append(notice);
  const typing = () => edited || document.activeElement?.matches('input, textarea, select, [contenteditable]');

  async function redraw() {
    notice.hidden = true;
    const y = scrollY;
    const focused = document.activeElement;
    const again = focused?.id ? `#${CSS.escape(focused.id)}` : focused?.matches('a[href]') && `a[href="${CSS.escape(focused.getAttribute('href'))}"]`;
    copyAt = null;
    showNet(navigator.onLine === false);
    if (parseHash().path === '/') {
      await (await import('./views/home.js')).enhance(home, true);
    } else {
      firstRoute = true; // in place: focus stays where the person left it
      await route();
    }
    edited = false;
    scrollTo(0, y);
    if (!document.contains(focused) && again) document.querySelector(again)?.focus({ preventScroll: true });
  }
  function newer() {
    if (!document.getElementById('sw-update').hidden) return; // taking the new version redraws it all
    if (typing()) {
      notice.textContent = t('newerData');
      notice.hidden = false;
    } else {
      clearTimeout(pending); // several answers of one screen: one redraw
      pending = setTimeout(redraw, 150);
    }
  }

  document.addEventListener('input', (e) => { if (e.target.closest?.('#main')) edited = true; });
  addEventListener('hashchange', () => {
    edited = false;
    clearTimeout(pending); // a redraw meant for the screen left behind must not redraw the new one
    notice.hidden = true;
    copyAt = null;
    showNet(navigator.onLine === false);
  });
  document.addEventListener('mz:offline-copy', (e) => {
    if (Number.isNaN(e.detail.at)) return;
    copyAt = Math.min(copyAt ?? Infinity, e.detail.at);
    showNet(true);
  });
  addEventListener('online', () => { if (copyAt) newer(); });
  const sw = navigator.serviceWorker;
  if (!sw) return;
  sw.addEventListener('message', (e) => {
    const msg = e.data || {};
    if (msg.type === 'mz-api-updated' && drewFrom(msg.url)) newer();
    if (msg.type === 'mz-api-offline' && drewFrom(msg.url)) {
      document.dispatchEvent(new CustomEvent('mz:offline-copy', { detail: { at: Date.parse(msg.fetched) } }));
    }
  });
  sw.startMessages();
}

init();
