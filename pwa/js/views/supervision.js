// 效能监督 (#/supervision): the supervisor's dashboard — the month and the drill-down filters
// (department, county) in the address, the indicators against their targets (chart and table),
// the open red and yellow cards by age, the ratings with their rectifications and appeals
// (supervision-cards.js) and the provincial export's status. A department head (role `head`)
// sees the same for their own department only: the API filters, the screen says which. An
// officer (a card's notice links here) sees the cards naming them and explains them.
import { h } from '../dom.js';
import { nameOf, t } from '../i18n.js';
import { when } from '../intake.js';
import '../id-strings.js';
import '../supervision-strings.js';
import { authed, loggedIn, profile } from '../session.js';
import { barChart } from '../charts.js';
import { clearErrors, showErrors } from '../forms.js';
import { MONTH, beijingMonth, indicatorTable, names, scopeName, section } from '../indicators.js';
import { errorBox, fact, heading } from '../ui.js';
import { cardsSection, ratingsSection } from './supervision-cards.js';
import { loginPrompt } from './me.js';

const OVERSEERS = ['supervisor', 'admin'];
const LAG_LIMIT_S = 12 * 3600;
const CITY = '441400';
const SLOW_MS = 120000; // the export's status reads ahead hour by hour before the export's first run

/** Who may look, and as what: {overseer} or {head, department}; null after explaining why not. */
async function gate(el) {
  if (!loggedIn()) { el.append(loginPrompt('/supervision')); return null; }
  try {
    const me = await profile();
    const roles = me.roles || [];
    if (OVERSEERS.some((r) => roles.includes(r))) return { overseer: true };
    if (roles.includes('head')) return { overseer: false, department: me.department, region: me.region };
    if (roles.includes('officer')) return { overseer: false, officer: true };
    el.append(h('p', { class: 'box' }, t('svOnly')));
  } catch (err) {
    if (err.code !== 'login_required') el.append(errorBox(err));
  }
  return null;
}

export async function dashboard(el, { query }) {
  const title = heading(t('svTitle'));
  el.append(title);
  const who = await gate(el);
  if (!who) return;
  const lists = await names();
  if (who.officer) { // an officer (the notice of a card sends them here): their own cards only
    title.textContent = t('svMineTitle');
    const cards = cardsSection({}, lists, who);
    el.append(h('p', { class: 'meta', id: 'sv-mine' }, t('svMineNote')), cards);
    await cards.ready;
    return;
  }
  const now = beijingMonth();
  const month = MONTH.test(query.get('month') || '') && query.get('month') <= now ? query.get('month') : now;
  const department = who.overseer ? query.get('department') || '' : who.department;
  const asked = /^\d{6}$/.test(query.get('county') || '') ? query.get('county') : '';
  const county = who.overseer ? asked : who.region || '';
  const filter = { month, department, county };
  if (!who.overseer) {
    title.textContent = t('svHeadTitle');
    const where = who.region && who.region !== CITY ? `${nameOf(lists.regions[who.region] || {}) || who.region} ` : '';
    el.append(h('p', { class: 'notice', id: 'sv-head-dept' }, t('svHeadDept', { dept: where + (nameOf(lists.departments[department] || {}) || department) })));
  }
  el.append(filters(filter, lists, who, now));
  const sections = [indicatorsSection(filter, lists), cardsSection(filter, lists, who), ratingsSection(filter, lists, who)];
  if (who.overseer) sections.push(exportSection());
  el.append(...sections);
  await Promise.all(sections.map((s) => s.ready));
}

