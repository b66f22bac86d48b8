// Form pieces: labelled fields, the one parser of the API's error details (details.fields),
// errors under each field, and an error summary that takes focus and is announced (role="alert").
import { friendly } from './api.js';
import { h } from './dom.js';
import { lang, t } from './i18n.js';
import './id-strings.js'; // the error summary's and the fields' messages

let seq = 0;

const chars = (s) => Array.from(s || '').length; // code points, as the server counts

/** A live "n / max 字" counter under the box's input or textarea (box.redraw redraws it). */
export function counted(box, max) {
  const input = box.querySelector('input, textarea');
  const out = h('p', { class: 'qb-count meta', id: `${input.id}-count`, 'aria-live': 'polite' });
  const draw = () => {
    const n = chars(input.value);
    out.textContent = n > max ? `${t('qbCounter', { n, max })} · ${t('qbOver', { n: n - max })}` : t('qbCounter', { n, max });
    out.classList.toggle('over', n > max);
  };
  input.addEventListener('input', draw);
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), out.id].filter(Boolean).join(' '));
  draw();
  box.append(out);
  box.redraw = draw;
  return box;
}

/** A labelled input in a .field box: field({name, label, help, ...input attributes}); box.input. */
export function field({ name, label, help, after, ...attrs }) {
  const id = `f-${name}-${++seq}`;
  const helpId = help ? `${id}-help` : null;
  const input = h('input', { type: 'text', ...attrs, id, name, 'aria-describedby': [helpId, attrs['aria-describedby']].filter(Boolean).join(' ') || null });
  const row = after ? h('div', { class: 'input-row' }, input, after) : input;
  const box = h('div', { class: 'field', 'data-field': name, 'data-label': label },
    h('label', { for: id }, label),
    help ? h('p', { class: 'help', id: helpId }, help) : null,
    row);
  box.input = input;
  return box;
}

/** A fieldset of radios or checkboxes: choices [{value, label, help, checked}]. */
export function choices({ name, legend, type = 'radio', items, help, required }) {
  const id = `f-${name}-${++seq}`;
  const box = h('fieldset', { class: 'field choices', 'data-field': name, 'data-label': legend, id, 'aria-describedby': help ? `${id}-help` : null },
    h('legend', null, legend),
    help ? h('p', { class: 'help', id: `${id}-help` }, help) : null);
  const list = h('div', { class: 'opts' });
  box.append(list);
  box.add = (item) => {
    const iid = `${id}-${++seq}`;
    const hid = item.help ? `${iid}-help` : null;
    const row = h('div', { class: 'opt' },
      h('input', { type, id: iid, name, value: item.value, checked: item.checked, required, 'aria-describedby': hid }),
      h('label', { for: iid }, item.label, hid ? h('span', { class: 'sub', id: hid }, item.help) : null));
    list.append(row);
    return row;
  };
  box.list = list;
  for (const item of items || []) box.add(item);
  return box;
}

/**
 * The reason of an API field message "English reason (中文原因)." in the current language: the
 * last bracketed part with Chinese in it is the Chinese reason, the text before it the English one.
 */
