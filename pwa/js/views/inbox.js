// 消息 (#/inbox): the current identity's inbox, newest first, page by page ("加载更多"), all or
// only the unread; opening a notice shows it whole and marks it read (the badge on 首页 drops);
// "全部标为已读". An enterprise's viewer reads but does not mark (the API says 403: one read state
// per inbox). Personal: the service worker never caches /api/v1/me, so offline this says it needs
// the network rather than showing anything kept.
import { friendly } from '../api.js';
import { setBadge } from '../badge.js';
import { h } from '../dom.js';
import '../id-strings.js';
import { t } from '../i18n.js';
import '../page-strings.js';
import { whyLines } from '../notify-strings.js';
import { authed, currentIdentity, loggedIn, profile } from '../session.js';
import { errorBox, heading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';

const PAGE_SIZE = 10;
const when = (iso) => (iso || '').slice(0, 16).replace('T', ' ');
const offline = (err) => err && (err.status === 0 || err.code === 'offline' || err.code === 'network');

function filter(unread) {
  const link = (on, key, href) => h('li', null, h('a', { href, 'aria-current': on ? 'page' : null }, t(key)));
  return h('ul', { class: 'switch', 'aria-label': t('ibFilter') },
    link(!unread, 'ibAll', '#/inbox'), link(unread, 'ibUnreadOnly', '#/inbox?unread=1'));
}

export async function inbox(el, { query }) {
  el.append(heading(t('ibTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/inbox')); return; }
  const unreadOnly = query.get('unread') === '1';
  // A notification's tap (the service worker adds via=push and the notice's id): that notice
  // is read through the push, once, so its campaign counts the click; then shown opened.
  const tapped = query.get('via') === 'push' ? query.get('n') : null;
  if (query.get('via') === 'push') history.replaceState(history.state, '', '#/inbox');
  const me = await profile().catch(() => null); // cached once loaded: the role decides the marking
  const role = me ? currentIdentity(me).role : 'self';
  const mayMark = role !== 'viewer';
  const live = h('p', { class: 'sr-only', id: 'ib-status', role: 'status' });
  const count = h('p', { class: 'status', id: 'ib-unread' });
  const all = h('button', { type: 'button', class: 'secondary', id: 'ib-read-all', hidden: true }, t('ibReadAll'));
  const slot = h('div');
  el.append(...[filter(unreadOnly), h('div', { class: 'ib-head' }, count, all),
    mayMark ? null : h('p', { class: 'hint' }, t('ibNoMark')), live, slot].filter(Boolean));

  let unread = 0;
  const showCount = (n) => {
    unread = Math.max(0, n);
    count.textContent = unread ? t('ibUnreadNow', { n: unread }) : t('ibAllRead');
    all.hidden = !mayMark || !unread;
    if (el.isConnected) setBadge(unread); // a screen left behind (another identity's) sets nothing
  };
  const say = (text) => { live.textContent = text; };

  function item(n) {
    const li = h('li', { class: `card notice-item${n.read ? '' : ' unread'}`, 'data-id': n.id });
    const body = h('div', { class: 'ib-body', id: `ib-${n.id}`, hidden: true },
      h('p', null, n.body),
      n.why ? h('details', { class: 'why' }, h('summary', null, t('lgWhy')), whyLines(n.why).map((line) => h('p', null, line))) : null,
      n.link ? h('p', null, h('a', { class: 'btn', href: n.link }, t('ibGo'))) : null);
    const tag = n.read ? null : h('span', { class: 'tag new' }, t('pgNew'));
    const open = h('button', { type: 'button', class: 'ib-open', 'aria-expanded': 'false', 'aria-controls': body.id },
      tag, h('span', { class: 'ib-title' }, n.title));
    open.addEventListener('click', async () => {
      const on = open.getAttribute('aria-expanded') !== 'true';
      open.setAttribute('aria-expanded', String(on));
      body.hidden = !on;
      if (!on || n.read || !mayMark) return;
      n.read = true; // one request per notice, even on a double tap
      try {
        await authed(`/me/inbox/${encodeURIComponent(n.id)}/read`, { method: 'POST' });
        li.classList.remove('unread');
        tag?.remove();
        showCount(unread - 1);
        say(t('ibMarked'));
      } catch (err) {
        n.read = false;
        say(friendly(err));
      }
    });
    li.append(h('p', { class: 'title' }, open), h('p', { class: 'meta' }, when(n.at)), body);
    return li;
  }

  all.addEventListener('click', async () => {
    all.disabled = true;
    try {
      const got = await authed('/me/inbox/read-all', { method: 'POST' });
      for (const li of slot.querySelectorAll('li.unread')) {
        li.classList.remove('unread');
        li.querySelector('.tag.new')?.remove();
      }
      showCount(got.unread);
      say(t('ibMarkedAll', { n: got.marked }));
      count.tabIndex = -1;
      count.focus();
    } catch (err) {
      say(friendly(err));
    } finally {
      all.disabled = false;
    }
  });

  async function load() {
    slot.replaceChildren();
    let first;
    try {
      [first] = await Promise.all([
        authed('/me/inbox', { params: { limit: PAGE_SIZE, unread: unreadOnly ? 'true' : null } }),
        authed('/me/inbox/unread').then((c) => showCount(c.unread)),
      ]);
    } catch (err) {
      if (err.code === 'login_required') return;
      count.textContent = '';
      all.hidden = true;
      if (err.status === 403) slot.replaceChildren(h('p', { class: 'box' }, t('pgNoInboxAct')));
      else if (offline(err)) slot.replaceChildren(h('div', { class: 'error', role: 'alert', id: 'ib-offline' }, h('p', null, t('ibOffline')),
        h('button', { type: 'button', class: 'secondary', onclick: load }, t('retry'))));
      else slot.replaceChildren(errorBox(err, load));
      return;
    }
    let given = first;
    const list = pagedList({
      fetchPage: async (cursor) => {
        if (given) { const page = given; given = null; return page; }
        return authed('/me/inbox', { params: { limit: PAGE_SIZE, cursor, unread: unreadOnly ? 'true' : null } });
      },
      renderItem: item,
      countText: (n) => t('ibCount', { n }),
      emptyText: t(unreadOnly ? 'ibNoneUnread' : 'ibNone'),
    });
    list.querySelector('.list').classList.add('inbox-list');
    slot.replaceChildren(list);
    await list.ready;
  }
  if (tapped && mayMark) {
    await authed(`/me/inbox/${encodeURIComponent(tapped)}/read`, { method: 'POST', params: { via: 'push' } })
      .catch(() => null); // gone, or another identity's: the list says what there is
  }
  await load();
  const shown = tapped && [...slot.querySelectorAll('li.notice-item')].find((li) => li.dataset.id === tapped);
  if (shown) {
    const btn = shown.querySelector('.ib-open');
    btn.setAttribute('aria-expanded', 'true');
    shown.querySelector('.ib-body').hidden = false;
    btn.focus();
  }
}
