// 我的消息记录 (#/me/ledger): every message the city sent the person on any channel, newest first,
// page by page: each with its channels' outcomes, its status, "为什么收到" (which campaign and
// segment rule, or what triggered it) and the code that verifies it (验证消息). Personal: never
// cached by the service worker, so offline this says it needs the network.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { whyLines } from '../notify-strings.js';
import { authed, loggedIn } from '../session.js';
import { errorBox, heading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';

const PAGE_SIZE = 10;
const when = (iso) => (iso || '').slice(0, 16).replace('T', ' ');
const offline = (err) => err && (err.status === 0 || err.code === 'offline' || err.code === 'network');
const known = (key, fallback) => (t(key) === key ? fallback : t(key));

function entry(m) {
  const chans = Object.entries(m.channels || {}).map(([c, outcome]) =>
    h('span', { class: `tag ch-${outcome}` }, `${known(`ch_${c}`, c)}：${known(`st_${outcome}`, outcome)}`));
  return h('li', { class: 'card ledger-item', 'data-id': m.id },
    h('p', { class: 'title' }, m.title),
    h('p', { class: 'meta' }, when(m.at), ' · ', known(`tp_${m.topic}`, m.topic), ' · ',
      h('strong', { class: 'lg-status' }, known(`st_${m.status}`, m.status))),
    h('p', { class: 'meta channels' }, chans),
    h('details', { class: 'why' }, h('summary', null, t('lgWhy')), whyLines(m.why).map((line) => h('p', null, line))),
    m.code ? h('p', { class: 'code-line' }, `${t('lgCode')}：`, h('code', { class: 'vcode' }, m.code), ' ',
      h('a', { class: 'btn secondary', href: `#/verify-message?code=${encodeURIComponent(m.code)}` }, t('lgVerify'))) : null);
}

export async function ledger(el) {
  el.append(heading(t('lgTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/me/ledger')); return; }
  el.append(h('p', { class: 'help' }, t('lgIntro')));
  const slot = h('div');
  el.append(slot);
  async function load() {
    let first;
    try {
      first = await authed('/me/ledger', { params: { limit: PAGE_SIZE } });
    } catch (err) {
      if (err.code === 'login_required') return;
      slot.replaceChildren(offline(err) ? h('div', { class: 'error', role: 'alert', id: 'lg-offline' }, h('p', null, t('lgOffline')),
        h('button', { type: 'button', class: 'secondary', onclick: load }, t('retry'))) : errorBox(err, load));
      return;
    }
    const list = pagedList({
      fetchPage: async (cursor) => {
        if (first) { const page = first; first = null; return page; }
        return authed('/me/ledger', { params: { limit: PAGE_SIZE, cursor } });
      },
      renderItem: entry,
      countText: (n) => t('lgCount', { n }),
      emptyText: t('lgNone'),
    });
    list.querySelector('.list').classList.add('ledger-list');
    slot.replaceChildren(list);
    await list.ready;
  }
  await load();
}
