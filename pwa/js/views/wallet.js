// 证照夹: the holder's e-licences with status; one licence with its QR code (to show and have
// verified), its details and the usage log. Opened once online, a licence and its QR are kept in
// the Cache API under a name derived from the holder, so the owner can show it offline. The
// service worker caches no personal API data: this page stores what it shows, explicitly. A copy
// names the person who saved it and opens only for them, while they are logged in (logout deletes
// it: device.js); on a shared phone (公用手机) nothing is saved.
// Times are Beijing time whatever the device's zone (a saved copy's time too).
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { authed, holderKey, loggedIn, personId, profile, sharedDevice } from '../session.js';
import { statusTag } from '../status.js';
import { errorBox, fact, heading, loading } from '../ui.js';
import { loginPrompt } from './me.js';
import { bjDay, bjWhen, fieldFacts } from './verify.js';

const typeName = (l) => (lang() === 'en' && l.type_name_en) || l.type_name;

async function store() {
  const key = holderKey();
  if (!key || !('caches' in window) || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 32);
  return caches.open(`mz-wallet-${hex}`);
}

async function save(path, data) {
  if (sharedDevice()) return;
  try {
    const owner = (await profile()).id;
    const c = await store();
    if (c && owner === personId() && !sharedDevice()) await c.put(path, new Response(JSON.stringify({ ...data, owner, saved: new Date().toISOString() }), { headers: { 'Content-Type': 'application/json' } }));
  } catch { /* storage full or blocked: it just will not show offline */ }
}

async function saved(path) {
  try {
    const c = await store();
    const hit = c && await c.match(path);
    const copy = hit ? await hit.json() : null;
    return copy && loggedIn() && copy.owner && copy.owner === personId() ? copy : null;
  } catch { return null; }
}

const offline = (err) => err && err.status === 0;

export async function wallet(el) {
  el.append(heading(t('wallet')));
  if (!loggedIn()) { el.append(loginPrompt('/wallet')); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  let items; let note = null;
  try {
    items = (await authed('/wallet')).items || [];
    save('/__wallet/list', { items });
  } catch (err) {
    const copy = offline(err) ? await saved('/__wallet/list') : null;
    if (!copy) { if (err.code !== 'login_required') slot.replaceChildren(errorBox(err)); return; }
    items = copy.items;
    note = h('p', { class: 'notice', role: 'status' }, t('offlineCopy', { at: bjWhen(copy.saved) }));
  }
  slot.replaceChildren(...[note,
    h('p', { class: 'status', role: 'status' }, items.length ? t('licCount', { n: items.length }) : t('noLicences')),
    h('ul', { class: 'list' }, items.map((l) => h('li', { class: 'card lic' },
      h('a', { class: 'title', href: `#/wallet/${l.id}` }, typeName(l)),
      h('p', { class: 'meta' }, statusTag('lic', l.status), ' ', h('span', { class: 'sub' }, `${l.number} · ${l.issuer}`)))))].filter(Boolean));
}

function qrSrc(svg) {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export async function licence(el, { args: [lid] }) {
  const title = heading(t('wallet'));
  el.append(title);
  if (!loggedIn()) { el.append(loginPrompt(`/wallet/${lid}`)); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  let lic; let qr; let note = null; let online = true;
  try {
    lic = await authed(`/wallet/${lid}`);
    const res = await fetch(`/api/v1/verify/${lid}/qr.svg`, { cache: 'no-store' }); // not in the HTTP cache after logout
    qr = res.ok ? await res.text() : null;
    if (qr) await save(`/__wallet/${lid}`, { licence: lic, qr });
  } catch (err) {
    const copy = offline(err) || err instanceof TypeError ? await saved(`/__wallet/${lid}`) : null;
    if (!copy) {
      if (offline(err) || err instanceof TypeError) slot.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('offlineNone')));
      else if (err.code !== 'login_required') slot.replaceChildren(errorBox(err));
      return;
    }
    ({ licence: lic, qr } = copy);
    online = false;
    note = h('p', { class: 'notice', role: 'status' }, t('offlineCopy', { at: bjWhen(copy.saved) }));
  }
  title.textContent = typeName(lic);
  const usage = h('div', null, online ? loading() : h('p', { class: 'meta' }, t('usageOffline')));
  slot.replaceChildren(...[note,
    h('section', { class: 'qr', 'aria-labelledby': 'lic-qr-h' }, h('h2', { id: 'lic-qr-h' }, t('qrTitle')),
      qr ? h('img', { id: 'lic-qr', src: qrSrc(qr), alt: t('qrAlt'), width: 240, height: 240 }) : null,
      h('p', { class: 'meta' }, t('qrHelp'), ' ', h('span', { class: 'url', id: 'lic-url' }, lic.verify_url))),
    h('dl', { class: 'facts' },
      fact(t('licStatus'), h('span', { id: 'lic-status' }, statusTag('lic', lic.status))),
      fact(t('licNumber'), lic.number), fact(t('licHolder'), lic.holder_name), fact(t('licIssuer'), lic.issuer),
      fact(t('licIssued'), h('span', { id: 'lic-issued' }, bjDay(lic.issued))),
      fact(t('licExpires'), lic.expires ? bjDay(lic.expires) : t('licNoExpiry'))),
    lic.fields?.length ? h('section', { 'aria-labelledby': 'lic-f-h' }, h('h2', { id: 'lic-f-h' }, t('licFields')),
      h('dl', { class: 'facts', id: 'lic-fields' }, fieldFacts(lic.fields))) : null,
    h('section', { 'aria-labelledby': 'lic-u-h' }, h('h2', { id: 'lic-u-h' }, t('usageTitle')), usage)].filter(Boolean));
  if (online) loadUsage(lid, lic, usage);
}

async function loadUsage(lid, lic, slot) {
  try {
    const [{ items }, me] = await Promise.all([authed(`/wallet/${lid}/usage`), profile()]);
    const labels = Object.fromEntries((lic.fields || []).map((f) => [f.name, lang() === 'en' ? (f.label_en || f.label) : f.label]));
    slot.replaceChildren(items.length ? h('ul', { class: 'list usage' }, items.map((u) => h('li', { class: 'card' },
      h('p', null, t('usageBy', { who: u.user === me.id ? t('self') : t('agent'), at: bjWhen(u.at), matter: u.matter_name || u.matter, app: u.application })),
      h('p', { class: 'meta' }, t('usageFields', { fields: (u.fields || []).map((f) => labels[f] || f).join('、') })))))
      : h('p', null, t('noUsage')));
  } catch (err) {
    slot.replaceChildren(errorBox(err));
  }
}
