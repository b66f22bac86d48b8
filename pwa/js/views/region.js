// "我的地区": the region picker of the city and its counties; the choice is remembered for every list.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { regionLabel, regionPicker, saveRegion, savedRegion } from '../region.js';
import { errorBox, heading } from '../ui.js';

export async function region(el, { from }) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const errSlot = h('div');
  const back = from && from !== '#/region' ? from : '#/';
  const form = regionPicker({
    id: 'region-select', label: t('regionLabel'), first: t('regionAllOption'), button: t('regionApply'),
    note: t('regionNote'), selected: savedRegion(),
    onPick: (item) => {
      saveRegion(item);
      status.replaceChildren(t('regionSaved', { name: regionLabel(item) }), ' ', h('a', { href: back }, t('regionContinue')));
    },
  });
  el.append(h('a', { class: 'back', href: back }, '‹ ', t('back')), heading(t('regionTitle')), form, status, errSlot);
  // Offline and never loaded: "全市" and the current choice still work; say why the list is short.
  const err = await form.ready;
  if (err) errSlot.append(errorBox(err));
}
