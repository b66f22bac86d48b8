// 我的办件: the list with status and receipts (kept on this device to read offline), and one
// application's receipt, deadlines, what to correct (补正, with the way to it), timeline,
// licences issued, and withdraw (after a confirmation). 办件查询 lives in views/progress.js.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { day, deadlines, receiptBox, timeline, when } from '../intake.js';
import { authed, holderKey, loggedIn, personId, profile, sharedDevice } from '../session.js';
import '../staff-strings.js';
import { statusTag } from '../status.js';
import { confirmStep, errorBox, fact, heading, loading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';
import { ratingBox } from './rating.js';

const WITHDRAWABLE = new Set(['draft', 'submitted', 'returned', 'accepted', 'in_process']);

// The first page of the list, kept explicitly in the Cache API under a name derived from the
// holder (the service worker caches no personal API data), so the list reads offline: only by
// the person who saved it, while logged in (logout deletes it); never on a shared phone.
async function copies() {
  const key = holderKey();
  if (!key || !('caches' in window) || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`apps:${key}`));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 32);
  return caches.open(`mz-apps-${hex}`);
}
async function keep(page) {
  if (sharedDevice()) return;
  try {
    const owner = (await profile()).id;
    const c = await copies();
    if (c && owner === personId() && !sharedDevice()) await c.put('/__apps/list', new Response(JSON.stringify({ ...page, owner, saved: new Date().toISOString() }), { headers: { 'Content-Type': 'application/json' } }));
  } catch { /* storage full or blocked: the list just will not read offline */ }
}
async function kept() {
  try {
    const c = await copies();
    const hit = c && await c.match('/__apps/list');
    const copy = hit ? await hit.json() : null;
    return copy && loggedIn() && copy.owner && copy.owner === personId() ? copy : null;
  } catch { return null; }
}
const offline = (err) => err && (err.status === 0 || err instanceof TypeError);

const progressLink = () => h('p', { class: 'help' }, t('progressAnon'), ' ', h('a', { href: '#/progress' }, t('progressLink')));

function item(a) {
  return h('li', { class: 'card app' },
    h('a', { class: 'title', href: `#/applications/${encodeURIComponent(a.id)}` }, a.matter_name || a.matter),
    h('p', { class: 'meta' }, statusTag('app', a.status, a.status_zh), ' ', h('span', { class: 'sub' }, `${t('appNo')}：${a.id} · ${when(a.updated)}`)),
    a.query_code ? h('p', { class: 'meta' }, `${t('queryCode')}：`, h('span', { class: 'code' }, a.query_code)) : null);
}

export async function applications(el) {
  el.append(heading(t('myApps')));
  if (!loggedIn()) { el.append(loginPrompt('/applications'), progressLink()); return; }
  const note = h('div');
  let first = true;
  const list = pagedList({
    fetchPage: async (cursor) => {
      const wasFirst = first && !cursor;
      first = false;
      try {
        const page = await authed('/applications', { params: { cursor, limit: 20 } });
        if (wasFirst) keep(page);
        return page;
      } catch (err) {
        const copy = wasFirst && offline(err) ? await kept() : null;
        if (!copy) throw err;
        note.replaceChildren(h('p', { class: 'notice offline-copy', role: 'status', id: 'apps-offline' },
          t('appsOffline', { at: when(copy.saved), n: (copy.items || []).length })));
        return { items: copy.items || [], next_cursor: null };
      }
    },
    renderItem: item,
    countText: (n) => t('appsCount', { n }),
    emptyText: t('noApps'),
  });
  el.append(note, list, progressLink());
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
      a.status === 'returned' ? correctionBox(a) : null,
      h('dl', { class: 'facts' },
        fact(t('appNo'), a.id), fact(t('appStatus'), h('span', { id: 'app-status' }, statusTag('app', a.status, a.status_zh))),
        fact(t('appCreated'), when(a.created)), a.submitted ? fact(t('appSubmitted'), when(a.submitted)) : null),
      a.status !== 'draft' ? receiptBox(a.receipt) : null,
      h('section', { 'aria-labelledby': 'ap-dl-h' }, h('h2', { id: 'ap-dl-h' }, t('deadlinesTitle')), deadlines(a.deadlines, a.status)),
      materialsList(a),
    ];
    if (a.status === 'lapsed') {
      parts.push(h('p', { class: 'box', id: 'app-lapsed' }, t('lapsedText', { due: day(a.correction?.due) })));
    } else if (a.reason && ['refused', 'not_accepted'].includes(a.status)) {
      parts.push(h('p', { class: 'box' }, `${t('reasonLabel')}：`, a.reason));
    }
    if (a.licences?.length) {
      parts.push(h('section', { 'aria-labelledby': 'ap-lic-h' }, h('h2', { id: 'ap-lic-h' }, t('resultLicences')),
        h('ul', { class: 'entries' }, a.licences.map((lid) => h('li', null, h('a', { href: `#/wallet/${lid}` }, t('viewLicence')))))));
    }
    parts.push(ratingBox(a));
    parts.push(h('section', { 'aria-labelledby': 'ap-tl-h' }, h('h2', { id: 'ap-tl-h' }, t('timeline')), timeline(a.events)));
    if (WITHDRAWABLE.has(a.status)) parts.push(withdrawBox(a, load));
    slot.replaceChildren(...parts.filter(Boolean));
    slot.querySelector('.notice')?.focus();
  }
  const notice = query.get('submitted') ? t('submitted') : query.get('resubmitted') ? t('resubmitted') : null;
  // Said once: a reload or a later visit of this address does not announce it again.
  if (notice) history.replaceState(history.state, '', `#/applications/${encodeURIComponent(id)}`);
  await load(notice);
}

/** The materials attached, an upload with its malware scan (an infected one must be replaced). */
function materialsList(a) {
  const rows = Object.entries(a.materials || {});
  if (!rows.length) return null;
  return h('section', { 'aria-labelledby': 'ap-mat-h' }, h('h2', { id: 'ap-mat-h' }, t('matsData')),
    h('ul', { class: 'box mats' }, rows.map(([name, m]) => h('li', { class: 'mat-row', 'data-scan': m.scan || null },
      `${name}：${t(`mat_${m.kind}`)}`, m.kind === 'upload' ? [' ', h('span', { class: `tag scan st-${m.scan || 'pending'}` }, t(`scan_${m.scan || 'pending'}`))] : null))));
}

/** 补正: each point to fix, the applicant's deadline, and the way to the correction screen. */
function correctionBox(a) {
  const items = a.correction?.items?.length ? a.correction.items : a.return_items || [];
  return h('section', { class: 'returned box', 'aria-labelledby': 'ap-ret-h' },
    h('h2', { id: 'ap-ret-h' }, t('returnTitle')),
    h('ul', { id: 'ret-items' }, items.map((i) => h('li', null, i))),
    a.reason ? h('p', null, `${t('reasonLabel')}：`, a.reason) : null,
    a.correction?.due ? h('p', { id: 'corr-due' }, t('correctBy', { due: a.correction.due })) : null,
    h('p', { class: 'actions' }, h('a', { class: 'btn', id: 'to-correct', href: `#/apply/${encodeURIComponent(a.matter)}?app=${encodeURIComponent(a.id)}` }, t('correctNow'))));
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
