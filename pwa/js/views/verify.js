// 公开核验: what anyone scanning a licence's QR code learns, without logging in: valid, expired
// or revoked (and whether the signature holds), the masked holder, the issuer and the dates, and
// what the licence licenses. Times are Beijing time whatever the device's zone.
import { api } from '../api.js';
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { stateName } from '../status.js';
import { errorBox, fact, heading, loading } from '../ui.js';
import '../intake-strings.js';  // the check's texts, for a visitor who never logged in

const BEIJING = 'Asia/Shanghai';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parts(date, withTime) {
  const opts = { timeZone: BEIJING, year: 'numeric', month: '2-digit', day: '2-digit' };
  if (withTime) Object.assign(opts, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const got = Object.fromEntries(new Intl.DateTimeFormat('en-GB', opts).formatToParts(date).map((p) => [p.type, p.value]));
  const day = `${got.year}-${got.month}-${got.day}`;
  return withTime ? `${day} ${got.hour}:${got.minute}` : day;
}

function parsed(iso) {
  if (!iso || DATE_ONLY.test(iso)) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A calendar day in Beijing: a date stays as it is; a moment is read in Beijing, not here. */
export function bjDay(iso) {
  if (!iso) return '—';
  if (DATE_ONLY.test(iso)) return iso;
  const d = parsed(iso);
  return d ? parts(d, false) : '—';
}

/** A moment as Beijing time, said so: "2026-12-01 09:30（北京时间）". */
export function bjWhen(iso) {
  const d = parsed(iso);
  return d ? t('bjTime', { at: parts(d, true) }) : '—';
}

/** A licence's data rows, labelled in the page's language. */
export function fieldFacts(fields) {
  return (fields || []).map((f) => fact(lang() === 'en' ? (f.label_en || f.label) : f.label, f.value));
}

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
  // replaceChildren would print a null as "null": only what is there goes in.
  slot.replaceChildren(...[
    h('p', { class: `verdict st-${state}`, id: 'verdict', role: 'status' }, stateName(state)),
    h('dl', { class: 'facts' },
      fact(t('licType'), (lang() === 'en' && v.type_name_en) || v.type_name), fact(t('licNumber'), v.number),
      fact(t('licHolder'), h('span', { id: 'v-holder' }, v.holder)), fact(t('licIssuer'), v.issuer),
      fact(t('licIssued'), bjDay(v.issued)), fact(t('licExpires'), v.expires ? bjDay(v.expires) : t('licNoExpiry'))),
    v.fields?.length ? h('section', { 'aria-labelledby': 'v-f-h' }, h('h2', { id: 'v-f-h' }, t('verifyFields')),
      h('dl', { class: 'facts', id: 'v-fields' }, fieldFacts(v.fields))) : null,
    h('p', { class: 'meta', id: 'v-checked' }, t('verifyChecked', { at: bjWhen(v.checked_at) })),
    v.holder_kind === 'person' ? h('p', { class: 'meta' }, t('verifyNote')) : null].filter(Boolean));
}
