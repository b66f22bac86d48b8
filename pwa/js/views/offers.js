// 免申即享 on the page (views/page.js): what the city already knows the person qualifies for, each
// with its reason and what the server will file (masked values: nothing to type), one 确认领取 and
// one plain confirmation step with big buttons; then the filed application's number and a link.
// Someone who no longer qualifies gets a 409 whose reason is shown in place of the button.
import { friendly } from '../api.js';
import { h } from '../dom.js';
import { localised, nameOf, t } from '../i18n.js';
import '../page-strings.js';
import { authed } from '../session.js';

/** The reason of a 409 (the server's, in the current language), else a plain message. */
function refusal(err) {
  if (err.status !== 409) return friendly(err);
  const d = err.details || {};
  return t('ofRefused', { reason: localised(d, 'reason') || err.message || t('err_409') });
}

const deptName = (d) => (d && typeof d === 'object' ? nameOf(d) : d || '');

function card(o) {
  const title = nameOf(o);
  const live = h('div', { class: 'offer-result', role: 'status' });
  const claim = h('button', { type: 'button', class: 'claim', 'aria-label': `${t('ofClaim')}：${title}` }, t('ofClaim'));
  const li = h('li', { class: 'card offer', 'data-code': o.code },
    h('a', { class: 'title', href: `#/matters/${encodeURIComponent(o.code)}` }, title),
    h('p', { class: 'sub reason' }, localised(o, 'reason')),
    o.fields?.length ? [h('p', { class: 'meta' }, t('ofFiled')),
      h('dl', { class: 'filed' }, o.fields.map((f) => [h('dt', null, localised(f, 'label')), h('dd', null, f.value ?? '—')]))] : null,
    o.materials?.length ? [h('p', { class: 'meta' }, t('ofMaterials')),
      h('ul', { class: 'filed-mats' }, o.materials.map((m) => h('li', null, localised(m, 'name'), ' · ',
        h('span', { class: 'sub' }, t(`ofSrc_${m.source}`)))))] : null,
    o.department ? h('p', { class: 'meta' }, `${t('ofDept')}${t('colon')}${deptName(o.department)}`) : null,
    claim, live);
  claim.addEventListener('click', () => ask(o, title, claim, live));
  return li;
}

function ask(o, title, claim, live) {
  const q = h('p', { class: 'confirm-q', tabindex: '-1' }, t('ofAsk', { name: title }));
  const yes = h('button', { type: 'button' }, t('ofYes'));
  const no = h('button', { type: 'button', class: 'secondary' }, t('ofNo'));
  const box = h('div', { class: 'confirm', role: 'group', 'aria-label': t('ofClaim') }, q, h('div', { class: 'actions' }, yes, no));
  claim.hidden = true;
  live.replaceChildren();
  claim.after(box);
  q.focus();
  no.addEventListener('click', () => { box.remove(); claim.hidden = false; claim.focus(); });
  yes.addEventListener('click', async () => {
    if (yes.getAttribute('aria-disabled')) return;
    yes.setAttribute('aria-disabled', 'true');
    yes.textContent = t('ofSending');
    let app;
    try {
      app = await authed(`/me/offers/${encodeURIComponent(o.code)}/confirm`, { method: 'POST' });
    } catch (err) {
      box.remove();
      const text = h('p', { class: 'error', tabindex: '-1' }, refusal(err));
      live.replaceChildren(text);
      if (err.status !== 409) claim.hidden = false; // a network fault: may try again
      text.focus();
      return;
    }
    box.remove();
    const done = h('p', { class: 'notice done', tabindex: '-1' }, t('ofDone', { id: app.id }));
    live.replaceChildren(done,
      h('p', null, h('a', { class: 'btn', href: `#/applications/${encodeURIComponent(app.id)}` }, t('ofView'))));
    done.focus();
  });
}

/** The offers section of the page (nothing when there is none). */
export function offers(page, section) {
  const list = page.offers || [];
  if (!list.length) return null;
  return section('pg-offers', t('ofTitle'), null, h('ul', { class: 'list' }, list.map(card)));
}
