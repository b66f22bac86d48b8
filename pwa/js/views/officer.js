// 办件工作台 (officers): the queue by status with time limits (nearest first), lookup by
// application number, and one application with its actions: 受理, 不予受理 (reason), 退回补正
// (items from the guide's materials and conditions), 办理, 准予, 不予 (reason). Its materials show
// their malware scan; a clean upload opens inline (image or PDF) through a short-lived link.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { choices, clearErrors, errorsFrom, onSubmit, showErrors } from '../forms.js';
import { deadlines, timeline, when } from '../intake.js';
import { authed, loggedIn, profile } from '../session.js';
import '../staff-strings.js';
import '../officer-questions-strings.js';
import '../notify-strings.js';
import { stateName, statusTag } from '../status.js';
import { errorBox, fact, heading, loading } from '../ui.js';
import { loginPrompt } from './me.js';

const QUEUES = ['submitted', 'accepted', 'in_process', 'returned'];
const ACTIONS = {
  submitted: ['accept', 'reject', 'return'],
  accepted: ['process', 'approve', 'refuse', 'return'],
  in_process: ['approve', 'refuse', 'return'],
};
const NEEDS_REASON = new Set(['reject', 'refuse']);
const APP_ID = /^MZ\d{14}$/;

const label = (act) => t(`op_${act}`);
// The officer's inbox is "待受理" (to accept); the other queues are named by their state.
const queueName = (s) => (s === 'submitted' ? t('queue_submitted') : stateName(s));

/** Logged in as an officer? Otherwise explain, and say false. */
async function gate(el, here) {
  if (!loggedIn()) { el.append(loginPrompt(here)); return false; }
  try {
    const me = await profile();
    if ((me.roles || []).includes('officer')) return true;
    el.append(h('p', { class: 'box' }, t('officerOnly')));
  } catch (err) {
    if (err.code !== 'login_required') el.append(errorBox(err));
  }
  return false;
}

export async function officer(el, { query }) {
  el.append(heading(t('officerTitle')));
  if (!(await gate(el, '/officer'))) return;
  const status = QUEUES.includes(query.get('status')) ? query.get('status') : 'submitted';
  const lookup = h('input', { type: 'text', id: 'of-lookup', name: 'id', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 16, 'aria-describedby': 'of-lookup-help' });
  const find = h('form', { class: 'account-form lookup', novalidate: true },
    h('div', { class: 'field', id: 'of-lookup-box', 'data-field': 'id', 'data-label': t('lookupLabel') },
      h('label', { for: 'of-lookup' }, t('lookupLabel')),
      h('p', { class: 'help', id: 'of-lookup-help' }, t('lookupHelp')),
      h('div', { class: 'input-row' }, lookup, h('button', { type: 'submit' }, t('lookupBtn')))));
  find.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = lookup.value.trim().toUpperCase();
    if (!APP_ID.test(id)) { showErrors(find, [{ field: 'id', text: t('lookupBad') }]); return; }
    location.hash = `#/officer/${id}`;
  });
  const tabs = h('ul', { class: 'switch tabs', 'aria-label': t('queueLabel') }, QUEUES.map((s) => h('li', null,
    h('a', { href: `#/officer?status=${s}`, 'aria-current': s === status ? 'page' : null }, queueName(s)))));
  const slot = h('div', null, loading());
  // The other desk of the workbench: enterprises' questions to the department (企业找政府).
  const desks = h('p', null, h('a', { href: '#/officer/questions' }, t('oqNav')), ' · ',
    h('a', { href: '#/officer/campaigns' }, t('cpNav')));
  el.append(desks, find, h('h2', null, t('queueLabel')), tabs, slot);
  try {
    const { items } = await authed('/officer/applications', { params: { status, limit: 100 } });
    const due = (a) => a.deadlines?.current || '9999';
    items.sort((a, b) => due(a).localeCompare(due(b)) || a.id.localeCompare(b.id));
    const today = new Date().toISOString().slice(0, 10);
    slot.replaceChildren(
      h('p', { class: 'status', role: 'status' }, items.length ? t('queueCount', { n: items.length }) : t('queueEmpty')),
      h('ul', { class: 'list queue' }, items.map((a) => h('li', { class: 'card' },
        h('a', { class: 'title', href: `#/officer/${a.id}` }, `${a.id} · ${a.matter_name}`),
        h('p', { class: 'meta' }, statusTag('app', a.status, a.status_zh), ' ',
          a.deadlines?.current ? h('span', { class: a.deadlines.current < today ? 'overdue' : 'due' },
            t('due', { date: a.deadlines.current }), a.deadlines.current < today ? ` · ${t('overdue')}` : '',
            a.deadlines.provisional ? '*' : '') : null)))));
  } catch (err) {
    if (err.code !== 'login_required') slot.replaceChildren(errorBox(err));
  }
}

