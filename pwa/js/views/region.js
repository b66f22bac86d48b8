// "我的地区": a native <select> of the city and its counties, applied with a button (WCAG 3.2.2).
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { regionLabel, saveRegion, savedRegion, savedRegionItem } from '../region.js';
import { errorBox, heading } from '../ui.js';

export async function region(el, { from }) {
  const current = savedRegion();
  const select = h('select', { id: 'region-select', name: 'region', 'aria-describedby': 'region-note' },
    h('option', { value: '' }, t('regionAllOption')));
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const errSlot = h('div');
  const form = h('form', { class: 'field region-form' },
    h('label', { for: 'region-select' }, t('regionLabel')),
    h('div', { class: 'search-row' }, select, h('button', { type: 'submit' }, t('regionApply'))),
    h('p', { class: 'note', id: 'region-note' }, t('regionNote')));
  const back = from && from !== '#/region' ? from : '#/';
  el.append(h('a', { class: 'back', href: back }, '‹ ', t('back')), heading(t('regionTitle')), form, status, errSlot);

  let items = [];
  try {
    ({ items } = await api('/regions'));
  } catch (err) {
    // Offline and never loaded: keep "全市" and the current choice so the page still works.
    const item = savedRegionItem();
    items = item ? [item] : [];
    errSlot.append(errorBox(err));
  }
  for (const r of items) {
    select.append(h('option', { value: r.code, selected: r.code === current }, regionLabel(r)));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const item = items.find((r) => r.code === select.value) || null;
    saveRegion(item);
    status.replaceChildren(t('regionSaved', { name: regionLabel(item) }), ' ',
      h('a', { href: back }, t('regionContinue')));
  });
}
