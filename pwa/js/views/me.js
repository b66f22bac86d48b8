// 我的: profile with masked numbers (full ones on an explicit tap), level and how to raise it,
// enterprises and 认证企业, who one can act for, logout.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorsFrom, field, missing, onSubmit, showErrors } from '../forms.js';
import '../intake-strings.js';
import '../notify-strings.js';
import { authed, currentIdentity, identityLabel, loggedIn, logout, profile, sharedDevice } from '../session.js';
import { errorBox, fact, heading, loading } from '../ui.js';
import '../rating-strings.js';

/** Logged out: what the screen is for, and the ways in. */
export function loginPrompt(next) {
  return h('div', { class: 'box' },
    h('p', null, t('loginFirst')),
    h('p', { class: 'actions' },
      h('a', { class: 'btn', href: `#/login?next=${encodeURIComponent(next)}` }, t('loginBtn')), ' ',
      h('a', { class: 'btn secondary', href: '#/register' }, t('toRegister'))));
}

export async function me(el, { query }) {
  el.append(heading(t('meTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/me')); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  async function load() {
    try {
      render(slot, await profile(true), query.get('welcome') ? { text: t('welcome') } : null);
    } catch (err) {
      if (err.code !== 'login_required') slot.replaceChildren(errorBox(err, load));
    }
  }
  await load();
}

function render(slot, p, notice) {
  slot.replaceChildren(...[
    notice && !notice.section ? h('p', { class: 'notice', role: 'status' }, notice.text) : null,
    sharedDevice() ? h('p', { class: 'box shared-on', id: 'me-shared' }, t('sharedOn')) : null,
    profileSection(p),
    levelSection(slot, p, notice?.section === 'level' ? notice : null),
    enterpriseSection(slot, p, notice?.section === 'ent' ? notice : null),
    representingSection(p),
    h('ul', { class: 'entries' },
      h('li', null, h('a', { href: '#/applications' },
        h('strong', null, t('myApps')), ' ', h('span', { class: 'sub' }, t('myAppsSub')))),
      h('li', null, h('a', { href: '#/wallet' },
        h('strong', null, t('wallet')), ' ', h('span', { class: 'sub' }, t('walletSub')))),
      h('li', null, h('a', { href: '#/ask', id: 'me-ask' },
        h('strong', null, t('askNav')), ' ', h('span', { class: 'sub' }, t('askNavSub')))),
      h('li', null, h('a', { href: '#/grants' },
        h('strong', null, t('grantsLink')), ' ', h('span', { class: 'sub' }, t('grantsLinkSub')))),
      h('li', null, h('a', { href: '#/me/notifications' },
        h('strong', null, t('nfLink')), ' ', h('span', { class: 'sub' }, t('nfLinkSub')))),
      h('li', null, h('a', { href: '#/me/ledger' },
        h('strong', null, t('nfLedgerLink')), ' ', h('span', { class: 'sub' }, t('nfLedgerSub')))),
      h('li', null, h('a', { href: '#/verify-message' },
        h('strong', null, t('nfVerifyLink')), ' ', h('span', { class: 'sub' }, t('nfVerifySub'))))),
    h('p', { class: 'logout' }, h('button', {
      type: 'button', class: 'secondary wide',
      onclick: async () => { await logout(); location.hash = '#/login?bye=1'; },
    }, t('logout')))].filter(Boolean));
  const focus = slot.querySelector('.notice[tabindex]');
  if (focus) focus.focus();
}

function profileSection(p) {
  const phone = h('span', { id: 'me-phone' }, p.phone);
  const idNo = h('span', { id: 'me-id' }, p.id_number);
  const status = h('p', { class: 'status', role: 'status' });
  let shown = false;
  const btn = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, t('reveal'));
  btn.addEventListener('click', async () => {
    if (shown) {
      phone.textContent = p.phone;
      idNo.textContent = p.id_number;
      shown = false;
      status.textContent = t('concealed');
    } else {
      try {
        const full = await authed('/me', { params: { reveal: 'phone,id_number' } });
        phone.textContent = full.phone;
        idNo.textContent = full.id_number;
        shown = true;
        status.textContent = t('revealed');
      } catch (err) {
        status.textContent = errorsFrom(err)[0].text;
      }
    }
    btn.setAttribute('aria-pressed', String(shown));
    btn.textContent = shown ? t('hide') : t('reveal');
  });
  return h('section', { 'aria-labelledby': 'me-profile-h' },
    h('h2', { id: 'me-profile-h' }, t('profileTitle')),
    h('dl', { class: 'facts' },
      fact(t('nameLabel'), p.name), fact(t('phoneLabel'), phone), fact(t('idLabel'), idNo),
      fact(t('currentId'), identityLabel(currentIdentity(p)))),
    h('p', { class: 'reveal' }, btn), status);
}

