// Service points by county: a region picker and the list with phone and map links.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { regionLabel, savedRegion } from '../region.js';
import { heading, pagedList } from '../ui.js';
import { pointCard } from './matter.js';

export async function points(el, { query }) {
  // No region in the address: "我的地区"; an explicit empty ?region= means every county.
  const region = query.has('region') ? query.get('region') || '' : savedRegion();
  const select = h('select', { id: 'region', name: 'region' }, h('option', { value: '' }, t('allRegions')));
  // A button applies the choice: changing context on select change would trap keyboard users (WCAG 3.2.2).
  const form = h('form', { class: 'field' },
    h('label', { for: 'region' }, t('pointsRegion')),
    h('div', { class: 'search-row' }, select, h('button', { type: 'submit' }, t('searchBtn'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/points?region=${encodeURIComponent(select.value)}`;
  });
  el.append(heading(t('pointsTitle')), form);
  api('/regions').then(({ items }) => {
    for (const r of items) select.append(h('option', { value: r.code, selected: r.code === region }, regionLabel(r)));
  }).catch(() => {});
  const list = pagedList({
    fetchPage: (cursor) => api('/service-points', { params: { region, limit: 20, cursor } }),
    renderItem: (p) => pointCard(p, 'h2'),
    countText: (n) => t('pointsCount', { n }),
  });
  el.append(list);
  await list.ready;
}
