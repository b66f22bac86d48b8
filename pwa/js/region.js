// "我的地区": the county-level division a person chose, remembered in localStorage.
// '' (nothing chosen) means the whole city: lists then show every county's copy of a matter.
import { api } from './api.js';
import { h } from './dom.js';
import { t, nameOf } from './i18n.js';

const KEY = 'mz.region';
const ITEM_KEY = 'mz.region.item';
export const CITY = '441400'; // 梅州市本级: only the city-level matters

/** The chosen region code (6 digits) or '' for the whole city. */
export function savedRegion() {
  try {
    const v = localStorage.getItem(KEY) || '';
    return /^\d{6}$/.test(v) ? v : '';
  } catch { return ''; }
}

/** The stored {code, name, name_en} of the chosen region, or null. */
export function savedRegionItem() {
  const code = savedRegion();
  if (!code) return null;
  try {
    const item = JSON.parse(localStorage.getItem(ITEM_KEY) || 'null');
    return item && item.code === code ? item : { code, name: code };
  } catch { return { code, name: code }; }
}

/** Remember a region item from GET /regions (null: the whole city). */
export function saveRegion(item) {
  try {
    if (item) {
      localStorage.setItem(KEY, item.code);
      localStorage.setItem(ITEM_KEY, JSON.stringify({ code: item.code, name: item.name, name_en: item.name_en }));
    } else {
      localStorage.removeItem(KEY);
      localStorage.removeItem(ITEM_KEY);
    }
  } catch { /* private mode: the choice lasts for this page only */ }
  renderRegionBar();
}

/** How a region reads to people: the city's own code is "梅州市本级", none is "全市". */
export function regionLabel(item) {
  if (!item) return t('regionAll');
  return item.code === CITY ? t('regionCity') : nameOf(item);
}

/** Fill the header's "当前地区：… · 切换" link. */
export function renderRegionBar() {
  const now = document.getElementById('region-now');
  const chg = document.getElementById('region-chg');
  if (now) now.textContent = t('regionNow', { name: regionLabel(savedRegionItem()) });
  if (chg) chg.textContent = t('regionChange');
}

/**
 * The region picker: a native <select> (`first` for "no county", then the city and its counties from
 * GET /regions) applied with its button, never on change, which would move keyboard users away
 * (WCAG 3.2.2). onPick(item, or null for the first option) runs on submit. form.ready resolves once
 * the options are in: to null, or to the error when /regions did not answer (offline and never
 * loaded), the saved region then being the one option offered besides `first`.
 */
export function regionPicker({ id, label, first, button, note, selected, onPick }) {
  const noteId = note ? `${id}-note` : null;
  const select = h('select', { id, name: 'region', 'aria-describedby': noteId }, h('option', { value: '' }, first));
  const form = h('form', { class: 'field region-form' },
    h('label', { for: id }, label),
    h('div', { class: 'search-row' }, select, h('button', { type: 'submit' }, button)),
    note ? h('p', { class: 'note', id: noteId }, note) : null);
  let items = [];
  form.ready = api('/regions').then((res) => { items = res.items || []; return null; }, (err) => {
    const item = savedRegionItem();
    items = item ? [item] : [];
    return err;
  }).then((err) => {
    for (const r of items) select.append(h('option', { value: r.code, selected: r.code === selected }, regionLabel(r)));
    return err;
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onPick(items.find((r) => r.code === select.value) || null);
  });
  return form;
}
