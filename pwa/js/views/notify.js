// 消息设置 (#/me/notifications): this device's notifications (permission asked only after the tap
// on 开启通知, then pushManager.subscribe with the VAPID key and POST /me/push-subscriptions;
// 关闭 unsubscribes and DELETEs), the person's devices with 移除, and the preferences: topics with
// their channels (legal notices and codes always on), quiet hours, caps and the daily digest
// (GET/PUT /me/preferences). Acting for a company, also which of its topics reach the person.
import { api, friendly } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clearErrors, errorsFrom, onSubmit, showErrors } from '../forms.js';
import '../notify-strings.js';
import { authed, currentIdentity, loggedIn, profile } from '../session.js';
import { errorBox, heading, loading } from '../ui.js';
import { loginPrompt } from './me.js';

const OWN = ['application', 'licence', 'deadline'];
const HOT = ['hot_business', 'hot_tax', 'hot_quality', 'hot_housing_fund', 'hot_social_security', 'announcement'];
const ALWAYS = ['legal', 'security'];
const CHANNELS = ['push', 'sms'];
const when = (iso) => (iso || '').slice(0, 16).replace('T', ' ');
let seq = 0;

export async function notifications(el) {
  el.append(heading(t('nfTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/me/notifications')); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  async function load() {
    try {
      const [prefs, me] = await Promise.all([authed('/me/preferences'), profile().catch(() => null)]);
      const ent = prefs.enterprise && me ? currentIdentity(me) : null;
      const device = h('section', { 'aria-labelledby': 'nf-dev-h' }, h('h2', { id: 'nf-dev-h' }, t('nfDevice')));
      slot.replaceChildren(device, prefsForm(prefs, ent));
      await deviceSection(device);
    } catch (err) {
      if (err.code === 'login_required') return;
      slot.replaceChildren(err.status === 403 ? h('p', { class: 'box' }, t('nfOwnOnly')) : errorBox(err, load));
    }
  }
  await load();
}

// ---- this device and the person's devices --------------------------------------------------

const pushSupported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

async function registration() {
  return (await navigator.serviceWorker.getRegistration()) || navigator.serviceWorker.ready;
}

/** The VAPID key (base64url) as the bytes pushManager.subscribe wants. */
function keyBytes(b64) {
  const s = atob(b64.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function deviceSection(box) {
  const status = h('p', { class: 'status', id: 'nf-push-status', role: 'status' });
  const note = h('p', { class: 'box', id: 'nf-push-note', hidden: true });
  const on = h('button', { type: 'button', id: 'nf-enable', hidden: true }, t('nfEnable'));
  const off = h('button', { type: 'button', class: 'secondary', id: 'nf-disable', hidden: true }, t('nfDisable'));
  const devices = h('div', { id: 'nf-devices' });
  box.append(h('p', { class: 'help' }, t('nfWhy')), note, h('p', { class: 'actions' }, on, off), status,
    h('h3', null, t('nfDevices')), devices);
  const say = (text) => { status.textContent = text; };
  const explain = (text) => { note.textContent = text; note.hidden = !text; };
  let sub = null;

  async function showDevices() {
    try {
      const { items } = await authed('/me/push-subscriptions');
      devices.replaceChildren(items.length ? h('ul', { class: 'list' }, items.map(deviceItem)) : h('p', null, t('nfNoDevices')));
    } catch (err) {
      if (err.code !== 'login_required') devices.replaceChildren(errorBox(err, showDevices));
    }
  }
  function deviceItem(d) {
    const host = d.host + (sub && d.host === new URL(sub.endpoint).hostname ? t('nfThis') : '');
    const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': t('nfRemoveOf', { host: d.host }) }, t('nfRemove'));
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await authed(`/me/push-subscriptions/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
        say(t('nfRemoved'));
        await refresh();
      } catch (err) { remove.disabled = false; say(friendly(err)); }
    });
    return h('li', { class: 'card device' }, h('p', { class: 'pname' }, host),
      h('p', { class: 'meta' }, t('nfSince', { at: when(d.created) })), remove);
  }
  async function refresh() {
    if (pushSupported()) {
      try { sub = await (await registration()).pushManager.getSubscription(); } catch { sub = null; }
      const denied = Notification.permission === 'denied';
      on.hidden = Boolean(sub) || denied;
      off.hidden = !sub;
      explain(denied ? t('nfDenied') : '');
      if (!status.textContent) say(sub ? t('nfDeviceOn') : t('nfDeviceOff'));
    } else {
      explain(t('nfNoPush'));
    }
    await showDevices();
  }

  on.addEventListener('click', async () => {
    on.disabled = true;
    try {
      // Asked here, after the tap, never on page load.
      const answer = await Notification.requestPermission();
      if (answer !== 'granted') {
        explain(answer === 'denied' ? t('nfDenied') : t('nfDismissed'));
        return;
      }
      const { public_key: key } = await api('/push/vapid-key');
      const reg = await registration();
      sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      await authed('/me/push-subscriptions', { body: sub.toJSON() });
      status.textContent = '';
      say(t('nfEnabled'));
    } catch (err) {
      explain(t('nfPushFailed', { why: err.status != null ? friendly(err) : '' }));
    } finally {
      on.disabled = false;
      await refresh();
      (off.hidden ? on : off).focus();
    }
  });
  off.addEventListener('click', async () => {
    off.disabled = true;
    try {
      const endpoint = sub?.endpoint;
      if (endpoint) await authed('/me/push-subscriptions', { method: 'DELETE', body: { endpoint } });
      await sub?.unsubscribe();
      sub = null;
      say(t('nfDisabled'));
    } catch (err) {
      say(friendly(err));
    } finally {
      off.disabled = false;
      await refresh();
      (on.hidden ? off : on).focus();
    }
  });
  await refresh();
}

// ---- the preferences ------------------------------------------------------------------------

function check(name, label, checked, extra = {}) {
  const id = `nf-${name}-${++seq}`;
  return h('div', { class: 'opt' },
    h('input', { type: 'checkbox', id, name, checked, ...extra }), h('label', { for: id }, label));
}

function timeField(name, label, value, fieldName) {
  const id = `nf-${name}-${++seq}`;
  return h('div', { class: 'field', 'data-field': fieldName, 'data-label': label },
    h('label', { for: id }, label), h('input', { type: 'time', id, name, value: value || '', step: 60 }));
}

function numberField(name, label, value, fieldName) {
  const id = `nf-${name}-${++seq}`;
  return h('div', { class: 'field', 'data-field': fieldName, 'data-label': label },
    h('label', { for: id }, label), h('input', { type: 'number', id, name, value, min: 1, max: fieldName.endsWith('week') ? 200 : 50, inputmode: 'numeric' }));
}

/** One topic: 订阅 (fixed ones shown on, not switchable) and its channels beside the inbox. */
function topicBox(prefix, topic, choice) {
  const fixed = ALWAYS.includes(topic);
  const sub = check(`${prefix}${topic}-sub`, fixed ? t('nfFixed') : t('nfSubscribed'), fixed || choice.subscribed,
    { 'data-topic': topic, 'data-kind': 'subscribed', disabled: fixed, 'aria-describedby': null });
  const chans = h('div', { class: 'opts inline', role: 'group', 'aria-label': `${t(`tp_${topic}`)} · ${t('nfChannels')}` },
    CHANNELS.map((c) => check(`${prefix}${topic}-${c}`, t(`ch_${c}`), choice.channels.includes(c),
      { 'data-topic': topic, 'data-kind': 'channel', value: c })));
  return h('fieldset', { class: 'field choices topic', 'data-field': `${prefix}topics.${topic}`, 'data-label': t(`tp_${topic}`), id: `nf-t-${prefix}${topic}` },
    h('legend', null, t(`tp_${topic}`)), sub, h('p', { class: 'sub' }, t('nfInbox')), chans);
}

function readTopics(box) {
  const out = {};
  for (const input of box.querySelectorAll('input[data-topic]')) {
    const o = (out[input.dataset.topic] ||= { channels: [] });
    if (input.dataset.kind === 'subscribed') { if (!input.disabled) o.subscribed = input.checked; }
    else if (input.checked) o.channels.push(input.value);
  }
  return out;
}

function topicGroups(prefix, topics) {
  return [['nfOwn', OWN], ['nfHot', HOT], ['nfAlways', ALWAYS]].map(([key, list]) =>
    h('div', { class: 'topic-group' }, h('h3', null, t(key)), list.filter((tp) => topics[tp]).map((tp) => topicBox(prefix, tp, topics[tp]))));
}

function prefsForm(prefs, ent) {
  const mine = h('div', { id: 'nf-topics' }, topicGroups('', prefs.topics));
  const entBox = prefs.enterprise ? h('section', { id: 'nf-ent', 'aria-labelledby': 'nf-ent-h' },
    h('h2', { id: 'nf-ent-h' }, t('nfEnt', { name: ent?.name || prefs.enterprise.uscc })),
    h('p', { class: 'help' }, t('nfEntHelp')), topicGroups('enterprise.', prefs.enterprise.topics)) : null;
  const q = prefs.quiet_hours;
  const quietOn = check('quiet', t('nfQuietOn'), Boolean(q));
  const start = timeField('quiet-start', t('nfQuietStart'), q?.start || '21:00', 'quiet_hours.start');
  const end = timeField('quiet-end', t('nfQuietEnd'), q?.end || '08:00', 'quiet_hours.end');
  const times = h('div', { class: 'pair', id: 'nf-quiet-times', hidden: !q }, start, end);
  quietOn.querySelector('input').addEventListener('change', (e) => { times.hidden = !e.target.checked; });
  const perDay = numberField('per-day', t('nfPerDay'), prefs.caps.per_day, 'caps.per_day');
  const perWeek = numberField('per-week', t('nfPerWeek'), prefs.caps.per_week, 'caps.per_week');
  const digestOn = check('digest', t('nfDigestOn'), prefs.digest.enabled);
  const digestAt = timeField('digest-at', t('nfDigestAt'), prefs.digest.at, 'digest.at');
  const saved = h('p', { class: 'status', id: 'nf-saved', role: 'status' });
  const form = h('form', { class: 'account-form prefs', novalidate: true, 'aria-labelledby': 'nf-topics-h' },
    h('h2', { id: 'nf-topics-h' }, t('nfTopics')), h('p', { class: 'help' }, t('nfTopicsHelp')), mine,
    h('section', { 'aria-labelledby': 'nf-quiet-h' }, h('h2', { id: 'nf-quiet-h' }, t('nfQuiet')),
      h('p', { class: 'help' }, t('nfQuietHelp')), quietOn, times),
    h('section', { 'aria-labelledby': 'nf-caps-h' }, h('h2', { id: 'nf-caps-h' }, t('nfCaps')),
      h('p', { class: 'help' }, t('nfCapsHelp')), h('div', { class: 'pair' }, perDay, perWeek)),
    h('section', { 'aria-labelledby': 'nf-digest-h' }, h('h2', { id: 'nf-digest-h' }, t('nfDigest')), digestOn, digestAt),
    entBox, h('p', { class: 'actions' }, h('button', { type: 'submit', id: 'nf-save' }, t('nfSave'))), saved);
  onSubmit(form, async () => {
    clearErrors(form);
    saved.textContent = '';
    const value = (box) => box.querySelector('input').value;
    const body = {
      topics: readTopics(mine),
      quiet_hours: quietOn.querySelector('input').checked ? { start: value(start), end: value(end) } : null,
      caps: { per_day: Number(value(perDay)), per_week: Number(value(perWeek)) },
      digest: { enabled: digestOn.querySelector('input').checked, at: value(digestAt) },
    };
    if (entBox) body.enterprise = { topics: readTopics(entBox) };
    try {
      await authed('/me/preferences', { method: 'PUT', body });
      saved.textContent = t('nfSaved');
    } catch (err) {
      showErrors(form, errorsFrom(err));
    }
  });
  return form;
}
