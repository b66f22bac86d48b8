// Service worker: the versioned shell answers pages at once, public catalogue data is kept with its
// age (stale-while-revalidate within an age limit, network first past it), personal data never.
// Personal data (Authorization header, /api/v1/me — the page, the inbox, offers, questions —,
// officer, auth, grants, enterprises, applications, wallet, licences, progress, verify, admin,
// audit, dev) is never cached here. The wallet page itself keeps the licences its holder opened
// (caches named mz-wallet-*) and 我的办件 its list (mz-apps-*) so they show offline: this worker
// leaves those caches alone.
const VERSION = 'c0489c59c3c45';
const V = `/v/${VERSION}/`; // every asset of this version lives under it (pwa/tools/stamp.py)
const SHELL = `mz-shell-${VERSION}`;
const API = `mz-api-${VERSION}`;
const API_MAX_ENTRIES = 200;
const NAV_TIMEOUT_MS = 5000;
const API_TIMEOUT_MS = 4000; // past the age limit: how long the network may take before the old copy stands in
const FETCHED = 'X-Hall-Fetched'; // when this worker got a cached answer from the network (ISO time)
const OFFLINE = 'X-Hall-Offline'; // '1': the network failed and this is the old copy

// Fixed URLs: the page (every client route), the offline page, the manifest, the icon.
const PAGES = ['/', '/offline.html', '/manifest.webmanifest', '/favicon.svg'];
// Under V, precached at install: the shell every screen needs, which the page has just loaded
// (immutable URLs: they come from the HTTP cache, so a first visit pays for them once).
const ASSETS = [
  'css/app.css', 'js/prefs.js', 'js/app.js', 'js/api.js', 'js/dom.js', 'js/i18n.js', 'js/ui.js',
  'js/region.js', 'js/views/home.js', 'js/views/matter.js',
];
// Under V too, cached when first used: every other screen. Offline a screen shows only data
// fetched before, and fetching it loaded (and kept) its module; a newer version precaches the
// ones the person used under the older one (install, below).
const LAZY_ASSETS = [
  'js/views/search.js', 'js/views/themes.js', 'js/views/scenarios.js',
  'js/views/points.js', 'js/views/region.js',
  'js/session.js', 'js/forms.js', 'js/id-strings.js', 'js/status.js', 'js/intake.js',
  'js/intake-strings.js', 'js/staff-strings.js', 'js/views/idbar.js', 'js/views/auth.js',
  'js/views/me.js', 'js/views/grants.js', 'js/views/apply.js', 'js/views/applications.js',
  'js/views/wallet.js', 'js/views/verify.js', 'js/views/progress.js', 'js/views/officer.js',
  'js/views/officer-questions.js', 'js/officer-questions-strings.js',
  'js/views/catalogue.js', 'js/device.js', 'js/views/page.js', 'js/page-strings.js',
  'js/badge.js', 'js/views/inbox.js', 'js/views/offers.js', 'js/views/questions.js',
  'js/notify-strings.js', 'js/views/notify.js', 'js/views/ledger.js', 'js/views/verify-message.js',
  'js/views/campaigns.js',
  'js/views/supervision.js', 'js/views/supervision-cards.js', 'js/views/supervision-head.js', 'js/views/report.js', 'js/charts.js',
  'js/indicators.js', 'js/supervision-strings.js', 'css/supervision.css',
  'js/views/rating.js', 'js/rating-strings.js',
];
const KNOWN = new Set([...ASSETS, ...LAZY_ASSETS]);
const PUBLIC_API = /^\/api\/v1\/(themes|matters|scenarios|service-points|hot-services|regions|departments)(\/|$)/;
const PRIVATE_API = /^\/api\/v1\/(me|officer|auth|grants|enterprises|applications|wallet|licences|progress|verify|admin|audit|dev)(\/|$)/;
const WALLET_CACHES = /^mz-(wallet|apps)-/; // written by the wallet and my-applications pages, per holder
const HOUR = 3600 * 1000;
// How old a cached answer may be before the network is asked first. Regions and departments are
// administrative divisions (they change years apart); everything else follows the catalogue's
// publications (a guide's materials, a point's hours): a day, so a person never travels to a
// window on a guide older than yesterday's when the network can give today's.
const MAX_AGE = [[/^\/api\/v1\/(regions|departments)(\/|$)/, 7 * 24 * HOUR], [/./, 24 * HOUR]];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    // The pages are asked again (a 304 when unchanged); the assets may come from the HTTP cache.
    await cache.addAll([...PAGES.map((url) => new Request(url, { cache: 'no-cache' })), ...ASSETS.map((p) => V + p)]);
    // A page of another version would load other modules: refuse to install on a half-deployed site.
    for (const page of ['/', '/offline.html']) {
      if (!(await (await cache.match(page)).text()).includes(V)) throw new Error(`${page} is not ${VERSION}`);
    }
    await Promise.all((await usedBefore()).map((p) => cache.add(V + p).catch(() => {})));
    // The first worker starts at once; a newer one waits until the person taps the update
    // offer (the page posts 'skip-waiting'), so it never takes over a tab mid-task.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

