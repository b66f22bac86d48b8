// Home: the static markup already works; this adds the frequently used matters from hot-services
// and, for someone logged in, the page of their current identity (page.js).
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { savedRegion } from '../region.js';
import { matterCard } from '../ui.js';

let loadedFor = null; // the region the list was loaded for; null: not loaded

/** again: load even if loaded for this region (newer data arrived, app.js). */
export async function enhance(home, again = false) {
  await popular(home, again);
  // 我的主页: after the public list, so drawing it moves nothing already on screen.
  const signed = document.cookie.split(/;\s*/).includes('__Secure-hall_in=1'); // session.js's marker
  if (signed || home.querySelector('#home-page')?.firstChild) {
    await import('./page.js').then((m) => m.mine(home)).catch(() => {});
  }
}

async function popular(home, again) {
  const slot = home.querySelector('#home-popular');
  const region = savedRegion();
  if ((loadedFor === region && !again) || !slot) return;
  loadedFor = region;
  try {
    const { items } = await api('/hot-services', { params: { region } });
    if (loadedFor !== region) return; // the region changed meanwhile: a newer load fills the slot
    // The top matter of each hot service, without duplicates.
    const seen = new Set();
    const picks = [];
    for (const svc of items || []) {
      for (const m of (svc.matters || []).slice(0, 1)) {
        if (!seen.has(m.code)) { seen.add(m.code); picks.push(m); }
      }
    }
    if (!picks.length) { slot.replaceChildren(); return; }
    slot.replaceChildren(
      h('h2', { 'data-i18n': 'popular' }, t('popular')),
      h('ul', { class: 'list' }, picks.map((m) => matterCard(m, { whole: !region }))));
  } catch {
    if (loadedFor === region) loadedFor = null; // quietly try again next time home is shown; the static page still works
  }
}
