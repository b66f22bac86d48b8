// Tiny DOM helpers: build elements from data with text nodes only (never innerHTML).

/** h('a', {href, class, onclick}, ...children): strings become text nodes. */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  add(el, kids);
  return el;
}

/** Append children (nodes, strings, numbers, nested arrays; nulls skipped). */
export function add(el, kids) {
  for (const k of [kids].flat(Infinity)) {
    if (k == null || k === false) continue;
    el.append(k instanceof Node ? k : String(k));
  }
  return el;
}

/** Text with <mark> around [start, end) ranges, counted in characters (code points). */
export function highlight(text, ranges) {
  const frag = document.createDocumentFragment();
  const chars = Array.from(text || '');
  const spans = (ranges || [])
    .map(([a, b]) => [Math.max(0, a | 0), Math.min(chars.length, b | 0)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let pos = 0;
  for (const [a, b] of spans) {
    if (a < pos) continue; // overlapping range: keep the first
    if (a > pos) frag.append(chars.slice(pos, a).join(''));
    frag.append(h('mark', null, chars.slice(a, b).join('')));
    pos = b;
  }
  if (pos < chars.length) frag.append(chars.slice(pos).join(''));
  return frag;
}