/** The lazy modules an older version had cached: that person uses them, keep them offline. */
async function usedBefore() {
  const used = new Set();
  for (const key of await caches.keys()) {
    if (!key.startsWith('mz-shell-') || key === SHELL) continue;
    for (const req of await (await caches.open(key)).keys()) {
      const rel = new URL(req.url).pathname.replace(/^\/v\/\w+\//, '');
      if (LAZY_ASSETS.includes(rel)) used.add(rel);
    }
  }
  return [...used];
}

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  // The page lists the assets it loaded before this worker controlled it (from the HTTP cache).
  else if (event.data?.type === 'mz-loaded') event.waitUntil(keepLoaded(event.data.urls || []));
});

async function keepLoaded(urls) {
  const cache = await caches.open(SHELL);
  for (const url of urls) {
    const path = new URL(url, self.location.origin).pathname;
    if (path.startsWith(V) && KNOWN.has(path.slice(V.length)) && !(await cache.match(path))) {
      await cache.add(path).catch(() => {});
    }
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const keep = new Set([SHELL, API]);
    for (const key of await caches.keys()) if (!keep.has(key) && !WALLET_CACHES.test(key)) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.headers.has('Authorization') || PRIVATE_API.test(url.pathname)) return; // straight to the network
  if (req.mode === 'navigate') event.respondWith(isShellPage(url.pathname) ? shellPage(req) : navigate(req));
  else if (PUBLIC_API.test(url.pathname)) event.respondWith(publicData(event, req));
  else if (!url.pathname.startsWith('/api/')) event.respondWith(shellFirst(req, url));
});

/** The server answers every client route (/, /verify/<id>, /?q=) with index.html. */
function isShellPage(path) {
  if (path.startsWith('/api/') || path.startsWith('/.well-known/')) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.') || last === 'index.html';
}

/** Client routes: this version's page at once; the browser checks for a newer worker meanwhile. */
async function shellPage(req) {
  const shell = await caches.match('/', { cacheName: SHELL });
  return shell ? unredirect(shell) : navigate(req);
}

/** Other pages: the network (with a timeout for weak signals), else the shell, else offline.html. */
async function navigate(req) {
  try {
    return await withTimeout(fetch(req), NAV_TIMEOUT_MS);
  } catch {
    const cache = await caches.open(SHELL);
    const shell = await cache.match('/');
    return shell ? unredirect(shell) : (await cache.match('/offline.html')) || Response.error();
  }
}

/** Files: this version's cache first; a lazy module of this version is kept once fetched. */
async function shellFirst(req, url) {
  const hit = await caches.match(req, { ignoreSearch: true, cacheName: SHELL });
  if (hit) return hit;
  const res = await fetch(req);
  const rel = url.pathname.startsWith(V) && url.pathname.slice(V.length);
  if (res.ok && rel && KNOWN.has(rel)) {
    const copy = res.clone();
    caches.open(SHELL).then((cache) => cache.put(url.pathname, copy)).catch(() => {});
  }
  return res;
}

/**
 * Public catalogue data. Within its age limit: the cached copy at once, refreshed in the
 * background (the page is told when the refresh differs, and when it failed). Past the limit,
 * or never fetched: the network first; the old copy, marked offline, only when the network fails.
 */
async function publicData(event, req) {
  const cache = await caches.open(API);
  const cached = await cache.match(req);
  const fresh = fetchAndKeep(cache, req);
  if (cached && age(cached) <= maxAge(req)) {
    const told = changed(req, cached);
    event.waitUntil(fresh.then(told,
      () => tell(event.clientId, { type: 'mz-api-offline', url: req.url, fetched: cached.headers.get(FETCHED) })));
    return cached;
  }
  try {
    return (await withTimeout(fresh, cached ? API_TIMEOUT_MS : Infinity)).res;
  } catch {
    if (!cached) return offlineError();
    event.waitUntil(fresh.then(changed(req, cached), () => {})); // a late answer still redraws
    return marked(cached, { [OFFLINE]: '1' }, await cached.clone().blob());
  }
}

