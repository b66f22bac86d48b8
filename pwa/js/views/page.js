// 我的主页 (一机两页) on the home screen: the page of the current identity (GET /api/v1/me/page):
// a strip of counts at the top, whose place prefs.js holds from the first paint, and below the
// public home the deadline cards, applications, licences, suggestions with their reasons and a
// dismiss, pinned matters, the inbox with its unread badge (also on the nav's 首页 tab, badge.js;
// the whole inbox is views/inbox.js), the 免申即享 offers (views/offers.js); for an enterprise
// its staff and 企业找政府 (views/questions.js). Also the pin button of a guide. Nothing here is stored: the service worker never caches /api/v1/me.
import { friendly } from '../api.js';
import { setBadge } from '../badge.js';
import { h } from '../dom.js';
import '../id-strings.js';
import { localised, nameOf, t } from '../i18n.js';
import '../page-strings.js';
import { authed, loggedIn } from '../session.js';
import { statusTag } from '../status.js';
import { errorBox } from '../ui.js';
import { offers } from './offers.js';
import { questions } from './questions.js';

let seq = 0; // the newest load wins
let pins = null; // the current identity's pinned codes (a Set), from its last page
document.addEventListener('mz:identity', () => { pins = null; });

const dueText = (d) => (d.days_left === 0 ? t('pgDueToday') : t('pgDueIn', { n: d.days_left }));
const when = (iso) => (iso || '').slice(0, 16).replace('T', ' ');

function say(root, text) {
  const live = root.querySelector('#pg-status');
  if (live) live.textContent = text;
}

function section(id, title, badge, ...body) {
  return h('section', { class: 'pg', 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h`, tabindex: '-1' }, title, badge), ...body);
}

const empty = (key) => h('p', { class: 'hint' }, t(key));

function tile(id, n, key, flag, go) {
  return h('li', null, h('button', {
    type: 'button', class: flag && n ? 'flag' : null, 'data-tile': id,
    onclick: go || (() => { const el = document.getElementById(`${id}-h`); el?.scrollIntoView(); el?.focus({ preventScroll: true }); }),
  }, h('span', { class: 'n' }, String(n)), h('span', { class: 'l' }, t(key))));
}

function strip(page) {
  const expiring = page.licences.filter((l) => l.expiring).length;
  return [
    h('h2', { id: 'mine-h' }, t('pgFor', { name: page.profile.name })),
    h('ul', { class: 'mine-tiles' },
      tile('pg-apps', page.applications.length, 'pgTileApps'),
      tile('pg-due', page.deadlines.length, 'pgTileDue'),
      tile('pg-lic', expiring, 'pgTileLic', true),
      tile('pg-inbox', page.inbox.unread, 'pgTileInbox', true,
        page.inbox.available ? () => { location.hash = '#/inbox'; } : null)),
  ];
}

function deadlines(page) {
  return section('pg-due', t('pgDeadlines'), null, page.deadlines.length
    ? h('ul', { class: 'list' }, page.deadlines.map((d) => h('li', { class: `card due${d.days_left <= 7 ? ' warn' : ''}` },
      h('a', { class: 'title', href: `#/matters/${encodeURIComponent(d.matter)}` }, localised(d, 'name')),
      h('p', { class: 'meta' }, h('strong', null, d.date), ' · ', dueText(d),
        d.opens && !d.open ? ` · ${t('pgOpensOn', { date: d.opens })}` : ''),
      h('p', { class: 'sub' }, localised(d, 'reason')))))
    : empty('pgNoDeadlines'));
}

function applications(page) {
  return section('pg-apps', t('pgApps'), null, page.applications.length
    ? h('ul', { class: 'list' }, page.applications.map((a) => h('li', { class: `card${a.turn === 'applicant' ? ' warn' : ''}` },
      h('a', { class: 'title', href: `#/applications/${encodeURIComponent(a.id)}` }, a.matter_name),
      h('p', { class: 'meta' }, statusTag('app', a.status, a.status_zh), ' ',
        t(a.turn === 'applicant' ? 'pgTurnApplicant' : 'pgTurnDept'),
        a.due ? ` · ${t('pgDue', { date: a.due })}` : ''))))
    : empty('pgNoApps'),
  h('p', null, h('a', { href: '#/applications' }, t('pgAllApps'))));
}

function licences(page) {
  return section('pg-lic', t('pgLicences'), null, page.licences.length
    ? h('ul', { class: 'list' }, page.licences.map((l) => h('li', { class: `card lic${l.expiring ? ' warn' : ''}` },
      h('a', { class: 'title', href: `#/wallet/${l.id}` }, localised(l, 'name')),
      h('p', { class: 'meta' },
        l.expiring ? h('span', { class: 'tag expiring' }, t(l.expired ? 'pgExpired' : 'pgExpiring')) : null,
        l.expires ? t('pgExpires', { date: l.expires }) : '',
        l.renew ? [' · ', h('a', { href: `#/matters/${encodeURIComponent(l.renew)}` }, t('pgRenew'))] : null))))
    : empty('pgNoLicences'),
  h('p', null, h('a', { href: '#/wallet' }, t('pgAllLic'))));
}

