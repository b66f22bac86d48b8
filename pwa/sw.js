// Service worker: precached shell, stale-while-revalidate public catalogue, network-first pages.
// Personal data (Authorization header, /api/v1/me, officer, auth, grants, enterprises, applications,
// wallet, dev) is never cached here. The wallet page itself keeps the licences its holder opened
// (caches named mz-wallet-*) and 我的办件 its list (mz-apps-*) so they show offline: this worker
// leaves those caches alone.
const VERSION = 'c95c9231d0a58';
const SHELL = `mz-shell-${VERSION}`;
const API = `mz-api-${VERSION}`;
const API_MAX_ENTRIES = 200;
const NAV_TIMEOUT_MS = 5000;

const SHELL_FILES = [
  '/', '/offline.html', '/manifest.webmanifest', '/favicon.svg', '/css/app.css',
  '/js/prefs.js', '/js/app.js', '/js/api.js', '/js/dom.js', '/js/i18n.js', '/js/ui.js', '/js/region.js',
  '/js/views/home.js', '/js/views/search.js', '/js/views/themes.js', '/js/views/matter.js',
  '/js/views/scenarios.js', '/js/views/points.js', '/js/views/region.js',
  '/js/session.js', '/js/forms.js', '/js/id-strings.js', '/js/status.js',
  '/js/views/idbar.js', '/js/views/auth.js', '/js/views/me.js', '/js/views/grants.js',
  '/js/intake.js', '/js/intake-strings.js', '/js/views/apply.js', '/js/views/applications.js',
  '/js/views/wallet.js', '/js/views/verify.js', '/js/views/officer.js',
  '/js/staff-strings.js', '/js/views/catalogue.js', '/js/views/progress.js',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png', '/icons/apple-touch-icon.png',
];
const PUBLIC_API = /^\/api\/v1\/(themes|matters|scenarios|service-points|hot-services|regions|departments)(\/|$)/;
const PRIVATE_API = /^\/api\/v1\/(me|officer|auth|grants|enterprises|applications|wallet|dev)(\/|$)/;
const WALLET_CACHES = /^mz-(wallet|apps)-/; // written by the wallet and my-applications pages, per holder

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' })));
    // The first worker starts at once; a newer one waits until the person taps the update
    // offer (the page posts 'skip-waiting'), so it never takes over a tab mid-task.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

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
  if (req.mode === 'navigate') event.respondWith(navigate(req));
  else if (PUBLIC_API.test(url.pathname)) event.respondWith(staleWhileRevalidate(event, req));
  else if (!url.pathname.startsWith('/api/')) event.respondWith(shellFirst(req));
});

/** Pages: the network (with a timeout for weak signals), else the cached shell, else offline.html. */
async function navigate(req) {
  try {
    return await withTimeout(fetch(req), NAV_TIMEOUT_MS);
  } catch {
    const cache = await caches.open(SHELL);
    const shell = await cache.match('/');
    return shell ? unredirect(shell) : (await cache.match('/offline.html')) || Response.error();
  }
}

/** Shell files: cache first (they are versioned with VERSION), network for anything else. */
async function shellFirst(req) {
  const hit = await caches.match(req, { ignoreSearch: true, cacheName: SHELL });
  return hit || fetch(req);
}

/** Public catalogue data: answer from the cache at once, refresh it in the background. */
async function staleWhileRevalidate(event, req) {
  const cache = await caches.open(API);
  const cached = await cache.match(req);
  const fresh = fetch(req).then(async (res) => {
    if (res.ok && cacheable(res)) {
      await cache.put(req, res.clone());
      await trim(cache);
    }
    return res;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => {}));
    return cached;
  }
  return fresh.catch(() => offlineError());
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
