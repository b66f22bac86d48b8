// 政务服务月度报告 (#/report, no login): a month's indicators city-wide with pass or fail, one
// indicator at a time charted per department and per county (SVG, charts.js), the red and yellow
// cards and the ratings in summary, and the same report as CSV for a spreadsheet. Small and loaded
// only here, so a cheap phone pays for it only when it opens the report.
import { api } from '../api.js';
import { h } from '../dom.js';
import { nameOf, t } from '../i18n.js';
import '../supervision-strings.js';
import { barChart, pct, tableOf } from '../charts.js';
import { errorBox, heading, loading } from '../ui.js';
import { MONTH, beijingMonth, indicatorTable, names, scopeName } from '../indicators.js';

const RATES = ['full_online_rate', 'online_application_rate', 'online_completion_rate', 'visits_at_most_one',
  'visits_zero', 'elicence_rate', 'enterprise_page_use', 'citizen_page_use'];

export async function report(el, { query }) {
  el.append(heading(t('rpTitle')), h('p', { class: 'meta' }, t('rpIntro')));
  const now = beijingMonth();
  const month = MONTH.test(query.get('month') || '') && query.get('month') <= now ? query.get('month') : now;
  const indicator = RATES.includes(query.get('indicator')) ? query.get('indicator') : RATES[0];
  el.append(picker(month, indicator, now));
  const slot = h('div', null, loading());
  el.append(slot);
  try {
    const [got, lists] = await Promise.all([api('/public/report', { params: { month } }), names()]);
    slot.replaceChildren(...draw(got, lists, month, indicator));
  } catch (err) {
    slot.replaceChildren(errorBox(err, () => dispatchEvent(new HashChangeEvent('hashchange'))));
  }
}

function picker(month, indicator, now) {
  const input = h('input', { type: 'month', id: 'rp-month', name: 'month', value: month, max: now });
  const ind = h('select', { id: 'rp-ind', name: 'indicator' }, RATES.map((k) => h('option', { value: k, selected: k === indicator }, t(`ind_${k}`))));
  const form = h('form', { class: 'account-form sv-filters', novalidate: true, 'aria-label': t('rpMonth') },
    h('div', { class: 'field' }, h('label', { for: 'rp-month' }, t('rpMonth')), input),
    h('div', { class: 'field' }, h('label', { for: 'rp-ind' }, t('rpIndicator')), ind),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('rpShow'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = MONTH.test(input.value) && input.value <= now ? input.value : now;
    location.hash = `#/report?${new URLSearchParams({ month: m, indicator: ind.value })}`;
  });
  return form;
}

/** The report's indicator rows, whether it carries them as a list or as month_rows' reply. */
const rowsOf = (got) => (Array.isArray(got.indicators) ? got.indicators : got.indicators?.rows || got.rows || []);

function draw(got, lists, month, indicator) {
  const csv = h('p', null, h('a', {
    class: 'btn secondary', id: 'rp-csv', href: `/api/v1/public/report?${new URLSearchParams({ month, format: 'csv' })}`,
    download: `meizhou-report-${month}.csv`, 'aria-describedby': 'rp-csv-help',
  }, t('rpCsv')), h('span', { class: 'help', id: 'rp-csv-help' }, ' ', t('rpCsvHelp')));
  const hasData = got.has_data ?? got.indicators?.has_data;
  if (hasData === false) return [h('p', { class: 'box', id: 'rp-nodata' }, t('svNoData')), csv];
  const rows = rowsOf(got);
  const of = (kind) => rows.filter((r) => r.indicator === indicator && r.scope.kind === kind)
    .map((r) => ({ label: scopeName(r.scope, lists), value: r.value, target: r.target, pass: r.pass }));
  const name = t(`ind_${indicator}`);
  const charts = [['department', 'rpByDept'], ['county', 'rpByCounty']].map(([kind, key]) => {
    const data = of(kind);
    return data.length ? barChart({ title: t(key, { ind: name }), rows: data }) : null;
  });
  return [
    csv,
    h('section', { class: 'sv-section', 'aria-labelledby': 'rp-city-h' }, h('h2', { id: 'rp-city-h' }, t('rpCityTable')),
      indicatorTable(rows.filter((r) => r.scope.kind === 'city'), lists, { caption: t('rpCityCaption', { month }) })),
    ...charts,
    summaries(got, lists),
    h('details', { class: 'sv-section' }, h('summary', null, t('rpTableSwitch')), indicatorTable(rows.filter((r) => r.scope.kind !== 'city'), lists, { caption: t('rpTableSwitch') })),
  ].filter(Boolean);
}

/** Cards raised and closed, ratings and their satisfaction, city-wide and per department/county. */
function summaries(got, lists) {
  const cards = got.cards || {};
  const ratings = got.ratings || {};
  const raised = cards.raised || {};
  const big = (label, value, id) => h('div', { class: 'box', id }, h('span', { class: 'big' }, String(value)), label);
  const table = (by, names, head, caption) => {
    const c = cards[by] || {};
    const r = ratings[by] || {};
    const keys = [...new Set([...Object.keys(c), ...Object.keys(r)])];
    if (!keys.length) return null;
    return tableOf({
      caption, head: [head, t('colour_yellow'), t('colour_red'), t('rpClosed'), t('rpRatingCount'), t('rpSatisfaction')],
      rows: keys.map((k) => [nameOf(names[k] || {}) || k, String(c[k]?.yellow ?? 0), String(c[k]?.red ?? 0),
        String(c[k]?.closed ?? 0), String(r[k]?.count ?? 0), pct(r[k]?.satisfaction ?? null)]),
    });
  };
  return h('section', { class: 'sv-section', id: 'rp-sum', 'aria-labelledby': 'rp-sum-h' },
    h('h2', { id: 'rp-sum-h' }, `${t('rpCards')} · ${t('rpRatings')}`),
    h('div', { class: 'sv-summary' },
      big(t('colour_yellow'), raised.yellow ?? 0, 'rp-yellow'), big(t('colour_red'), raised.red ?? 0, 'rp-red'),
      big(t('rpClosed'), cards.closed ?? 0, 'rp-closed'), big(t('rpRatingCount'), ratings.count ?? 0, 'rp-ratings'),
      big(t('rpSatisfaction'), pct(ratings.satisfaction ?? null), 'rp-satisfaction')),
    table('by_department', lists.departments, t('scope_department'), t('rpSumByDept')),
    table('by_county', lists.regions, t('scope_county'), t('rpSumByCounty')));
}
