// Search results (?q=) and the hot-service lists (/hot/<tag>): matter lists with load more.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { savedRegion } from '../region.js';
import { heading, matterCard, pagedList } from '../ui.js';

const PAGE = 20;
const count = (shown, n) => (shown < n ? t('shown', { shown, n }) : t('found', { n }));

export async function search(el, { query }) {
  const q = (query.get('q') || '').trim();
  const input = h('input', { id: 'q', name: 'q', type: 'search', enterkeyhint: 'search', autocomplete: 'off', required: true });
  input.value = q;
  const form = h('form', { class: 'search', role: 'search', action: '/', method: 'get' },
    h('label', { for: 'q' }, t('searchLabel')),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, t('searchBtn'))));
  el.append(heading(t('searchTitle')), form);
  if (!q) return;
  const region = savedRegion();
  const list = pagedList({
    fetchPage: (cursor) => api('/matters', { params: { q, region, limit: PAGE, cursor } }),
    renderItem: matterCard,
    countText: count,
  });
  el.append(list);
  await list.ready;
}

export async function hot(el, { args: [tag] }) {
  el.append(heading(t(`hot_${tag}`)));
  const region = savedRegion();
  const list = pagedList({
    fetchPage: (cursor) => api('/matters', { params: { hot: tag, region, limit: PAGE, cursor } }),
    renderItem: matterCard,
    countText: count,
  });
  el.append(list);
  await list.ready;
}