export function reason(msg) {
  if (msg && typeof msg === 'object') return reason(Object.values(msg).flat(Infinity)[0]); // nested: its first
  const text = String(msg ?? '');
  const zh = [...text.matchAll(/[(（]([^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]/g)].pop();
  if (lang() === 'en') return (zh ? text.slice(0, zh.index).trim() : text) || t('fieldInvalid');
  if (zh) return zh[1];
  if (/already registered/i.test(text)) return t('alreadyRegistered');
  return t('fieldInvalid');
}

/**
 * The one reading of the error envelope's details.fields: [{field, text, raw}], one per message,
 * keys as sent ("phone", "form.name", "materials"). Empty when the error names no field.
 */
export function fieldErrors(err) {
  const fields = err?.details?.fields;
  if (!fields || typeof fields !== 'object') return [];
  return Object.entries(fields).flatMap(([name, msgs]) => [msgs].flat()
    .map((m) => ({ field: name, text: reason(m), raw: typeof m === 'string' ? m : JSON.stringify(m) })));
}

/** The errors to show for an ApiError: its fields' messages, else one message for people (with the request id for support). */
export function errorsFrom(err) {
  const list = fieldErrors(err);
  if (list.length) return list;
  return [{ field: null, text: [friendly(err), err?.requestId ? t('errRequestId', { id: err.requestId }) : ''].join(' ').trim() }];
}

/** The required inputs left empty, as errors. */
export function missing(form) {
  const errs = [];
  const seen = new Set();
  for (const input of form.querySelectorAll('input[required]')) {
    const box = input.closest('[data-field]');
    if (!box || box.closest('[hidden]') || seen.has(box)) continue;
    const empty = input.type === 'radio' || input.type === 'checkbox'
      ? !box.querySelector('input:checked') : !input.value.trim();
    if (empty) {
      seen.add(box);
      const key = box.tagName === 'FIELDSET' ? 'choose' : 'required';
      errs.push({ field: box.dataset.field, text: t(key, { label: box.dataset.label }) });
    }
  }
  return errs;
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.error-summary, .field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('[data-described]')) {
    const v = el.dataset.described;
    if (v) el.setAttribute('aria-describedby', v); else el.removeAttribute('aria-describedby');
    delete el.dataset.described;
  }
}

function describe(el, id) {
  if (!('described' in el.dataset)) el.dataset.described = el.getAttribute('aria-describedby') || '';
  el.setAttribute('aria-describedby', [id, el.dataset.described].filter(Boolean).join(' '));
}

/**
 * Show errors: each under its field (aria-invalid, aria-describedby), all in a summary at the top
 * of the form that receives focus. Errors of fields not on the form show in the summary only.
 */
export function showErrors(form, errs) {
  clearErrors(form);
  const items = [];
  const shown = new Set(); // one message under a field (its id is the field's): the first one
  for (const e of errs) {
    const box = e.field ? form.querySelector(`[data-field="${CSS.escape(e.field)}"]`) : null;
    if (box && shown.has(box)) continue;
    if (box) shown.add(box);
    if (!box || box.closest('[hidden]')) {
      items.push(h('li', null, e.text));
      continue;
    }
    const errId = `${box.id || box.querySelector('input').id}-err`;
    const msg = h('p', { class: 'field-error', id: errId }, h('span', { class: 'sr-only' }, t('errorPrefix')), e.text);
    const first = box.querySelector('input, select, textarea');
    if (box.tagName === 'FIELDSET') {
      box.querySelector('legend').after(msg);
      describe(box, errId);
    } else {
      box.querySelector('label').after(msg);
      for (const input of box.querySelectorAll('input, select, textarea')) {
        if (input.type === 'button') continue;
        input.setAttribute('aria-invalid', 'true');
        describe(input, errId);
      }
    }
    items.push(h('li', null, h('a', {
      href: `#${first.id}`,
      onclick: (ev) => { ev.preventDefault(); first.focus(); },
    }, `${box.dataset.label}：`, e.text)));
  }
  const title = items.length > 1 ? t('errSummary', { n: items.length }) : t('errSummaryOne');
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h2', null, title), h('ul', null, items));
  form.prepend(summary);
  summary.focus();
  return summary;
}

/** Run a submit handler once at a time; the button says so while it runs. */
export function onSubmit(form, handler) {
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    const btn = form.querySelector('button[type="submit"]');
    const label = btn?.textContent;
    if (btn) { btn.setAttribute('aria-disabled', 'true'); btn.textContent = t('processing'); }
    form.setAttribute('aria-busy', 'true');
    try {
      await handler(e);
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
      if (btn && btn.isConnected) { btn.removeAttribute('aria-disabled'); btn.textContent = label; }
    }
  });
}

/** "5 分钟" / "30 秒" for a Retry-After. */
export function waitText(seconds) {
  const s = Math.max(1, Math.round(seconds || 60));
  return s > 90 ? t('minutes', { n: Math.ceil(s / 60) }) : t('seconds', { n: s });
}

/** 138****8000 */
export const maskPhone = (p) => (p.length === 11 ? `${p.slice(0, 3)}****${p.slice(7)}` : p);
