// Shared pieces of the intake screens: dates, deadlines, timeline.
import { h } from './dom.js';
import { has, t } from './i18n.js';
import './intake-strings.js';
import { fact } from './ui.js';

/** "2026-11-27 06:22" from an ISO time (its own offset: Beijing time as sent). */
export const when = (iso) => (iso ? String(iso).slice(0, 16).replace('T', ' ') : '—');
export const day = (iso) => (iso ? String(iso).slice(0, 10) : '—');

/** 受理期限 / 承诺办结日期 / 法定办结日期, provisional ones marked. */
export function deadlines(d) {
  const rows = ['accept_by', 'promised', 'legal'].filter((k) => d && d[k] && d[k].due);
  if (!rows.length) return h('p', { class: 'meta' }, t('dlNone'));
  return h('dl', { class: 'facts deadlines' }, rows.map((k) => fact(t(`dl_${k}`),
    [d[k].due, d[k].provisional ? h('span', { class: 'provisional' }, `（${t('dlProvisional')}）`) : null])));
}

/** The events as an ordered list: what happened, when, by whom, with reasons and items. */
export function timeline(events) {
  return h('ol', { class: 'timeline' }, (events || []).map((e) => h('li', null,
    h('p', { class: 'ev' }, h('strong', null, has(`act_${e.action}`) ? t(`act_${e.action}`) : e.action_zh)),
    h('p', { class: 'meta' }, `${when(e.at)} · ${has(`by_${e.by}`) ? t(`by_${e.by}`) : e.by}`),
    e.note?.reason ? h('p', null, `${t('reasonLabel')}：`, e.note.reason) : null,
    e.note?.items?.length ? h('ul', null, e.note.items.map((i) => h('li', null, i))) : null)));
}
