// Same-origin JSON client for /api/v1 that turns the error envelope into ApiError.
import { t } from './i18n.js';

const BASE = '/api/v1';
const TIMEOUT_MS = 20000; // weak rural networks: be patient, but not forever

// The public answers the current screen drew from (sw.js tells when a newer one arrives); cleared
// on a route change, before the router asks for the next screen's.
const used = new Set();
addEventListener('hashchange', () => used.clear());

/** Did the current screen draw from this URL (absolute)? */
export const drewFrom = (url) => used.has(url);

export class ApiError extends Error {
  constructor(status, code, message, requestId, details) {
    super(message || code);
    Object.assign(this, { status, code, requestId, details });
  }
}

/**
 * GET (or POST with body) a path under /api/v1; resolves to parsed JSON (null for 204).
 * token: a Bearer token (personal data: never stored by the browser's HTTP cache); headers: extra ones;
 * timeout: ms before giving up (a staff report that reads much may take longer than a page).
 */
export async function api(path, { body, params, method, token, headers: extra, timeout } = {}) {
  const url = new URL(BASE + path, location.origin);
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') url.searchParams.set(k, v);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeout || TIMEOUT_MS);
  const headers = { Accept: 'application/json', ...extra };
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(url, {
      method: method || (body ? 'POST' : 'GET'),
      headers,
      body: body ? JSON.stringify(body) : undefined,
      cache: token ? 'no-store' : undefined,
      credentials: 'same-origin', // the refresh cookie (HttpOnly) goes to /api/v1/auth by itself
      signal: ctl.signal,
    });
  } catch {
    document.dispatchEvent(new CustomEvent('mz:network-failed'));
    throw new ApiError(0, navigator.onLine === false ? 'offline' : 'network');
  } finally {
    clearTimeout(timer);
  }
  if (!token) used.add(url.href);
  offlineCopy(res);
  let data = null;
  try { data = await res.json(); } catch { /* not JSON (or 204): keep null */ }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || `http_${res.status}`, e.message, e.request_id, e.details);
    err.retryAfter = Number(res.headers.get('Retry-After')) || null;
    throw err;
  }
  return data;
}

/**
 * sw.js stamps the public answers it keeps with the time it fetched them (X-Hall-Fetched) and
 * marks an old copy given because the network failed (X-Hall-Offline): the screen says how old.
 */
function offlineCopy(res) {
  const at = Date.parse(res.headers.get('X-Hall-Fetched') || '');
  const offline = res.headers.get('X-Hall-Offline') === '1' || navigator.onLine === false;
  if (offline && !Number.isNaN(at)) document.dispatchEvent(new CustomEvent('mz:offline-copy', { detail: { at } }));
}

/** How long ago a time (ms) was, in words: "3 小时前" / "3 hours ago". */
export function ago(at, now = Date.now()) {
  const min = Math.max(0, Math.round((now - at) / 60000));
  if (min < 1) return t('agoNow');
  if (min < 60) return t('agoMinutes', { n: min });
  const hours = Math.round(min / 60);
  return hours < 24 ? t('agoHours', { n: hours }) : t('agoDays', { n: Math.round(hours / 24) });
}

/** A message for people, never the raw server text. */
export function friendly(err) {
  const s = err && err.status;
  if (err && (err.code === 'offline' || s === 0)) return t(err.code === 'offline' ? 'err_offline' : 'err_network');
  if (s === 401 || s === 403 || s === 404 || s === 409) return t(`err_${s}`);
  if (s === 400 || s === 422) return t('err_400');
  if (s === 429) return t('err_429');
  if (s >= 500) return t('err_5xx');
  return t('err_other');
}
