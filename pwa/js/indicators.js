// What the supervisor's dashboard and the public monthly report share: the Beijing month, the
// names of departments and counties, the indicator table and a dashboard section's frame.
import { api } from './api.js';
import { h } from './dom.js';
import { nameOf, t } from './i18n.js';
import './supervision-strings.js';
import { passText, pct, tableOf } from './charts.js';
import { errorBox, loading } from './ui.js';

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The current month in Beijing (YYYY-MM). */
export const beijingMonth = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);

/** Departments, regions (the city too) and counties (public catalogue lists), by code; {} when unreadable. */
export async function names() {
  const [d, r] = await Promise.all([api('/departments').catch(() => null), api('/regions').catch(() => null)]);
  const by = (list) => Object.fromEntries(((list && list.items) || []).map((i) => [i.code, i]));
  const counties = (list) => ({ items: ((list && list.items) || []).filter((i) => i.level !== 'city') });
  return { departments: by(d), regions: by(r), counties: by(counties(r)) };
}

/** The name of a row's scope: its own name, else the lists', else the city. */
export function scopeName(scope, lists) {
  if (scope.kind === 'city') return t('svCity');
  const list = scope.kind === 'department' ? lists.departments : lists.regions;
  return nameOf(scope) || nameOf(list[scope.code] || {}) || scope.code;
}

/** The section of a dashboard: its heading, a loading line, then what draw() returns. */
export function section(id, title, draw) {
  const slot = h('div', null, loading());
  const sec = h('section', { class: 'sv-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), slot);
  sec.ready = (async () => {
    try {
      slot.replaceChildren(...[await draw()].flat().filter(Boolean));
    } catch (err) {
      if (err.code === 'login_required') return;
      slot.replaceChildren(err.status === 404 || err.status === 405 ? h('p', { class: 'error', role: 'alert' }, t('svNotReady')) : errorBox(err));
    }
  })();
  return sec;
}

/** "提交 12 · 受理 10 · 办结 9" for business volume (counts), else the ratio. */
export function valueText(r) {
  if (r.indicator !== 'business_volume') return pct(r.value);
  const c = r.counts || r.volume;
  return c ? ['submitted', 'accepted', 'completed'].map((k) => `${t(`vol_${k}`)} ${c[k] ?? 0}`).join(' · ') : String(r.value ?? r.numerator ?? 0);
}

/** Indicator rows as a table: value with its numerator/denominator (anyone can recompute it),
 * target, pass; a scope column when the rows have several, linking to its drill-down (`link`). */
export function indicatorTable(rows, lists, { link, caption = t('svIndTable') } = {}) {
  const key = (s) => `${s.kind}:${s.code}:${s.region || ''}`;
  const scoped = new Set(rows.map((r) => key(r.scope))).size > 1;
  const scopeCell = (r) => (link && r.scope.kind !== 'city' ? h('a', { href: link(r.scope) }, scopeName(r.scope, lists)) : scopeName(r.scope, lists));
  return tableOf({
    caption,
    head: [t('svColInd'), scoped ? t('svColScope') : null, t('svColValue'), t('svColTarget'), t('svColPass')].filter(Boolean),
    rows: rows.map((r) => [
      t(`ind_${r.indicator}`),
      scoped ? scopeCell(r) : null,
      [valueText(r), r.indicator !== 'business_volume' && r.denominator != null
        ? h('span', { class: 'sub nd' }, `${r.numerator ?? 0} / ${r.denominator}`) : null],
      r.target == null ? '—' : pct(r.target),
      h('span', { class: `tag ${r.pass == null ? '' : r.pass ? 'pass' : 'fail'}` }, passText(r)),
    ].filter((c) => c !== null)),
  });
}

