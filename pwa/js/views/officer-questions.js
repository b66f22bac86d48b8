// 企业诉求 (workbench): the enterprises' questions to the officer's department and region, open
// ones nearest due first with the working days left (or how late), one question with its
// answer form (one answer, sent to the enterprise's inbox), and the answered ones.
import { h } from '../dom.js';
import { localised, nameOf, t } from '../i18n.js';
import { clearErrors, errorsFrom, onSubmit, showErrors } from '../forms.js';
import { when } from '../intake.js';
import '../officer-questions-strings.js';
import '../rating-strings.js';
import { authed, loggedIn, profile } from '../session.js';
import { errorBox, fact, heading, loading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';

// 咨询 and 投诉 are marked; 企业找政府 questions are the screen's own kind.
const kindTag = (q) => (q.kind && q.kind !== 'enterprise_question' ? [h('span', { class: `tag q-kind q-${q.kind}` }, t(`qkind_${q.kind}`)), ' '] : null);
const from = (a) => (a.kind === 'person' ? `${a.name}（${t('qPerson')}）` : `${a.name}（${a.id}）`);

const STATUSES = ['open', 'answered'];
const ANSWER_MAX = 2000;

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

/** 剩余 3 个工作日 / 今天到期 / 已逾期 2 个工作日 / 按期答复, as a tag. */
function standing(q) {
  if (q.status === 'answered') {
    return h('span', { class: `tag ${q.overdue ? 'q-overdue' : 'q-answered'}` }, t(q.overdue ? 'oqAnsweredLate' : 'oqAnsweredOnTime'));
  }
  if (q.overdue) return h('span', { class: 'tag q-overdue' }, t('oqLate', { n: Math.abs(q.days_left) }));
  return h('span', { class: 'tag q-open' }, q.days_left === 0 ? t('oqToday') : t('oqLeft', { n: q.days_left }));
}

export async function queue(el, { query }) {
  el.append(heading(t('oqTitle')));
  if (!(await gate(el, '/officer/questions'))) return;
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : 'open';
  const tabs = h('ul', { class: 'switch tabs', 'aria-label': t('oqTabs') }, STATUSES.map((s) => h('li', null,
    h('a', { href: `#/officer/questions?status=${s}`, 'aria-current': s === status ? 'page' : null }, t(`oq_${s}`)))));
  const list = pagedList({
    fetchPage: (cursor) => authed('/officer/questions', { params: { status, limit: 20, ...(cursor ? { cursor } : {}) } }),
    renderItem: (q) => h('li', { class: 'card question', 'data-id': q.id },
      h('a', { class: 'title', href: `#/officer/questions/${q.id}` }, q.subject),
      h('p', { class: 'meta' }, kindTag(q), q.asker.name),
      h('p', { class: 'meta' }, standing(q), ' ', t('oqDue', { date: q.due }))),
    countText: (n) => t('oqCount', { n }),
    emptyText: t(`oqEmpty_${status}`),
  });
  el.append(h('p', null, h('a', { href: '#/officer' }, t('oqBackToApps'))), tabs, list);
  await list.ready;
}

export async function question(el, { args: [id] }) {
  const title = heading(t('oqTitle'));
  el.append(title);
  if (!(await gate(el, `/officer/questions/${id}`))) return;
  const slot = h('div', null, loading());
  el.append(slot);

  async function load(notice) {
    let q;
    try {
      q = await authed(`/officer/questions/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err.code === 'login_required') return;
      slot.replaceChildren(err.status === 404 ? h('p', { class: 'error', role: 'alert' }, t('oqNone')) : errorBox(err));
      return;
    }
    title.textContent = q.subject;
    const masked = /\*{4}/.test(`${q.text}${q.subject}`);
    slot.replaceChildren(...[
      notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice) : null,
      h('dl', { class: 'facts' },
        fact(t('askKind'), t(`qkind_${q.kind}`)),
        fact(t(q.asker.kind === 'person' ? 'qFromPerson' : 'oqFrom'), from(q.asker)),
        q.asker.role ? fact(t('oqRole'), t(`oqRole_${q.asker.role}`)) : null,
        fact(t('oqDept'), nameOf(q.department)),
        q.matter ? fact(t('oqMatter'), h('a', { href: `#/matters/${q.matter}` }, localised(q, 'matter_name') || q.matter)) : null,
        fact(t('oqAsked'), when(q.asked)),
        fact(t('oqStatus'), h('span', { id: 'oq-status' }, h('span', { class: `tag q-${q.status}` }, t(`oq_${q.status}`)), ' ', standing(q))),
        fact(t('oqDueLabel'), q.due)),
      h('section', { 'aria-labelledby': 'oq-text-h' }, h('h2', { id: 'oq-text-h' }, t('oqText')),
        h('p', { class: 'box q-text' }, q.text), masked ? h('p', { class: 'help' }, t('oqMasked')) : null),
      q.status === 'answered' ? answeredBox(q) : answerForm(q, load),
      h('p', null, h('a', { href: '#/officer/questions' }, t('back'))),
    ].filter(Boolean));
    slot.querySelector('.notice')?.focus();
  }
  await load();
}

function answeredBox(q) {
  return h('section', { 'aria-labelledby': 'oq-ans-h' }, h('h2', { id: 'oq-ans-h' }, t('oqAnswerTitle')),
    h('p', { class: 'box q-text q-answer' }, q.answer),
    h('p', { class: 'meta' }, t('oqAnsweredAt'), '：', when(q.answered)));
}

function answerForm(q, reload) {
  const input = h('textarea', { id: 'oq-answer', name: 'answer', rows: 6, maxlength: ANSWER_MAX, required: true, 'aria-describedby': 'oq-answer-help oq-answer-count' });
  const count = h('p', { class: 'qb-count', id: 'oq-answer-count', 'aria-live': 'polite' }, t('oqChars', { n: 0, max: ANSWER_MAX }));
  input.addEventListener('input', () => { count.textContent = t('oqChars', { n: input.value.length, max: ANSWER_MAX }); });
  const form = h('form', { class: 'account-form', novalidate: true, 'aria-labelledby': 'oq-form-h' },
    h('h2', { id: 'oq-form-h' }, t('oqAnswerTitle')),
    h('div', { class: 'field', id: 'oq-answer-box', 'data-field': 'answer', 'data-label': t('oqAnswerLabel') },
      h('label', { for: 'oq-answer' }, t('oqAnswerLabel'), ' *'),
      h('p', { class: 'help', id: 'oq-answer-help' }, t(q.asker.kind === 'person' ? 'qAnswerHelpPerson' : 'oqAnswerHelp')), input, count),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('oqSend'))));
  onSubmit(form, async () => {
    clearErrors(form);
    const answer = input.value.trim();
    if (!answer) { showErrors(form, [{ field: 'answer', text: t('required', { label: t('oqAnswerLabel') }) }]); return; }
    try {
      await authed(`/officer/questions/${encodeURIComponent(q.id)}/answer`, { body: { answer } });
      await reload(t('oqSent'));
    } catch (err) {
      if (err.status === 409) { await reload(t('oqAlready')); return; }
      showErrors(form, errorsFrom(err));
    }
  });
  return form;
}
