// 授权管理: authorisations given and received (accept / revoke after a confirmation), and a form
// to authorise staff of one's enterprise (a role) or family (chosen matters), with an expiry.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { choices, errorsFrom, field, missing, onSubmit, showErrors } from '../forms.js';
import { savedRegion } from '../region.js';
import { authed, identityLabel, loggedIn, profile } from '../session.js';
import { statusTag } from '../status.js';
import { confirmStep, errorBox, fact, heading, loading } from '../ui.js';
import { loginPrompt } from './me.js';

const ROLES = ['preparer', 'approver', 'viewer'];
const names = new Map(); // matter code -> name

async function matterNames(codes) {
  await Promise.all([...new Set(codes)].filter((c) => !names.has(c)).map(async (c) => {
    try { names.set(c, (await api(`/matters/${encodeURIComponent(c)}`)).name); } catch { names.set(c, c); }
  }));
}

const isoDate = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const inDays = (n) => { const d = new Date(); d.setDate(d.getDate() + n); return isoDate(d); };
const roleText = (g) => t(`role_${g.role || 'family'}`);

export async function grants(el) {
  el.append(heading(t('grantsTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/grants')); return; }
  const notice = h('p', { class: 'notice', role: 'status', tabindex: '-1', hidden: true });
  const received = h('div', null, loading());
  const given = h('div');
  el.append(notice,
    h('section', { 'aria-labelledby': 'g-recv-h' }, h('h2', { id: 'g-recv-h' }, t('received')), received),
    h('section', { 'aria-labelledby': 'g-given-h' }, h('h2', { id: 'g-given-h' }, t('given')), given));

  function tell(text) {
    notice.textContent = text;
    notice.hidden = false;
    notice.focus();
  }

  async function act(g, what) {
    try {
      await authed(`/grants/${encodeURIComponent(g.id)}/${what}`, { method: 'POST' });
      await loadLists();
      if (what === 'accept') {
        await profile(true); // the header's switcher now offers the new identity
        tell(t('accepted', { name: identityLabel({ name: g.grantor_name, role: g.role || 'family' }) }));
      } else {
        if (g.direction === 'received') await profile(true);
        tell(t('revoked'));
      }
    } catch (err) {
      tell(errorsFrom(err)[0].text);
      await loadLists().catch(() => {});
    }
  }

  async function loadLists() {
    const items = await allGrants();
    await matterNames(items.flatMap((g) => g.matters || []));
    const mine = items.filter((g) => g.direction === 'received');
    const others = items.filter((g) => g.direction !== 'received');
    received.replaceChildren(mine.length
      ? h('ul', { class: 'list', id: 'grants-received' }, mine.map((g) => card(g, act)))
      : h('p', null, t('noReceived')));
    given.replaceChildren(others.length
      ? h('ul', { class: 'list', id: 'grants-given' }, others.map((g) => card(g, act)))
      : h('p', null, t('noGiven')));
  }

  let p;
  try {
    p = await profile(true);
    await loadLists();
  } catch (err) {
    if (err.code !== 'login_required') received.replaceChildren(errorBox(err));
    return;
  }
  el.append(grantForm(p, async (res) => {
    await loadLists();
    tell(t('grantSent', { name: res.grantee_name }));
  }));
}

