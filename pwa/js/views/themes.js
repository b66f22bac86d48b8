// The theme grid (个人/法人 switch) and one theme's matters with cursor pagination (for the whole
// city, one entry per matter saying in how many areas it can be done).
import { api } from '../api.js';
import { h } from '../dom.js';
import { t, nameOf } from '../i18n.js';
import { savedRegion } from '../region.js';
import { audienceSwitch, chosenAudience, errorBox, heading, loading, matterCard, pagedList } from '../ui.js';

const audienceOf = (code) => (code.startsWith('E') ? 'enterprise' : 'person');

export async function themes(el, { query }) {
  const audience = chosenAudience(query);
  const wait = loading();
  el.append(heading(t('themesTitle')), audienceSwitch('themes', audience), wait);
  try {
    const { items } = await api('/themes', { params: { audience, region: savedRegion() } });
    wait.replaceWith(h('ul', { class: 'grid' }, items.map((th) =>
      h('li', null, h('a', { href: `#/themes/${encodeURIComponent(th.code)}` },
        nameOf(th), h('span', { class: 'sub' }, t('matters', { n: th.count ?? 0 })))))));
  } catch (err) {
    wait.replaceWith(errorBox(err));
  }
}

export async function theme(el, { args: [code] }) {
  const audience = audienceOf(code);
  const region = savedRegion();
  const title = heading(t('themesTitle'));
  el.append(h('a', { class: 'back', href: `#/themes?audience=${audience}` }, '‹ ', t('themesTitle')), title);
  // The theme's name comes from the (cached) theme list; the matters list does not wait for it.
  const named = api('/themes', { params: { audience, region } })
    .then(({ items }) => { const th = items.find((x) => x.code === code); if (th) title.textContent = nameOf(th); })
    .catch(() => {});
  const list = pagedList({
    fetchPage: (cursor) => api('/matters', { params: { theme: code, audience, region, limit: 20, cursor } }),
    renderItem: (m) => matterCard(m, { whole: !region }),
    countText: (shown, n) => (shown < n ? t('shown', { shown, n }) : t('matters', { n })),
  });
  el.append(list);
  await Promise.all([named, list.ready]);
}
