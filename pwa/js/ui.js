// Shared view pieces: headings, loading placeholder, facts, matter cards, paged lists, error boxes,
// the confirm step, audience switch.
import { h, highlight } from './dom.js';
import { lang, nameOf, t } from './i18n.js';
import { friendly } from './api.js';

// E-licence types a material may be replaced by (keys from the catalogue's licence_type).
const LICENCES = {
  id_card: '居民身份证', household_register: '居民户口簿', marriage_cert: '结婚证', divorce_cert: '离婚证',
  birth_cert: '出生医学证明', business_licence: '营业执照', social_security_card: '社会保障卡',
  driving_licence: '机动车驾驶证', vehicle_licence: '机动车行驶证', real_estate_cert: '不动产权证书',
  residence_permit: '居住证', disability_cert: '残疾人证', retirement_cert: '退休证', degree_cert: '学位证书',
  diploma: '毕业证书', death_cert: '死亡医学证明', food_licence: '食品经营许可证', property_cert: '不动产权证书',
  veteran_cert: '退役军人证',
};
const LICENCES_EN = {
  id_card: 'ID card', household_register: 'household register book', marriage_cert: 'marriage certificate',
  divorce_cert: 'divorce certificate', birth_cert: 'medical birth certificate', business_licence: 'business licence',
  social_security_card: 'social security card', driving_licence: 'driving licence', vehicle_licence: 'vehicle licence',
  real_estate_cert: 'real estate title certificate', residence_permit: 'residence permit',
  disability_cert: 'disability certificate', retirement_cert: 'retirement certificate', degree_cert: 'degree certificate',
  diploma: 'graduation certificate', death_cert: 'medical death certificate', food_licence: 'food business licence',
  property_cert: 'real estate title certificate', veteran_cert: 'veteran certificate',
};
export const licenceName = (type) => (lang() === 'en' && LICENCES_EN[type]) || LICENCES[type] || type;

export const heading = (text) => h('h1', { tabindex: '-1' }, text);
/** The placeholder a view shows until its data is in (the a11y scans wait for .loading to go). */
export const loading = () => h('p', { class: 'loading', role: 'status' }, t('loading'));
/** One row of a <dl class="facts">: the label (already in the current language) and its value. */
export const fact = (label, value) => [h('dt', null, label), h('dd', null, value)];
export const daysText = (n) => (n == null ? '—' : n === 0 ? t('instant') : t('days', { n }));
export const visitsText = (v) => t(`visits_${Math.min(v ?? 2, 2)}`);

const AUDIENCES = ['person', 'enterprise'];

/** 个人 or 法人: the one in the address (?audience=), else the last one chosen; remembered for next time. */
export function chosenAudience(query) {
  let a = query.get('audience');
  try {
    if (AUDIENCES.includes(a)) localStorage.setItem('mz.aud', a);
    else a = localStorage.getItem('mz.aud') === 'enterprise' ? 'enterprise' : 'person';
  } catch { a = AUDIENCES.includes(a) ? a : 'person'; /* private mode: not remembered */ }
  return a;
}

/** The 个人/法人 switch: two links, the current one marked aria-current. */
export function audienceSwitch(base, current) {
  return h('ul', { class: 'switch', 'aria-label': t('audienceLabel') },
    AUDIENCES.map((a) => h('li', null,
      h('a', { href: `#/${base}?audience=${a}`, 'aria-current': a === current ? 'page' : null }, t(a)))));
}

/** The name shown in the current language, with the <mark> highlights that belong to it. */
function cardName(m) {
  if (lang() === 'en' && m.name_en) return m.highlights_en ? highlight(m.name_en, m.highlights_en) : m.name_en;
  return m.highlights ? highlight(m.name, m.highlights) : m.name;
}

/**
 * A matter in a list: linked name (with <mark> highlights) and a short secondary line. One badge
 * where two would say the same thing ("fully online" already says "no visit"). In a whole-city
 * list (`whole`), an entry standing for the copies of several areas says in how many.
 */
export function matterCard(m, { whole = false } = {}) {
  const where = m.available_in || [];
  const region = whole && where.length > 1 ? t('availableIn', { n: where.length }) : nameOf(m.region || {});
  return h('li', { class: 'card' },
    h('a', { class: 'title', href: `#/matters/${encodeURIComponent(m.code)}` }, cardName(m)),
    h('p', { class: 'meta' },
      h('span', { class: `tag ${m.online_depth === 'full' ? 'full' : ''}` }, t(`depth_${m.online_depth}`)),
      m.online_depth === 'full' && m.visits === 0 ? null : h('span', { class: 'tag' }, visitsText(m.visits)),
      region ? h('span', { class: 'tag region' }, region) : null,
      h('span', { class: 'sub' }, ' ', nameOf(m.department || {}) || '')));
}

/** An error box with a friendly message, the request id for support, and an optional retry. */
export function errorBox(err, retry) {
  return h('div', { class: 'error', role: 'alert' },
    h('p', null, friendly(err)),
    err?.requestId ? h('p', { class: 'meta' }, t('errRequestId', { id: err.requestId })) : null,
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, t('retry')) : null);
}

/**
 * Ask before acting, in place: `hide` (the buttons that led here) makes way for the question, which
 * takes focus; 取消 brings them back with focus on `trigger`; 确定 runs yes() once. Should yes()
 * throw, an error box takes the question's place and the buttons come back.
 */
export function confirmStep({ question, hide, trigger, yes }) {
  const q = h('p', { class: 'confirm-q', tabindex: '-1' }, question);
  const ok = h('button', { type: 'button' }, t('confirmYes'));
  const no = h('button', { type: 'button', class: 'secondary' }, t('confirmNo'));
  const box = h('div', { class: 'confirm', role: 'group', 'aria-label': question }, q, h('div', { class: 'actions' }, ok, no));
  hide.hidden = true;
  hide.after(box);
  q.focus();
  no.addEventListener('click', () => { box.remove(); hide.hidden = false; trigger.focus(); });
  ok.addEventListener('click', async () => {
    if (ok.getAttribute('aria-disabled')) return;
    ok.setAttribute('aria-disabled', 'true');
    ok.textContent = t('processing');
    try {
      await yes();
    } catch (err) {
      box.replaceWith(errorBox(err));
      hide.hidden = false;
    }
  });
  return box;
}

/**
 * A list filled page by page through cursors.
 * fetchPage(cursor) -> {items, next_cursor, total?}; the count is announced in a live region.
 */
export function pagedList({ fetchPage, renderItem, countText, emptyText }) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const list = h('ul', { class: 'list' });
  const more = h('button', { type: 'button', class: 'more secondary', hidden: true }, t('loadMore'));
  const errSlot = h('div');
  const box = h('div', null, status, list, errSlot, more);
  let cursor = null;
  let shown = 0;

  async function load(first) {
    more.disabled = true;
    errSlot.replaceChildren();
    if (first) status.textContent = t('loading');
    try {
      const page = await fetchPage(cursor);
      const items = page.items || [];
      const nodes = items.map(renderItem);
      list.append(...nodes);
      shown += items.length;
      cursor = page.next_cursor || null;
      more.hidden = !cursor;
      status.textContent = shown === 0 ? emptyText || t('noResults') : countText(shown, page.total ?? shown);
      // After "load more", keep keyboard users in place: focus the first new item's link (or button).
      if (!first && nodes[0]) nodes[0].querySelector('a, button')?.focus();
    } catch (err) {
      if (first) status.textContent = '';
      errSlot.append(errorBox(err, () => load(first)));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(false));
  box.ready = load(true);
  return box;
}
