// Home: the static markup already works; this adds the frequently used matters from hot-services.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { matterCard } from '../ui.js';

let done = false;

export async function enhance(home) {
  const slot = home.querySelector('#home-popular');
  if (done || !slot) return;
  done = true;
  try {
    const { items } = await api('/hot-services');
    // The top matter of each hot service, without duplicates.
    const seen = new Set();
    const picks = [];
    for (const svc of items || []) {
      for (const m of (svc.matters || []).slice(0, 1)) {
        if (!seen.has(m.code)) { seen.add(m.code); picks.push(m); }
      }
    }
    if (!picks.length) return;
    slot.replaceChildren(
      h('h2', { 'data-i18n': 'popular' }, t('popular')),
      h('ul', { class: 'list' }, picks.map(matterCard)));
  } catch {
    done = false; // quietly try again next time home is shown; the static page still works
  }
}
