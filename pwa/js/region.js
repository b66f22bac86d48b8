// "我的地区": the county-level division a person chose, remembered in localStorage.
// '' (nothing chosen) means the whole city: lists then show every county's copy of a matter.
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