/** The month and drill-down form: submitting puts the choice in the address (a shareable view). */
function filters(f, lists, who, now) {
  const month = h('input', { type: 'month', id: 'sv-month', name: 'month', value: f.month, max: now, required: true });
  const opts = (all, items, current) => [h('option', { value: '' }, all),
    ...Object.values(items).map((i) => h('option', { value: i.code, selected: i.code === current }, nameOf(i)))];
  const dept = who.overseer ? h('select', { id: 'sv-dept', name: 'department' }, opts(t('svAllDepts'), lists.departments, f.department)) : null;
  const county = who.overseer ? h('select', { id: 'sv-county', name: 'county' }, opts(t('svAllCounties'), lists.counties, f.county)) : null;
  const box = (id, label, input) => h('div', { class: 'field', 'data-field': id, 'data-label': label }, h('label', { for: input.id }, label), input);
  const form = h('form', { class: 'account-form sv-filters', novalidate: true, 'aria-label': t('svFilters') },
    box('month', t('svMonth'), month), dept ? box('department', t('svDept'), dept) : null, county ? box('county', t('svCounty'), county) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('svApply'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearErrors(form);
    const m = month.value;
    if (!MONTH.test(m)) { showErrors(form, [{ field: 'month', text: t('svMonthBad') }]); return; }
    if (m > now) { showErrors(form, [{ field: 'month', text: t('svFuture') }]); return; }
    const q = new URLSearchParams({ month: m });
    if (dept?.value) q.set('department', dept.value);
    if (county?.value) q.set('county', county.value);
    location.hash = `#/supervision?${q}`;
  });
  return form;
}

/** The rows of the scope the screen looks at: the filter's department or county, else the city. */
function headline(rows, f) {
  const want = f.department ? ['department', f.department] : f.county ? ['county', f.county] : ['city', null];
  const first = rows.find((r) => r.scope.kind === want[0] && (want[1] == null || r.scope.code === want[1])) || rows[0];
  const same = (a, b) => a.kind === b.kind && a.code === b.code && a.region === b.region;
  return first ? rows.filter((r) => same(r.scope, first.scope)) : [];
}

function indicatorsSection(f, lists) {
  return section('sv-ind', t('svIndTitle'), async () => {
    const got = await authed('/supervision/indicators', { params: f, timeout: SLOW_MS });
    if (!got.has_data) return h('p', { class: 'box', id: 'sv-nodata' }, t('svNoData'));
    const rows = got.rows || [];
    const top = headline(rows, f);
    const scope = top[0] ? scopeName(top[0].scope, lists) : t('svCity');
    const link = (s) => `#/supervision?${new URLSearchParams(s.kind === 'department'
      ? { month: f.month, department: s.code, county: s.region || CITY } : { month: f.month, county: s.code })}`;
    const rates = top.filter((r) => r.indicator !== 'business_volume');
    const others = rows.filter((r) => !top.includes(r));
    return [
      h('p', { class: 'meta', id: 'sv-scope' }, t('svScope', { scope })),
      barChart({ title: t('svChartInd', { scope }), rows: rates.map((r) => ({ label: t(`ind_${r.indicator}`), value: r.value, target: r.target, pass: r.pass })) }),
      indicatorTable(top, lists),
      others.length ? h('details', { class: 'sv-others' }, h('summary', null, t('svOthers')),
        indicatorTable(others, lists, { link, caption: t('svOthers') })) : null,
    ];
  });
}

/** 3 小时 / 40 分钟. */
function lagText(seconds) {
  const n = Math.round(seconds / 60);
  return n >= 60 ? t('svHours', { n: Math.round(n / 60) }) : t('svMinutes', { n });
}

function exportSection() {
  return section('sv-export', t('svExportTitle'), async () => {
    const s = await authed('/supervision/export-status', { timeout: SLOW_MS });
    const lag = s.lag_seconds;
    return h('dl', { class: 'facts' },
      fact(t('svWatermark'), s.watermark?.hour ? when(new Date(Date.parse(`${s.watermark.hour}:00:00Z`) + 3600e3)) : t('svNever')),
      fact(t('svLag'), lag == null ? t('svLagNone')
        : h('span', { class: lag > LAG_LIMIT_S ? 'sv-late' : null, id: 'sv-lag' }, `${lagText(lag)}（${t(lag > LAG_LIMIT_S ? 'svLagLate' : 'svLagOk')}）`)),
      fact(t('svLastRun'), s.last_run ? [when(s.last_run.at), ' ', h('span', { class: `tag ${s.last_run.ok ? 'pass' : 'fail'}` },
        t(s.last_run.ok ? 'svRunOk' : 'svRunFailed', { n: s.last_run.events ?? 0 }))] : t('svNever')));
  });
}
