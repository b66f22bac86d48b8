// Shared pieces of the intake screens: dates, reasons from API messages, deadlines, timeline.
import { h } from './dom.js';
import { lang, t } from './i18n.js';
import './intake-strings.js';

/** "2026-11-27 06:22" from an ISO time (its own offset: Beijing time as sent). */
export const when = (iso) => (iso ? String(iso).slice(0, 16).replace('T', ' ') : '—');
export const day = (iso) => (iso ? String(iso).slice(0, 10) : '—');

/** The reason of an API field message "English (中文)." in the current language. */
export function reasonText(msg) {
  const text = String(Array.isArray(msg) ? msg[0] : msg || '');
  const zh = [...text.matchAll(/[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]/g)].pop();
  if (lang() === 'en') return (zh ? text.slice(0, zh.index).trim() : text) || t('fieldInvalid');
  return zh ? zh[1] : t('fieldInvalid');
}

/** [{field, text}] from an ApiError's details.fields (keys as sent: "form.name", "reason"). */
export function fieldErrors(err) {
  const fields = err?.details?.fields;
  if (!fields || typeof fields !== 'object') return [];
  return Object.entries(fields).flatMap(([name, msgs]) => [msgs].flat().map((m) => ({ field: name, text: reasonText(m), raw: String(m) })));
}

const STATE_ZH = {
  draft: '草稿', submitted: '已提交', accepted: '已受理', not_accepted: '不予受理', in_process: '办理中',
  returned: '待补正', approved: '已办结（准予）', refused: '已办结（不予）', withdrawn: '已撤回',
};
export const statusTag = (app) => h('span', { class: `tag st-${app.status}` },
  lang() === 'en' ? app.status.replace('_', ' ') : app.status_zh || STATE_ZH[app.status] || app.status);

/** 受理期限 / 承诺办结日期 / 法定办结日期, provisional ones marked. */
export function deadlines(d) {
  const rows = ['accept_by', 'promised', 'legal'].filter((k) => d && d[k] && d[k].due);
  if (!rows.length) return h('p', { class: 'meta' }, t('dlNone'));
  return h('dl', { class: 'facts deadlines' }, rows.map((k) => [
    h('dt', null, t(`dl_${k}`)),
    h('dd', null, d[k].due, d[k].provisional ? h('span', { class: 'provisional' }, `（${t('dlProvisional')}）`) : null)]));
}

/** The events as an ordered list: what happened, when, by whom, with reasons and items. */
export function timeline(events) {
  return h('ol', { class: 'timeline' }, (events || []).map((e) => h('li', null,
    h('p', { class: 'ev' }, h('strong', null, t(`act_${e.action}`) === `act_${e.action}` ? e.action_zh : t(`act_${e.action}`))),
    h('p', { class: 'meta' }, `${when(e.at)} · ${t(`by_${e.by}`) === `by_${e.by}` ? e.by : t(`by_${e.by}`)}`),
    e.note?.reason ? h('p', null, `${t('reasonLabel')}：`, e.note.reason) : null,
    e.note?.items?.length ? h('ul', null, e.note.items.map((i) => h('li', null, i))) : null)));
}
