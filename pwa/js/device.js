// What this device keeps of a person, and forgetting it. Run on every way a session ends (the
// logout button, a logout in another tab, a refresh that finds the session gone, another person
// logging in here), forgetDevice() leaves only what is not anyone's:
// - Cache Storage: the public shell (mz-shell-*) and the public catalogue (mz-api-*) stay, minus
//   the requests that carry what a person typed or where they stood (?q= searches, ?near=
//   positions); every other cache (the wallet's mz-wallet-*, 我的办件's mz-apps-*, any new one)
//   is personal and goes.
// - localStorage and sessionStorage: only the device's display settings stay (KEEP); any other
//   key, those added later included, is personal and goes.
// - the push subscription of this device is unsubscribed.
// "Shared phone" (公用手机), chosen at login, writes no offline copy at all (the wallet and the
// application list check sharedDevice(); typed searches are scrubbed from the catalogue cache as
// soon as they land there) and logs out after IDLE_MS without a touch in any tab.
// Imports nothing of the session: session.js calls in here.

// Elder mode and the language are display settings. The region (mz.region, mz.region.item) is a
// device setting too: a family phone or a village kiosk sits in one county, it is chosen on the
// public screens without logging in, is one of a few county codes and is not tied to an account.
// mz.aud (个人/法人 lists on the public screens) is a display choice of the same kind.
const KEEP = new Set(['mz.elder', 'mz.lang', 'mz.region', 'mz.region.item', 'mz.aud']);
const PUBLIC_CACHES = /^mz-(shell|api)-/;
const API_CACHES = /^mz-api-/;
const TYPED_PARAMS = ['q', 'near']; // what a person typed or where they stood
const SHARED = 'mz.shared';
const SEEN = 'mz.shared.seen'; // the last touch of a shared-phone session, in any tab (ms)
export const IDLE_MS = 15 * 60 * 1000;
const PUSH_WAIT_MS = 3000; // a weak network must not hold up a logout

/** Did the person who logged in here say this is a shared phone? */
export function sharedDevice() {
  try { return localStorage.getItem(SHARED) === '1'; } catch { return true; } // blocked storage: keep nothing
}

/** Remember the shared-phone choice of a login (it ends with forgetDevice()). */
export function setShared(on) {
  try {
    if (on) { localStorage.setItem(SHARED, '1'); localStorage.setItem(SEEN, String(Date.now())); }
    else { localStorage.removeItem(SHARED); localStorage.removeItem(SEEN); }
  } catch { /* storage blocked: sharedDevice() already answers yes */ }
}

/** Does a request URL carry what a person typed (a search) or their position? */
export function typedUrl(url) {
  try {
    const u = new URL(url, location.origin);
    return u.pathname.startsWith('/api/') && TYPED_PARAMS.some((p) => u.searchParams.has(p));
  } catch { return false; }
}

/** Delete the typed requests (searches, positions) from every catalogue cache. */
export async function scrubTyped() {
  if (!('caches' in window)) return;
  for (const name of await caches.keys()) {
    if (!API_CACHES.test(name)) continue;
    const cache = await caches.open(name);
    for (const req of await cache.keys()) if (typedUrl(req.url)) await cache.delete(req);
  }
}

/** Delete every personal cache; scrub the public catalogue one. */
async function forgetCaches() {
  if (!('caches' in window)) return;
  for (const name of await caches.keys()) if (!PUBLIC_CACHES.test(name)) await caches.delete(name);
  await scrubTyped();
}

/** Remove every stored key but the display settings, in this tab (other tabs do theirs). */
export function forgetStorage() {
  for (const name of ['localStorage', 'sessionStorage']) {
    try {
      const store = window[name];
      const keys = Array.from({ length: store.length }, (_, i) => store.key(i));
      for (const key of keys) if (!KEEP.has(key)) store.removeItem(key);
    } catch { /* storage blocked: nothing was kept */ }
  }
}

const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

/** This device's push subscription, if any. */
async function pushSubscription() {
  try {
    const reg = await navigator.serviceWorker?.getRegistration();
    return (await reg?.pushManager?.getSubscription()) || null;
  } catch { return null; }
}

/**
 * Unsubscribe this device from push. tell(endpoint), given while the session still holds, lets
 * the server drop it too (best effort: a missing route or a weak network changes nothing here).
 */
export async function dropPush(tell) {
  const sub = await pushSubscription();
  if (!sub) return;
  if (tell) await within(Promise.resolve().then(() => tell(sub.endpoint)).catch(() => {}), PUSH_WAIT_MS);
  await within(Promise.resolve().then(() => sub.unsubscribe()).catch(() => {}), PUSH_WAIT_MS);
}

/** Forget everything personal this device holds (see the top of this file). */
export async function forgetDevice() {
  stopWatching();
  forgetStorage();
  await Promise.all([forgetCaches().catch(() => {}), dropPush()]);
}

/** Only the offline copies (another person logs in here, or a shared phone does). */
export const forgetCopies = () => forgetCaches().catch(() => {});

// ---- the shared-phone session: typed searches do not stay, and an idle phone logs out ------------

let watching = null;

function stopWatching() {
  if (!watching) return;
  watching.stop();
  watching = null;
}

/** The last touch of a shared-phone session is older than IDLE_MS. */
export function idleTooLong() {
  try { return Date.now() - Number(localStorage.getItem(SEEN) || 0) > IDLE_MS; } catch { return true; }
}

/**
 * While a shared-phone session lasts: scrub each search from the catalogue cache once it lands
 * (and again after the worker's background refresh could have put it back), and call onIdle
 * when no tab has been touched for IDLE_MS.
 */
export function watchShared(onIdle) {
  if (!sharedDevice()) { stopWatching(); return; }
  if (watching) return;
  const timers = new Set();
  const later = (fn, ms) => { const id = setTimeout(() => { timers.delete(id); fn(); }, ms); timers.add(id); };
  const scrubSoon = () => { for (const ms of [0, 3000, 10000]) later(() => scrubTyped().catch(() => {}), ms); };
  let observer = null;
  if (typeof PerformanceObserver === 'function') {
    observer = new PerformanceObserver((list) => { if (list.getEntries().some((e) => typedUrl(e.name))) scrubSoon(); });
    try { observer.observe({ type: 'resource', buffered: true }); } catch { observer = null; }
  }
  let lastWrite = 0;
  const touch = () => {
    const now = Date.now();
    if (now - lastWrite < 10000) return; // one write in ten seconds is plenty
    lastWrite = now;
    try { localStorage.setItem(SEEN, String(now)); } catch { /* blocked */ }
  };
  const check = () => { if (sharedDevice() && idleTooLong()) onIdle(); };
  const onVisible = () => { if (document.visibilityState === 'visible') check(); };
  const events = ['pointerdown', 'keydown', 'scroll'];
  for (const e of events) addEventListener(e, touch, { passive: true, capture: true });
  document.addEventListener('visibilitychange', onVisible);
  const tick = setInterval(check, 30000);
  watching = {
    stop() {
      observer?.disconnect();
      for (const id of timers) clearTimeout(id);
      for (const e of events) removeEventListener(e, touch, { capture: true });
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(tick);
    },
  };
  scrubSoon();
}