export async function officerApp(el, { args: [id] }) {
  const title = heading(t('officerTitle'));
  el.append(title);
  if (!(await gate(el, `/officer/${id}`))) return;
  const slot = h('div', null, loading());
  el.append(slot);

  async function load(notice) {
    let a;
    try {
      a = await authed(`/officer/applications/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err.code === 'login_required') return;
      slot.replaceChildren(err.status === 404 ? h('p', { class: 'error', role: 'alert' }, t('lookupNone')) : errorBox(err));
      return;
    }
    let guide = { materials: [], conditions: [], form_fields: [] };
    try { guide = await api(`/matters/${encodeURIComponent(a.matter)}`); } catch { /* labels fall back to names */ }
    title.textContent = `${a.matter_name} · ${a.id}`;
    const labels = Object.fromEntries((guide.form_fields || []).map((f) => [f.name, f.label]));
    slot.replaceChildren(...[
      notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice) : null,
      h('dl', { class: 'facts' }, fact(t('appNo'), a.id), fact(t('appStatus'), h('span', { id: 'of-status' }, statusTag('app', a.status, a.status_zh))),
        a.submitted ? fact(t('appSubmitted'), when(a.submitted)) : null),
      h('section', { 'aria-labelledby': 'of-dl-h' }, h('h2', { id: 'of-dl-h' }, t('deadlinesTitle')), deadlines(a.deadlines)),
      h('section', { 'aria-labelledby': 'of-form-h' }, h('h2', { id: 'of-form-h' }, t('formData')),
        h('dl', { class: 'facts' }, Object.entries(a.form || {}).map(([k, v]) => fact(labels[k] || k, formValue(a.id, k, labels[k] || k, v))))),
      materialsBox(a),
      actionsBox(a, guide, load),
      h('section', { 'aria-labelledby': 'of-tl-h' }, h('h2', { id: 'of-tl-h' }, t('timeline')), timeline(a.events)),
      h('p', null, h('a', { href: '#/officer' }, t('back'))),
    ].filter(Boolean));
    slot.querySelector('.notice')?.focus();
  }
  await load();
}

// A personal value arrives masked (441402********1234); the officer may ask for it in full,
// one audited reveal per tap, and it is shown only on this screen (never stored).
function formValue(appId, name, label, value) {
  const text = String(value);
  if (!text.includes('*')) return text;
  const shown = h('span', null, text);
  const button = h('button', { type: 'button', class: 'link', 'aria-label': t('revealField', { name: label }) }, t('reveal'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const got = await authed(`/officer/applications/${encodeURIComponent(appId)}/reveal`, { body: { fields: [name] } });
      shown.textContent = got.fields[name];
      button.remove();
    } catch (err) {
      button.disabled = false;
      shown.after(errorBox(err));
    }
  });
  return h('span', null, shown, ' ', button);
}

// The application's materials. An upload shows its scan; only a clean one has a 查看 button,
// which asks for a link (each view audited) and shows the file below the list.
function materialsBox(a) {
  const viewer = h('div', { class: 'viewer', id: 'of-viewer', hidden: true });
  const rows = Object.entries(a.materials || {}).map(([name, m]) => {
    if (m.kind !== 'upload') return h('li', null, `${name}：${t(`mat_${m.kind}`)}`);
    const scan = m.scan || 'pending';
    return h('li', { class: 'mat-row', 'data-scan': scan },
      h('span', null, `${name}：${t('mat_upload')}`), ' ', h('span', { class: `tag scan st-${scan}` }, t(`scan_${scan}`)),
      scan === 'clean'
        ? h('button', { type: 'button', class: 'secondary open', 'aria-label': t('matOpenLabel', { name }), 'aria-controls': 'of-viewer', onclick: (e) => show(name, m, e.currentTarget) }, t('matOpen'))
        : h('p', { class: 'help' }, t(`scanNote_${scan}`)));
  });

  async function show(name, m, button) {
    button.disabled = true;
    let got;
    try {
      got = await authed(`/officer/applications/${encodeURIComponent(a.id)}/materials/${m.key.split('/').pop()}/view`, { method: 'POST' });
    } catch (err) {
      button.disabled = false;
      const scan = err.details?.scan;
      viewer.hidden = false;
      viewer.replaceChildren(err.status === 409 && scan
        ? h('p', { class: 'error', role: 'alert' }, t('matViewConflict', { status: t(`scan_${scan}`) }))
        : errorBox(err));
      return;
    }
    button.disabled = false;
    const title = h('h3', { tabindex: '-1' }, t('matViewTitle', { name }));
    const close = h('button', { type: 'button', class: 'secondary' }, t('matClose'));
    close.addEventListener('click', () => { viewer.hidden = true; viewer.replaceChildren(); button.focus(); });
    const file = got.content_type === 'application/pdf'
      ? h('iframe', { class: 'doc', src: got.url, title: name })
      : h('img', { class: 'doc', src: got.url, alt: name });
    viewer.replaceChildren(title, file,
      h('p', { class: 'help' }, t('matViewNote', { n: got.expires_in }), ' ',
        h('a', { href: got.url, target: '_blank', rel: 'noopener noreferrer' }, t('matViewNewTab'))), close);
    viewer.hidden = false;
    title.focus();
  }
  return h('section', { 'aria-labelledby': 'of-mat-h' }, h('h2', { id: 'of-mat-h' }, t('matsData')),
    h('ul', { class: 'box mats' }, rows), viewer);
}

function actionsBox(a, guide, reload) {
  const acts = ACTIONS[a.status] || [];
  const box = h('section', { class: 'of-actions', 'aria-labelledby': 'of-act-h' }, h('h2', { id: 'of-act-h' }, t('actionsTitle')));
  if (!acts.length) { box.append(h('p', null, t('noActions'))); return box; }
  const buttons = h('div', { class: 'actions' }, acts.map((act) => h('button', {
    type: 'button', class: ['accept', 'approve', 'process'].includes(act) ? '' : 'secondary', onclick: () => open(act),
  }, label(act))));
  const panel = h('div');
  box.append(buttons, panel);

  function open(act) {
    const reason = h('textarea', { id: 'of-reason', name: 'reason', rows: 3, maxlength: 500, 'aria-describedby': 'of-reason-help', required: NEEDS_REASON.has(act) });
    const items = act === 'return' ? choices({
      name: 'items', legend: t('itemsLegend'), type: 'checkbox', help: t('itemsHelp'),
      items: [...(guide.materials || []).map((m) => m.name), ...(guide.conditions || [])].map((v) => ({ value: v, label: v })),
    }) : null;
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('confirmNo'));
    // reject and refuse give the applicant a reason; other actions may carry a note (备注).
    const why = NEEDS_REASON.has(act) ? 'reasonLabel' : 'noteLabel';
    const form = h('form', { class: 'account-form confirm', novalidate: true, 'aria-label': label(act) },
      items,
      h('div', { class: 'field', id: 'of-reason-box', 'data-field': 'reason', 'data-label': t(why) },
        h('label', { for: 'of-reason' }, t(why), NEEDS_REASON.has(act) ? ' *' : ''),
        h('p', { class: 'help', id: 'of-reason-help' }, t(NEEDS_REASON.has(act) ? 'reasonHelp' : 'noteHelp')), reason),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('doAction', { action: label(act) })), cancel));
    buttons.hidden = true;
    panel.replaceChildren(form);
    (items ? items.querySelector('input') : reason).focus();
    cancel.addEventListener('click', () => { panel.replaceChildren(); buttons.hidden = false; buttons.querySelector('button').focus(); });
    onSubmit(form, async () => {
      clearErrors(form);
      const body = { action: act };
      if (reason.value.trim()) body.reason = reason.value.trim();
      if (items) body.items = [...items.querySelectorAll('input:checked')].map((i) => i.value);
      const errs = [];
      if (NEEDS_REASON.has(act) && !body.reason) errs.push({ field: 'reason', text: t('required', { label: t('reasonLabel') }) });
      if (items && !body.items.length) errs.push({ field: 'items', text: t('choose', { label: t('itemsLegend') }) });
      if (errs.length) { showErrors(form, errs); return; }
      try {
        await authed(`/officer/applications/${encodeURIComponent(a.id)}/actions`, { body });
        await reload(t('actionDone', { action: label(act) }));
      } catch (err) {
        if (err.status === 409) {
          const st = err.details?.status;
          await reload(t('actionConflict', { status: st ? stateName(st) : '', action: label(act) }));
          return;
        }
        showErrors(form, errorsFrom(err));
      }
    });
  }
  return box;
}