/** After a refresh: tell every window when the answer differs from the copy a page was given. */
function changed(req, cached) {
  const before = cached.clone().text(); // now: the page may read the copy itself meanwhile
  return async (got) => {
    if (got.body !== null && got.body !== (await before)) await tell(null, { type: 'mz-api-updated', url: req.url });
  };
}

/** The network's answer, stored with the time it came (body null: not stored). */
async function fetchAndKeep(cache, req) {
  const res = await fetch(req);
  if (!res.ok || !cacheable(res)) return { res, body: null };
  const body = await res.text();
  const stamped = marked(res, { [FETCHED]: new Date().toISOString() }, body);
  await cache.put(req, stamped.clone());
  await trim(cache);
  return { res: stamped, body };
}

function marked(res, extra, body) {
  const headers = new Headers(res.headers);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}

function age(res) {
  const at = Date.parse(res.headers.get(FETCHED) || '');
  return Number.isNaN(at) ? Infinity : Date.now() - at;
}

function maxAge(req) {
  const path = new URL(req.url).pathname;
  return MAX_AGE.find(([re]) => re.test(path))[1];
}

/** A message to the page that asked (clientId), or to every window of the app (null). */
async function tell(clientId, msg) {
  const to = clientId ? [await self.clients.get(clientId)] : await self.clients.matchAll({ type: 'window' });
  for (const client of to) client?.postMessage(msg);
}

function cacheable(res) {
  const cc = res.headers.get('Cache-Control') || '';
  return !/no-store|private/i.test(cc) && !res.headers.has('Set-Cookie');
}

async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - API_MAX_ENTRIES))) await cache.delete(key);
}

function offlineError() {
  const body = { error: { code: 'offline', message: 'offline and not cached', request_id: null } };
  return new Response(JSON.stringify(body), {
    status: 503, headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function withTimeout(promise, ms) {
  if (ms === Infinity) return promise;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/** A redirected response cannot answer a navigation; copy it into a plain one. */
async function unredirect(res) {
  if (!res.redirected) return res;
  return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers });
}

// ---- Web Push ------------------------------------------------------------------------------
// The lock screen says only that there is a message: whatever a payload carries, the worker
// shows this text (no name, no number, no link of anyone's choosing); the details show in the
// app once it is open and logged in. The payload gives the notice's id (the tag: a repeated push
// replaces its notification) and the screen to open. The app's language switch is not readable
// here (localStorage): the browser's language picks the text.
const PUSH_TEXT = {
  zh: { title: '梅州政务服务', body: '您有一条新消息' },
  en: { title: 'Meizhou Government Services', body: 'You have a new message' },
};
const PUSH_ICON = '/icons/icon-192.png';
const PUSH_ROUTE = /^#\/[A-Za-z0-9/_-]{0,100}$/; // a hash route of this app, nothing else

self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch { data = {}; }
  const text = /^en\b/i.test(self.navigator.language || '') ? PUSH_TEXT.en : PUSH_TEXT.zh;
  const id = typeof data.id === 'string' && /^[\w-]{1,120}$/.test(data.id) ? data.id : 'mz-inbox';
  event.waitUntil(self.registration.showNotification(text.title, {
    body: text.body, icon: PUSH_ICON, badge: PUSH_ICON, tag: id, lang: text === PUSH_TEXT.en ? 'en' : 'zh-CN',
    data: { url: pushRoute(data.url) },
  }));
});

/** The screen a notification opens: a same-origin hash route only, else the inbox. */
function pushRoute(url) {
  return typeof url === 'string' && PUSH_ROUTE.test(url) ? url : '#/inbox';
}

/** The screen a tap opens, marked as a tap (via=push, and the notice's id when the push named
 * one): the inbox opens that notice and reports it read through the notification, so the
 * campaign's report counts it clicked. */
function tappedRoute(route, tag) {
  const marker = 'via=push' + (tag && tag !== 'mz-inbox' ? '&n=' + encodeURIComponent(tag) : '');
  return route + (route.includes('?') ? '&' : '?') + marker;
}

/** The absolute URL a tap on this notification opens. */
function tapTarget(notification) {
  return new URL('/' + tappedRoute(pushRoute(notification.data?.url), notification.tag), self.location.origin).href;
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = tapTarget(event.notification);
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const client = open.find((c) => new URL(c.url).origin === self.location.origin);
    if (!client) return self.clients.openWindow(target);
    const focused = await client.focus();
    // A hash change only: the open app switches screens without a reload.
    return 'navigate' in focused && focused.url !== target ? focused.navigate(target).catch(() => focused) : focused;
  })());
});