// The listing comes a page at a time; a person's authorisations are few, so the screen reads
// them all (a bounded number of pages).
async function allGrants() {
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < 10; pages += 1) {
    const page = await authed(`/grants?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

let cardSeq = 0;

function card(g, act) {
  const incoming = g.direction === 'received';
  const titleId = `grant-${++cardSeq}`;
  const title = incoming
    ? t('grantFrom', { grantor: g.grantor_name, role: roleText(g) })
    : t('grantTo', { grantee: g.grantee_name, phone: g.grantee_phone, role: roleText(g) });
  const facts = h('dl', { class: 'facts small' },
    incoming ? null : fact(t('grantFor'), g.grantor_kind === 'person' ? t('grantFromMe') : g.grantor_name),
    g.matters?.length ? fact(t('gMatters'), g.matters.map((c) => names.get(c) || c).join('、')) : null,
    fact(t('gExpires'), g.expires),
    fact(t('gStatus'), statusTag('grant', g.status)),
    g.status === 'pending' && g.accept_by ? fact(t('gAcceptBy'), g.accept_by.slice(0, 10)) : null);

  const actions = h('div', { class: 'actions' });
  const item = h('li', { class: 'card grant', 'data-status': g.status },
    h('p', { class: 'pname', id: titleId }, title), facts, actions);
  const button = (text, cls, question, what) => {
    const btn = h('button', { type: 'button', class: cls, 'aria-describedby': titleId }, text);
    btn.addEventListener('click', () => confirmStep({ question, hide: actions, trigger: btn, yes: () => act(g, what) }));
    actions.append(btn);
  };
  if (incoming && g.status === 'pending') {
    button(t('accept'), '', t('confirmAccept', { grantor: g.grantor_name }), 'accept');
  }
  if (g.status === 'pending' || g.status === 'active') {
    if (incoming) button(t('decline'), 'secondary', t('confirmDecline', { grantor: g.grantor_name }), 'revoke');
    else button(t('revoke'), 'secondary', t('confirmRevoke'), 'revoke');
  }
  return item;
}

function grantForm(p, done) {
  const ents = (p.enterprises || []).filter((e) => e.role === 'legal_rep');
  const grantor = choices({
    name: 'grantor', legend: t('grantorLegend'), required: true,
    items: [
      ...ents.map((e, i) => ({ value: `enterprise:${e.uscc}`, label: t('grantorEnt', { name: e.name }), checked: i === 0 })),
      { value: 'self', label: t('grantorSelf'), checked: !ents.length },
    ],
  });
  const role = choices({
    name: 'role', legend: t('roleLegend'), required: true,
    items: ROLES.map((r) => ({ value: r, label: t(`role_${r}`), help: t(`roleHelp_${r}`) })),
  });
  const matters = choices({ name: 'matters', legend: t('mattersLegend'), type: 'checkbox', help: t('mattersHelp') });
  const q = h('input', { type: 'search', id: 'g-matter-q', enterkeyhint: 'search', autocomplete: 'off' });
  const findBtn = h('button', { type: 'button', class: 'secondary' }, t('matterSearchBtn'));
  const found = h('p', { class: 'status', role: 'status' });
  matters.list.before(h('div', { class: 'msearch' },
    h('label', { for: 'g-matter-q' }, t('matterSearch')), h('div', { class: 'search-row' }, q, findBtn), found));
  const phone = field({ name: 'grantee_phone', label: t('granteeLabel'), help: t('granteeHelp'), type: 'tel', autocomplete: 'off', inputmode: 'numeric', maxlength: 11, required: true });
  const expires = field({ name: 'expires', label: t('expiresLabel'), help: t('expiresHelp'), type: 'date', min: inDays(1), max: inDays(365), value: inDays(364), required: true });
  const form = h('form', { class: 'account-form', novalidate: true, 'aria-labelledby': 'g-new-h' },
    grantor, role, matters, phone, expires, h('button', { type: 'submit', class: 'wide' }, t('grantBtn')));

  const kind = () => (form.querySelector('input[name="grantor"]:checked')?.value || 'self');
  const update = () => {
    const self = kind() === 'self';
    role.hidden = self;
    matters.hidden = !self;
  };
  form.addEventListener('change', (e) => { if (e.target.name === 'grantor') update(); });
  update();

  async function find() {
    const text = q.value.trim();
    if (!text) return;
    for (const row of [...matters.list.children]) if (!row.querySelector('input').checked) row.remove();
    try {
      const { items } = await api('/matters', { params: { q: text, audience: 'person', limit: 10, region: savedRegion() } });
      const have = new Set([...matters.list.querySelectorAll('input')].map((i) => i.value));
      const fresh = (items || []).filter((m) => !have.has(m.code));
      for (const m of fresh) {
        names.set(m.code, m.name);
        matters.add({ value: m.code, label: m.region?.name ? `${m.name}（${m.region.name}）` : m.name });
      }
      found.textContent = fresh.length ? t('found', { n: fresh.length }) : t('matterNone');
    } catch (err) {
      found.textContent = errorsFrom(err)[0].text;
    }
  }
  findBtn.addEventListener('click', find);
  q.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } });

  onSubmit(form, async () => {
    const self = kind() === 'self';
    const codes = [...matters.list.querySelectorAll('input:checked')].map((i) => i.value);
    const errs = missing(form);
    if (self && !codes.length) errs.push({ field: 'matters', text: t('choose', { label: t('mattersLegend') }) });
    if (errs.length) { showErrors(form, errs); return; }
    const body = { grantor: kind(), grantee_phone: phone.input.value.trim(), expires: expires.input.value };
    if (self) body.matters = codes;
    else body.role = form.querySelector('input[name="role"]:checked').value;
    try {
      const res = await authed('/grants', { body });
      phone.input.value = '';
      await done(res);
    } catch (err) {
      showErrors(form, errorsFrom(err));
    }
  });
  return h('section', { 'aria-labelledby': 'g-new-h' }, h('h2', { id: 'g-new-h' }, t('newGrant')), form);
}