function recommendations(page, root) {
  const list = h('ul', { class: 'list' });
  for (const r of page.recommendations) {
    const li = h('li', { class: 'card rec' },
      h('a', { class: 'title', href: `#/matters/${encodeURIComponent(r.code)}` }, nameOf(r)),
      h('p', { class: 'sub reason' }, localised(r, 'reason')));
    const button = h('button', { type: 'button', class: 'secondary small', 'aria-label': `${t('pgDismiss')}：${nameOf(r)}` }, t('pgDismiss'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await authed(`/me/recommendations/${encodeURIComponent(r.code)}/dismiss`, { method: 'POST' });
        const next = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        say(root, t('pgDismissed', { name: nameOf(r) }));
        (next?.querySelector('a') || document.getElementById('pg-recs-h'))?.focus();
      } catch (err) {
        button.disabled = false;
        say(root, friendly(err));
      }
    });
    li.append(button);
    list.append(li);
  }
  return section('pg-recs', t('pgRecs'), null, page.recommendations.length ? list : empty('pgNoRecs'));
}

function pinned(page) {
  return section('pg-pins', t('pgPinned'), null, page.pinned.length
    ? h('ul', { class: 'list' }, page.pinned.map((p) => h('li', { class: 'card' },
      h('a', { class: 'title', href: `#/matters/${encodeURIComponent(p.code)}` }, nameOf(p)))))
    : empty('pgNoPinned'));
}

function inbox(page) {
  const box = page.inbox;
  const badge = box.unread ? h('span', { class: 'badge' }, t('pgUnread', { n: box.unread })) : null;
  if (!box.available) return section('pg-inbox', t('pgInbox'), null, empty('pgNoInboxAct'));
  return section('pg-inbox', t('pgInbox'), badge, box.latest.length
    ? h('ul', { class: 'list' }, box.latest.map((n) => h('li', { class: `card notice-item${n.read ? '' : ' unread'}` },
      h('p', { class: 'title' }, n.read ? null : h('span', { class: 'tag new' }, t('pgNew')),
        n.link ? h('a', { href: n.link }, n.title) : n.title),
      h('p', { class: 'sub' }, n.body),
      h('p', { class: 'meta' }, when(n.at)))))
    : empty('pgNoInbox'),
  h('p', null, h('a', { href: '#/inbox', id: 'pg-inbox-all' }, t('ibMore'))));
}

function staff(page) {
  if (!page.enterprise) return null;
  return section('pg-staff', t('pgStaff'), null, h('ul', { class: 'list' }, page.enterprise.staff.map((s) => h('li', { class: 'card' },
    h('p', { class: 'title' }, t(`role_${s.role}`), s.name ? ` · ${s.name}` : '', s.is_you ? t('pgYou') : ''),
    s.expires ? h('p', { class: 'meta' }, t('pgUntil', { date: s.expires })) : null))));
}

/** Draw the current identity's page into the home (again on every visit and identity switch). */
export async function mine(home) {
  const top = home.querySelector('#home-mine');
  const slot = home.querySelector('#home-page');
  if (!top || !slot) return;
  const n = ++seq;
  if (!loggedIn()) {
    hide(top, slot);
    return;
  }
  top.hidden = false;
  let page;
  try {
    page = await authed('/me/page');
  } catch (err) {
    if (n !== seq) return;
    // Logged out meanwhile, or staff (their home is the public one; their work is 工作台): no page.
    if (err.code === 'login_required' || err.status === 403) hide(top, slot);
    else if (err.status === 0) { // personal: never kept on the phone, so offline there is none
      slot.replaceChildren(h('div', { class: 'error', role: 'alert', id: 'pg-offline' }, h('p', null, t('pgOffline')),
        h('button', { type: 'button', class: 'secondary', onclick: () => mine(home) }, t('retry'))));
    } else slot.replaceChildren(errorBox(err, () => mine(home)));
    return;
  }
  if (n !== seq) return;
  pins = new Set(page.pinned.map((p) => p.code));
  top.replaceChildren(...strip(page));
  top.setAttribute('aria-labelledby', 'mine-h');
  slot.replaceChildren(...[h('p', { class: 'sr-only', id: 'pg-status', role: 'status' }),
    offers(page, section), deadlines(page), applications(page), licences(page),
    recommendations(page, slot), pinned(page), inbox(page), questions(page, section),
    staff(page)].filter(Boolean));
  slot.dataset.party = page.party;
  setBadge(page.inbox.available ? page.inbox.unread : 0);
}

function hide(top, slot) {
  top.hidden = true;
  top.replaceChildren();
  slot.replaceChildren();
  document.documentElement.classList.remove('has-page');
  setBadge(0);
}

/** The guide's pin button: its place is drawn by matter.js at once; this sets its state. */
export async function pinButton(button, code) {
  const live = button.parentElement.querySelector('.pin-status');
  try {
    if (!pins) pins = new Set((await authed('/me/page')).pinned.map((p) => p.code));
  } catch { button.hidden = true; return; }
  const draw = () => {
    const on = pins.has(code);
    button.textContent = t(on ? 'unpin' : 'pin');
    button.setAttribute('aria-pressed', String(on));
    button.disabled = false;
  };
  draw();
  button.addEventListener('click', async () => {
    const on = pins.has(code);
    button.disabled = true;
    try {
      await authed(`/me/pins/${encodeURIComponent(code)}`, { method: on ? 'DELETE' : 'PUT' });
      if (on) pins.delete(code); else pins.add(code);
      live.textContent = t(on ? 'unpinned' : 'pinned');
    } catch (err) {
      live.textContent = err.status === 409 ? t('pinFull') : friendly(err);
    }
    draw();
  });
}
