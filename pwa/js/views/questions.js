// 企业找政府 on an enterprise's page (views/page.js): a question to a department (picker from
// GET /departments, a subject and the question with character counters against the limits), the
// answer's due date once sent, and the enterprise's questions with status, due date and the
// department's answer. Field errors of a 422 show under their fields. Only acting for an
// enterprise; its viewers (查看人) read the list but do not ask. 我要问 / 投诉 (#/ask): the same
// form with the kind (a consultation, a complaint) and the area whose department answers, for a
// person in their own name or an enterprise; the enterprise page offers the kinds too.
import { api } from '../api.js';
import { h } from '../dom.js';
import { clearErrors, counted, errorsFrom, missing, onSubmit, showErrors } from '../forms.js';
import { nameOf, t } from '../i18n.js';
import '../page-strings.js';
import '../rating-strings.js';
import { authed, cachedProfile, currentIdentity, loggedIn, profile } from '../session.js';
import { errorBox, heading, loading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';

const SUBJECT_MAX = 60;
const TEXT_MAX = 1000;

let depts = null; // code -> department, loaded once (public data, the worker keeps it a week)
async function departments() {
  depts ||= api('/departments').then(({ items }) => new Map(items.map((d) => [d.code, d])))
    .catch((err) => { depts = null; throw err; });
  return depts;
}
let regionList = null; // the counties and the city, loaded once (public data)
async function regions() {
  regionList ||= api('/regions').then(({ items }) => items).catch((err) => { regionList = null; throw err; });
  return regionList;
}
const deptName = (q) => (q.department && typeof q.department === 'object' ? nameOf(q.department) : q.department || '');

function textBox({ name, label, help, multiline, max, required }) {
  const id = `qb-${name}`;
  const attrs = { id, name, required, 'aria-describedby': `${id}-help` };
  const input = multiline ? h('textarea', { ...attrs, rows: 5 }) : h('input', { ...attrs, type: 'text', autocomplete: 'off' });
  return counted(h('div', { class: 'field', id: `${id}-box`, 'data-field': name, 'data-label': label },
    h('label', { for: id }, label), h('p', { class: 'help', id: `${id}-help` }, help), input), max);
}

function selectBox(name, label, first) {
  const sel = h('select', { id: `qb-${name}`, name }, first);
  const box = h('div', { class: 'field', id: `qb-${name}-box`, 'data-field': name, 'data-label': label },
    h('label', { for: `qb-${name}` }, label), sel);
  box.select = sel;
  return box;
}

/** The kinds offered (none: 企业找政府 only) and the area's picker. */
function kindAndRegion(kinds, company) {
  if (!kinds) return { nodes: [], kind: () => undefined, region: () => undefined };
  const kind = selectBox('kind', t('askKind'), kinds.map((k) => h('option', { value: k }, t(`askKind_${k}`))));
  const region = selectBox('region', t('askRegion'), h('option', { value: '' }, t(company ? 'askRegionOwn' : 'askRegionCity')));
  regions().then((items) => {
    for (const r of items) if (company || r.code !== '441400') region.select.append(h('option', { value: r.code }, nameOf(r)));
  }).catch(() => {});
  return { nodes: [kind, region], kind: () => kind.select.value, region: () => region.select.value || undefined };
}

function form(onSent, { kinds, company = true, sentKey = 'qbSent' } = {}) {
  const pick = h('select', { id: 'qb-department', name: 'department', required: true },
    h('option', { value: '' }, t('qbDeptPick')));
  const dept = h('div', { class: 'field', id: 'qb-department-box', 'data-field': 'department', 'data-label': t('qbDept') },
    h('label', { for: 'qb-department' }, t('qbDept')), pick);
  const extra = kindAndRegion(kinds, company);
  const subject = textBox({ name: 'subject', label: t('qbSubject'), help: t('qbSubjectHelp', { n: SUBJECT_MAX }), max: SUBJECT_MAX });
  const text = textBox({ name: 'text', label: t('qbText'), help: t('qbTextHelp', { n: TEXT_MAX }), multiline: true, max: TEXT_MAX, required: true });
  const sent = h('div', { role: 'status' });
  const el = h('form', { class: 'qb-form', novalidate: true, 'aria-labelledby': 'pg-ask-h' },
    ...extra.nodes, dept, subject, text, h('button', { type: 'submit' }, t('qbSend')), sent);
  departments().then((map) => {
    for (const d of map.values()) pick.append(h('option', { value: d.code }, nameOf(d)));
  }).catch(() => {});
  let key = crypto.randomUUID(); // one question per filling, however often 提交 is tapped
  onSubmit(el, async () => {
    sent.replaceChildren();
    const empty = missing(el);
    if (!pick.value) empty.unshift({ field: 'department', text: t('qbNeed', { label: t('qbDept') }) });
    if (!text.querySelector('textarea').value.trim()) empty.push({ field: 'text', text: t('qbNeed', { label: t('qbText') }) });
    if (empty.length) { showErrors(el, empty); return; }
    clearErrors(el);
    let q;
    try {
      q = await authed('/me/questions', {
        body: { department: pick.value, subject: subject.querySelector('input').value.trim() || undefined, text: text.querySelector('textarea').value.trim(), kind: extra.kind(), region: extra.region() },
        headers: { 'Idempotency-Key': key },
      });
    } catch (err) {
      showErrors(el, errorsFrom(err));
      return;
    }
    key = crypto.randomUUID();
    el.reset();
    subject.redraw();
    text.redraw();
    const msg = h('p', { class: 'notice', id: 'qb-sent', tabindex: '-1' }, t(sentKey, { due: q.due, n: q.days_left ?? '—' }));
    sent.replaceChildren(msg);
    msg.focus();
    onSent(q);
  });
  return el;
}

function item(q, tag = 'li') {
  const overdue = q.status === 'open' && q.overdue;
  return h(tag, { class: `card question${overdue ? ' warn' : ''}`, 'data-id': q.id },
    h('p', { class: 'title' }, h('a', { href: `#/questions/${encodeURIComponent(q.id)}` }, q.subject || '—')),
    h('p', { class: 'meta' },
      q.kind && q.kind !== 'enterprise_question' ? h('span', { class: `tag q-kind q-${q.kind}` }, t(`qkind_${q.kind}`)) : null,
      h('span', { class: `tag q-${q.status}` }, t(`qstatus_${q.status}`)),
      overdue ? h('span', { class: 'tag q-overdue' }, t('qbOverdue')) : null,
      deptName(q)),
    h('p', { class: 'meta' }, t('qbAsked', { date: (q.asked || '').slice(0, 10) }), ' · ', t('qbDue', { date: q.due })),
    h('p', { class: 'sub q-text' }, q.text),
    q.answer ? h('div', { class: 'answer' },
      h('p', { class: 'meta' }, t('qbAnswer'), q.answered ? ` · ${t('qbAnswered', { date: q.answered.slice(0, 10) })}` : ''),
      h('p', { class: 'q-answer' }, q.answer)) : null);
}

function list() {
  const slot = h('div', { class: 'qb-list' });
  const draw = () => {
    const box = pagedList({
      fetchPage: (cursor) => authed('/me/questions', { params: { cursor, limit: 5 } }),
      renderItem: (q) => item(q),
      countText: () => '',
      emptyText: t('qbNone'),
    });
    slot.replaceChildren(box);
  };
  draw();
  slot.redraw = draw;
  return slot;
}

/** The 企业找政府 section of an enterprise's page (nothing for a person's). */
export function questions(page, section) {
  if (page.party !== 'enterprise') return null;
  const p = cachedProfile();
  const viewer = p && currentIdentity(p).role === 'viewer';
  const mine = list();
  return section('pg-ask', t('qbTitle'), null,
    h('p', { class: 'hint' }, t('qbIntro')),
    viewer ? null : form(() => mine.redraw(), { kinds: ['enterprise_question', 'consultation', 'complaint'] }),
    h('h3', { id: 'qb-mine-h' }, t('qbMine')), mine);
}

/** 我要问 · 我要投诉 (#/ask): in one's own name, or for the enterprise one acts for. */
export async function ask(el) {
  el.append(heading(t('askTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/ask')); return; }
  let who;
  try {
    who = currentIdentity(await profile());
  } catch (err) {
    if (err.code !== 'login_required') el.append(errorBox(err, null));
    return;
  }
  const company = who.act?.kind === 'enterprise';
  if (who.act && !company) { el.append(h('p', { class: 'box', id: 'ask-own' }, t('askOwnName'))); return; }
  const mine = list();
  const kinds = company ? ['consultation', 'complaint', 'enterprise_question'] : ['consultation', 'complaint'];
  el.append(h('p', { class: 'hint' }, t('askIntro')),
    company && who.role === 'viewer' ? null : form(() => mine.redraw(), { kinds, company, sentKey: company ? 'qbSent' : 'askSent' }),
    h('h2', { id: 'qb-mine-h' }, company ? t('qbMine') : t('askMine')), mine);
}

/** One question (#/questions/<id>, where the answer's notice links to). */
export async function question(el, { args: [qid] }) {
  const title = heading(t('qbTitle'));
  el.append(title);
  if (!loggedIn()) { el.append(loginPrompt(`/questions/${qid}`)); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  async function load() {
    try {
      const q = await authed(`/me/questions/${encodeURIComponent(qid)}`);
      if (q.kind && q.kind !== 'enterprise_question') title.textContent = t('askTitle');
      slot.replaceChildren(item(q, 'div'));
    } catch (err) {
      if (err.code !== 'login_required') slot.replaceChildren(errorBox(err, load));
    }
  }
  await load();
  slot.append(h('p', null, h('a', { href: '#/' }, t('pgMine'))));
}
