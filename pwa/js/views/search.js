// Search results (?q=) and the hot-service lists (/hot/<tag>): matter lists with load more. A search
// also shows the life-event scenarios it asks about and, when it finds nothing, what to try next.
import { api } from '../api.js';
import { h } from '../dom.js';
import { lang, nameOf, t } from '../i18n.js';
import { savedRegion } from '../region.js';
import { heading, matterCard, pagedList } from '../ui.js';

const PAGE = 20;
const count = (shown, n) => (shown < n ? t('shown', { shown, n }) : t('found', { n }));
const searchHref = (q) => `#/search?q=${encodeURIComponent(q)}`;

/** Life events (一件事) the query is about: 生孩子 -> 出生一件事. */
function scenarioBox(items) {
  return h('section', { class: 'box scenarios', 'aria-labelledby': 'scen-h' },
    h('h2', { id: 'scen-h' }, t('relatedScenarios')),
    h('ul', null, items.map((s) => h('li', null,
      h('a', { href: `#/scenarios/${encodeURIComponent(s.code)}` }, nameOf(s))))));
}

/** Nothing found: the closest spellings, the hot services and the hotline. */
function suggestBox({ spellings = [], hot = [], hotline }) {
  return h('section', { class: 'box suggest', 'aria-label': t('noResults') },
    spellings.length ? h('p', null, t('didYouMean'), ' ', ...spellings.flatMap((s, i) => [
      i ? (lang() === 'en' ? ', ' : '、') : '', h('a', { href: searchHref(s) }, s)])) : null,
    hot.length ? h('p', null, t('tryHot')) : null,
    hot.length ? h('ul', null, hot.map((m) => h('li', null,
      h('a', { href: `#/matters/${encodeURIComponent(m.code)}` }, nameOf(m))))) : null,
    hotline ? h('p', null, h('a', { href: `tel:${hotline}` }, t('hotline', { tel: hotline }))) : null);
}

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
  let first = null; // the first page: it carries the scenarios and the suggestions
  const list = pagedList({
    fetchPage: async (cursor) => {
      const page = await api('/matters', { params: { q, region, limit: PAGE, cursor, lang: lang() === 'en' ? 'en' : null } });
      if (!cursor) first = page;
      return page;
    },
    renderItem: (m) => matterCard(m, { whole: !region }),
    countText: count,
  });
  el.append(list);
  await list.ready;
  // Under the count line (already on screen), above the results: it pushes down nothing painted.
  if (first?.scenarios?.length) list.firstChild.after(scenarioBox(first.scenarios));
  if (first?.suggestions) list.append(suggestBox(first.suggestions));
}

export async function hot(el, { args: [tag] }) {
  el.append(heading(t(`hot_${tag}`)));
  const region = savedRegion();
  const list = pagedList({
    fetchPage: (cursor) => api('/matters', { params: { hot: tag, region, limit: PAGE, cursor } }),
    renderItem: (m) => matterCard(m, { whole: !region }),
    countText: count,
  });
  el.append(list);
  await list.ready;
}
