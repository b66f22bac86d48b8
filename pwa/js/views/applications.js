// 我的办件: the list with status, and one application's deadlines, timeline, items to correct,
// licences issued, and withdraw (after a confirmation).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { deadlines, timeline, when } from '../intake.js';
import { authed, loggedIn } from '../session.js';
import { statusTag } from '../status.js';
import { confirmStep, errorBox, fact, heading, loading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';

const WITHDRAWABLE = new Set(['draft', 'submitted', 'returned', 'accepted', 'in_process']);

export async function applications(el) {
  el.append(heading(t('myApps')));
  if (!loggedIn()) { el.append(loginPrompt('/applications')); return; }
  const list = pagedList({
    fetchPage: (cursor) => authed('/applications', { params: { cursor, limit: 20 } }),
    renderItem: (a) => h('li', { class: 'card app' },
      h('a', { class: 'title', href: `#/applications/${encodeURIComponent(a.id)}` }, a.matter_name || a.matter),
      h('p', { class: 'meta' }, statusTag('app', a.status, a.status_zh), ' ', h('span', { class: 'sub' }, `${t('appNo')}：${a.id} · ${when(a.updated)}`))),
    countText: (n) => t('appsCount', { n }),
    emptyText: t('noApps'),
  });
  el.append(list);
  await list.ready;
}

export async function application(el, { args: [id], query }) {
  const title = heading(t('myApps'));
  el.append(title);
  if (!loggedIn()) { el.append(loginPrompt(`/applications/${id}`)); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  async function load(notice) {
    let a;
    try {
      a = await authed(`/applications/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err.code !== 'login_required') slot.replaceChildren(errorBox(err, () => load()));
      return;
    }
    title.textContent = a.matter_name || a.matter;
    const parts = [
      notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice) : null,
      h('dl', { class: 'facts' },
        fact(t('appNo'), a.id), fact(t('appStatus'), h('span', { id: 'app-status' }, statusTag('app', a.status, a.status_zh))),
        fact(t('appCreated'), when(a.created)), a.submitted ? fact(t('appSubmitted'), when(a.submitted)) : null),
      h('section', { 'aria-labelledby': 'ap-dl-h' }, h('h2', { id: 'ap-dl-h' }, t('deadlinesTitle')), deadlines(a.deadlines)),
    ];
    if (a.status === 'returned' && a.return_items?.length) {
      parts.push(h('section', { class: 'returned', 'aria-labelledby': 'ap-ret-h' }, h('h2', { id: 'ap-ret-h' }, t('returnTitle')),
        h('ul', { class: 'box' }, a.return_items.map((i) => h('li', null, i))),
        a.reason ? h('p', null, `${t('reasonLabel')}：`, a.reason) : null));
    } else if (a.reason && ['refused', 'not_accepted'].includes(a.status)) {
      parts.push(h('p', { class: 'box' }, `${t('reasonLabel')}：`, a.reason));
    }
    if (a.licences?.length) {
      parts.push(h('section', { 'aria-labelledby': 'ap-lic-h' }, h('h2', { id: 'ap-lic-h' }, t('resultLicences')),
        h('ul', { class: 'entries' }, a.licences.map((lid) => h('li', null, h('a', { href: `#/wallet/${lid}` }, t('viewLicence')))))));
    }
    parts.push(h('section', { 'aria-labelledby': 'ap-tl-h' }, h('h2', { id: 'ap-tl-h' }, t('timeline')), timeline(a.events)));
    if (WITHDRAWABLE.has(a.status)) parts.push(withdrawBox(a, load));
    slot.replaceChildren(...parts.filter(Boolean));
    slot.querySelector('.notice')?.focus();
  }
  await load(query.get('submitted') ? t('submitted') : null);
}

function withdrawBox(a, reload) {
  const btn = h('button', { type: 'button', class: 'secondary wide' }, t('withdraw'));
  btn.addEventListener('click', () => confirmStep({
    question: t('withdrawQ'), hide: btn, trigger: btn,
    yes: async () => {
      await authed(`/applications/${encodeURIComponent(a.id)}/withdraw`, { method: 'POST' });
      await reload(t('withdrawn'));
    },
  }));
  return h('div', { class: 'withdraw' }, btn);
}
