// The unread badge on the nav's 首页 tab (the home is the page, with the inbox): the count of the
// CURRENT identity's inbox (a person's own, or the enterprise's they act for). It sits beside the
// tab's link, positioned over its corner, so it moves nothing and survives the tab's relabelling
// (translateStatic rewrites the link's text). Set from the page and the inbox screen as they
// read the count; asked again (one GetItem) when the identity or the session changes elsewhere.
import { h } from './dom.js';
import { t } from './i18n.js';
import './page-strings.js';
import { authed, loggedIn } from './session.js';

let seq = 0; // the newest count wins
let shown = 0;

/** Show n unread (0 or null: no badge). */
export function setBadge(n) {
  seq += 1;
  draw(n);
}

function draw(n) {
  shown = Math.max(0, n || 0);
  const link = document.querySelector('.nav a[href="#/"]');
  const li = link?.parentElement;
  if (!li) return;
  let badge = document.getElementById('nav-badge');
  if (!shown) {
    badge?.remove();
    link.removeAttribute('aria-describedby');
    return;
  }
  if (!badge) {
    badge = h('span', { class: 'nav-badge', id: 'nav-badge' });
    li.classList.add('has-badge');
    li.append(badge);
  }
  badge.replaceChildren(h('span', { 'aria-hidden': 'true' }, shown > 99 ? '99+' : String(shown)),
    h('span', { class: 'sr-only' }, t('navUnread', { n: shown })));
  link.setAttribute('aria-describedby', 'nav-badge');
}

/** The badge's count now (what the inbox screen lowers as it marks). */
export const badgeCount = () => shown;

/** Ask the inbox's counter for the current identity (no inbox, or logged out: no badge). */
export async function refreshBadge() {
  const n = ++seq;
  if (!loggedIn()) { draw(0); return; }
  try {
    const { unread } = await authed('/me/inbox/unread');
    if (n === seq) draw(unread);
  } catch {
    if (n === seq) draw(0); // acting for someone whose inbox is theirs (403), offline: no badge
  }
}

let watching = false;
/** Keep the badge in step with the session: app.js calls this once a session is known. */
export function watch() {
  if (watching) return;
  watching = true;
  document.addEventListener('mz:identity', () => { if (location.hash.replace(/^#\/?/, '') !== '') refreshBadge(); });
  document.addEventListener('mz:session', () => { if (!loggedIn()) setBadge(0); });
  // The language switch rewrites the page's lang: the spoken count follows.
  new MutationObserver(() => draw(shown)).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  if (location.hash.replace(/^#\/?/, '') !== '') refreshBadge(); // the home's page sets it itself
}