function levelSection(slot, p, notice) {
  const box = h('section', { 'aria-labelledby': 'me-level-h' },
    h('h2', { id: 'me-level-h' }, t('levelTitle')),
    notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice.text) : null,
    h('p', { class: 'level', id: 'me-level' }, h('span', { class: `lv lv${p.level}` }, t(`level_${p.level}`))),
    h('p', null, t(`raise_${Math.min(p.level, 3)}`)));
  if (p.level === 2) box.append(h('p', null, h('a', { href: '#/points' }, t('findPoint'))));
  if (p.level === 1) {
    const name = field({ name: 'name', label: t('nameLabel'), help: t('nameHelp'), autocomplete: 'name', maxlength: 20, required: true, value: p.name });
    const form = h('form', { class: 'account-form', novalidate: true }, name, h('button', { type: 'submit' }, t('raiseBtn')));
    onSubmit(form, async () => {
      const errs = missing(form);
      if (errs.length) { showErrors(form, errs); return; }
      try {
        const res = await authed('/me/real-name', { body: { name: name.input.value.trim() } });
        render(slot, await profile(true), { section: 'level', text: t('levelRaised', { level: t(`level_${res.level}`) }) });
      } catch (err) {
        showErrors(form, errorsFrom(err));
      }
    });
    box.append(form);
  }
  return box;
}

function enterpriseSection(slot, p, notice) {
  const ents = p.enterprises || [];
  const box = h('section', { 'aria-labelledby': 'me-ent-h' },
    h('h2', { id: 'me-ent-h' }, t('entTitle')),
    notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice.text) : null,
    ents.length
      ? h('ul', { class: 'list', id: 'me-ents' }, ents.map((e) => h('li', { class: 'card' },
        h('p', { class: 'pname' }, e.name),
        h('p', { class: 'meta' }, `${t('usccLabel')}：${e.uscc} · ${t(`role_${e.role}`)}`))))
      : h('p', null, t('noEnt')));
  if (p.level < 2) {
    box.append(h('p', { class: 'help' }, t('entNeedsLevel')));
    return box;
  }
  const uscc = field({ name: 'uscc', label: t('usccLabel'), help: t('usccHelp'), autocomplete: 'off', maxlength: 18, spellcheck: 'false', autocapitalize: 'characters', required: true });
  const form = h('form', { class: 'account-form', novalidate: true, 'aria-labelledby': 'me-ent-form-h' },
    h('h3', { id: 'me-ent-form-h' }, t('entBtn')), uscc, h('button', { type: 'submit' }, t('entBtn')));
  onSubmit(form, async () => {
    const errs = missing(form);
    if (errs.length) { showErrors(form, errs); return; }
    try {
      const ent = await authed('/enterprises', { body: { uscc: uscc.input.value.trim().toUpperCase() } });
      render(slot, await profile(true), { section: 'ent', text: t('entDone', { name: ent.name }) });
    } catch (err) {
      const text = err.status === 403 ? t('entNotRep') : err.status === 409 ? t('entTaken') : null;
      showErrors(form, text ? [{ field: 'uscc', text }] : errorsFrom(err));
    }
  });
  box.append(form);
  return box;
}

function representingSection(p) {
  const reps = p.representing || [];
  if (!reps.length) return null;
  return h('section', { 'aria-labelledby': 'me-rep-h' },
    h('h2', { id: 'me-rep-h' }, t('reprTitle')),
    h('ul', { class: 'list' }, reps.map((r) => h('li', { class: 'card' },
      h('p', { class: 'pname' }, identityLabel({ name: r.name || r.id, role: r.role }))))));
}
