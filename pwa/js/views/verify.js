// 公开核验: what anyone scanning a licence's QR code learns, without logging in: valid, expired
// or revoked (and whether the signature holds), the masked holder, the issuer and the dates.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { day, when } from '../intake.js';
import { stateName } from '../status.js';
import { errorBox, fact, heading, loading } from '../ui.js';

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
  slot.replaceChildren(
    h('p', { class: `verdict st-${state}`, id: 'verdict', role: 'status' }, stateName(state)),
    h('dl', { class: 'facts' },
      fact(t('licType'), v.type_name), fact(t('licNumber'), v.number),
      fact(t('licHolder'), h('span', { id: 'v-holder' }, v.holder)), fact(t('licIssuer'), v.issuer),
      fact(t('licIssued'), day(v.issued)), fact(t('licExpires'), v.expires ? day(v.expires) : t('licNoExpiry'))),
    h('p', { class: 'meta' }, t('verifyChecked', { at: when(v.checked_at) })),
    v.holder_kind === 'person' ? h('p', { class: 'meta' }, t('verifyNote')) : null);
}
