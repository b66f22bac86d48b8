// Shared pieces of the intake screens: dates in Beijing time, deadlines, the receipt, timeline.
import { h } from './dom.js';
import { has, t } from './i18n.js';
import './intake-strings.js';
import { fact } from './ui.js';

// Every time is shown in Beijing time whatever the device's zone ("sv-SE" writes 2026-11-27 06:22).
const BEIJING = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** "2026-11-27 06:22" in Beijing time, from an ISO time with any offset (or a Date). */
export function when(iso) {
  if (!iso) return '—';
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso).slice(0, 16).replace('T', ' ') : BEIJING.format(d).replace(',', '');
}
/** The Beijing date of a time; a plain date (a due date) is a date already. */
export const day = (iso) => (!iso ? '—' : DATE_ONLY.test(String(iso)) ? String(iso) : when(iso).slice(0, 10));

/** 受理期限 / 承诺办结日期 / 法定办结日期, provisional ones marked. While the application waits for
 * the applicant's correction the department's clocks stand still: no date of theirs is shown. */
export function deadlines(d, status) {
  if (status === 'returned' || d?.suspended) return h('p', { class: 'meta', id: 'dl-paused' }, t('dlPaused'));
  const rows = ['accept_by', 'promised', 'legal'].filter((k) => d && d[k] && d[k].due);
  if (!rows.length) return h('p', { class: 'meta' }, t('dlNone'));
  return h('dl', { class: 'facts deadlines' }, rows.map((k) => fact(t(`dl_${k}`),
    [d[k].due, d[k].provisional ? h('span', { class: 'provisional' }, `（${t('dlProvisional')}）`) : null])));
}

/** 回执: the number and query code that show the progress to anyone, without logging in. */
export function receiptBox(r) {
  if (!r || !r.query_code) return null;
  return h('section', { class: 'box receipt', 'aria-labelledby': 'rc-h' },
    h('h2', { id: 'rc-h' }, t('receiptTitle')),
    h('dl', { class: 'facts' }, fact(t('appNo'), h('span', { id: 'rc-no' }, r.number)),
      fact(t('queryCode'), h('strong', { id: 'rc-code', class: 'code' }, r.query_code))),
    h('p', { class: 'help' }, t('receiptHelp'), ' ', h('a', { href: '#/progress' }, t('progressLink'))));
}

/** The events as an ordered list: what happened, when, by whom, with reasons and items. */
export function timeline(events) {
  return h('ol', { class: 'timeline' }, (events || []).map((e) => h('li', null,
    h('p', { class: 'ev' }, h('strong', null, has(`act_${e.action}`) ? t(`act_${e.action}`) : e.action_zh)),
    h('p', { class: 'meta' }, e.by ? `${when(e.at)} · ${has(`by_${e.by}`) ? t(`by_${e.by}`) : e.by}` : when(e.at)),
    e.note?.reason ? h('p', null, `${t('reasonLabel')}：`, e.note.reason) : null,
    e.note?.items?.length ? h('ul', null, e.note.items.map((i) => h('li', null, i))) : null)));
}
