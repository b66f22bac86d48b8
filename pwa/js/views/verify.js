// 公开核验: what anyone scanning a licence's QR code learns, without logging in: valid, expired
// or revoked (and whether the signature holds), the masked holder, the issuer and the dates.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { day, when } from '../intake.js';
import { errorBox, heading, loading } from '../ui.js';

export async function verify(el, { args: [lid] }) {
  const title = heading(t('verifyTitle'));
  const slot = h('div', null, loading());
  el.append(title, slot);
  let v;
  try {
    v = await api(`/verify/${encodeURIComponent(lid)}`);
  } catch (err) {
    slot.replaceChildren(err.status === 404 ? h('p', { class: 'error', role: 'alert' }, t('verifyNotFound')) : errorBox(err));
    return;
  }
  const state = v.signature_valid === false ? 'invalid' : v.status;
  const fact = (k, val) => [h('dt', null, t(k)), h('dd', null, val)];
  slot.replaceChildren(
    h('p', { class: `verdict lic-${state}`, id: 'verdict', role: 'status' }, t(`lic_${state}`)),
    h('dl', { class: 'facts' },
      fact('licType', v.type_name), fact('licNumber', v.number),
      fact('licHolder', h('span', { id: 'v-holder' }, v.holder)), fact('licIssuer', v.issuer),
      fact('licIssued', day(v.issued)), fact('licExpires', v.expires ? day(v.expires) : t('licNoExpiry'))),
    h('p', { class: 'meta' }, t('verifyChecked', { at: when(v.checked_at) })),
    v.holder_kind === 'person' ? h('p', { class: 'meta' }, t('verifyNote')) : null);
}
