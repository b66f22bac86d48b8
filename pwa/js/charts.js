// Bar charts drawn by hand in SVG (no charting library): one bar per row, its value against a
// target mark, coloured by pass or fail through CSS classes (css/supervision.css, loaded here: the
// CSP forbids inline styles). Each chart is an <svg role="img"> whose <title> and <desc> say every
// number, and comes with a <table> of the same numbers (tableOf) for those who read tables.
import { h } from './dom.js';
import { lang, t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const FONT = 13; // user units: the viewBox scales them with the chart's width
const LINE = 17;
const BAR = 14;
const GAP = 12;

// The stylesheet of the supervision screens and charts, once, only when a chart module loads.
if (!document.querySelector('link[data-sv-css]')) {
  document.head.append(h('link', { rel: 'stylesheet', href: new URL('../css/supervision.css', import.meta.url).href, 'data-sv-css': '' }));
}

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) el.setAttribute(k, String(v));
  for (const k of kids) el.append(k);
  return el;
}

/** A ratio as a percentage with one decimal ("85.0%"), or "—" without one. */
export const pct = (v) => (v == null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

/** Pass or fail, in words; without a target, or a value to hold against it, says which. */
export const passText = (r) => (r.pass != null ? t(r.pass ? 'svPass' : 'svFail') : t(r.target == null ? 'svNoTarget' : 'svNoValue'));

// Text width in ems, roughly: CJK characters are 1em, Latin ones about half.
const ems = (text) => Array.from(text).reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 1 : 0.56), 0);

/** The label split into lines of at most `width` ems (by words when there are spaces). */
function wrap(text, width) {
  const parts = lang() === 'en' || / /.test(text) ? text.split(/(?<= )/) : Array.from(text);
  const lines = [''];
  for (const p of parts) {
    const last = lines[lines.length - 1];
    if (last && ems(last + p) > width) lines.push(p.trimStart()); else lines[lines.length - 1] = last + p;
  }
  return lines.slice(0, 3);
}

let seq = 0;

/**
 * A horizontal bar chart. rows: [{label, value, target, pass}] with value and target ratios in
 * 0..1 (null: no data / no target). Elder mode draws a narrower viewBox, so everything is larger.
 */
export function barChart({ title, rows, format = pct }) {
  const id = `chart-${++seq}`;
  const elder = document.documentElement.classList.contains('elder');
  const W = elder ? 240 : 340;
  const valueW = 52;
  const track = W - valueW;
  const body = [];
  let y = 4;
  for (const r of rows) {
    const lines = wrap(r.label, (W - 4) / FONT);
    lines.forEach((line, i) => body.push(s('text', { x: 0, y: y + FONT + i * LINE, class: 'chart-label' }, line)));
    y += lines.length * LINE + 3;
    const v = r.value == null ? 0 : Math.max(0, Math.min(1, r.value));
    const state = r.value == null ? 'none' : r.pass == null ? 'plain' : r.pass ? 'pass' : 'fail';
    body.push(s('rect', { x: 0, y, width: track, height: BAR, rx: 2, class: 'bar-track' }));
    if (v > 0) body.push(s('rect', { x: 0, y, width: (v * track).toFixed(1), height: BAR, rx: 2, class: `bar-fill bar-${state}` }));
    if (r.target != null) {
      const x = Math.max(0, Math.min(1, r.target)) * track;
      body.push(s('rect', { x: (x - 1).toFixed(1), y: y - 3, width: 2.5, height: BAR + 6, class: 'bar-target' }));
    }
    body.push(s('text', { x: W, y: y + BAR - 2, 'text-anchor': 'end', class: `chart-value bar-${state}` }, format(r.value)));
    y += BAR + GAP;
  }
  const numbers = rows.map((r) => `${r.label}${t('colon')}${format(r.value)}` +
    (r.target != null ? `，${t('svColTarget')} ${format(r.target)}，${passText(r)}` : '')).join('；');
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${y}`, role: 'img', class: 'chart-svg', 'aria-labelledby': `${id}-t ${id}-d`, 'font-size': FONT,
  }, s('title', { id: `${id}-t` }, title), s('desc', { id: `${id}-d` }, numbers), ...body);
  return h('figure', { class: 'chart', 'data-chart': id },
    h('figcaption', null, title), svg,
    h('p', { class: 'chart-legend', 'aria-hidden': 'true' },
      h('span', { class: 'key key-pass' }), t('svPass'), ' ', h('span', { class: 'key key-fail' }), t('svFail'), ' ',
      h('span', { class: 'key key-target' }), t('svTargetMark')));
}

/** A plain table: head cells and rows of cells (strings or nodes); caption optional. */
export function tableOf({ caption, head, rows, cls = '' }) {
  // Wider than the phone: it scrolls sideways, so keyboards must reach it (a named group).
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'group', 'aria-label': caption || head.join(' ') }, h('table', { class: `data ${cls}`.trim() },
    caption ? h('caption', null, caption) : null,
    h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c))))))));
}
