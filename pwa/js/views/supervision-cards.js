// The dashboard's lists (supervision.js): red and yellow cards by age, closed by a supervisor with a
// note (in place, errors under the field), and the ratings of 不满意 or worse with their
// rectification, call-back and appeal, the appeal decided by a supervisor. A department head reads
// both lists for their department; only supervisors and administrators act on them.
import { h } from '../dom.js';
import { has, localised, nameOf, t } from '../i18n.js';
import { choices, clearErrors, errorsFrom, onSubmit, showErrors } from '../forms.js';
import { day, when } from '../intake.js';
import { authed } from '../session.js';
import { fact, pagedList } from '../ui.js';
import { section } from '../indicators.js';
import { explainCard, ratingActions } from './supervision-head.js';

const CARD_STATES = ['open', 'explained', 'closed'];
const RATING_STATES = ['rectifying', 'appealed', 'called_back', 'upheld'];
const NOTE_MAX = 500;
const KINDS = new Set(['accept_80', 'accept_overdue', 'promised_80', 'promised_overdue', 'refusal_without_reason', 'offguide_request', 'question_overdue']);

/** Buttons choosing one state of a list (aria-pressed); choosing redraws the list below. */
function stateSwitch(states, label, key, draw) {
  const slot = h('div');
  const buttons = states.map((s) => h('button', { type: 'button', class: 'secondary', 'data-state': s, 'aria-pressed': 'false' }, t(`${key}${s}`)));
  const pick = (s) => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.state === s));
    const list = draw(s);
    slot.replaceChildren(list);
    return list.ready;
  };
  for (const b of buttons) b.addEventListener('click', () => pick(b.dataset.state));
  const box = h('div', null, h('div', { class: 'actions', role: 'group', 'aria-label': label }, buttons), slot);
  box.ready = pick(states[0]);
  return box;
}

const params = (f, state, cursor) => ({
  state, limit: 20, ...(f.department ? { department: f.department } : {}),
  ...(f.county ? { county: f.county } : {}), ...(cursor ? { cursor } : {}),
});
const who = (p) => (p && typeof p === 'object' ? p.name || p.id : p) || '—';
const place = (x, lists) => [nameOf(lists.departments[x.department] || {}) || x.department, nameOf(lists.regions[x.region] || {}) || x.region].filter(Boolean).join(' · ');

export function cardsSection(f, lists, role) {
  return section('sv-cards', t('svCardsTitle'), () => stateSwitch(CARD_STATES, t('svCardTabs'), 'card_', (state) => pagedList({
    fetchPage: (cursor) => (role.officer
      ? authed('/officer/cards', { params: { state, limit: 20, ...(cursor ? { cursor } : {}) } })
      : authed('/supervision/cards', { params: params(f, state, cursor) })),
    renderItem: (c) => cardItem(c, lists, role),
    countText: (n) => t('svCardsCount', { n }),
    emptyText: t(`svCardsEmpty_${state}`),
  })));
}

function cardItem(c, lists, role) {
  const li = h('li', { class: 'card sv-card', 'data-id': c.id, 'data-colour': c.colour });
  const draw = (card, notice) => {
    li.replaceChildren(...[
      notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice) : null,
      h('p', { class: 'title' }, h('span', { class: `tag colour-${card.colour}` }, t(`colour_${card.colour}`)), ' ',
        t(KINDS.has(card.kind) ? `kind_${card.kind}` : 'kind_unknown')),
      h('p', { class: 'meta' }, card.age_days === 0 ? t('svAge_0') : t('svAge', { n: card.age_days }), ' · ', place(card, lists)),
      h('dl', { class: 'facts small' },
        card.application ? fact(t('svCardApp'), card.application) : null,
        card.question ? fact(t('svCardQuestion'), card.question) : null,
        fact(t('svCardOfficer'), who(card.officer)),
        fact(t('svCardRaised'), when(card.raised_at)),
        card.explanation ? fact(t('svCardExpl'), [card.explanation, card.rectified ? `（${t('svCardRectified')}）` : '']) : null,
        card.closed_at ? fact(t('svCardClosedBy'), who(card.closed_by)) : null,
        card.closed_at ? fact(t('svCardClosedAt'), when(card.closed_at)) : null),
      role.overseer && card.state !== 'closed' ? closeControl(card, (next) => redraw(next, t('svClosed'))) : null,
      !role.overseer && card.state === 'open' ? explainCard(card, redraw) : null,
    ].filter(Boolean));
  };
  const redraw = (next, notice) => { draw(next, notice); li.querySelector('.notice')?.focus(); };
  draw(c);
  return li;
}

/** A textarea with its label, help and counter in a .field box (errors go under the label). */
function noteField(name, label, help) {
  const id = `sv-${name}-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('textarea', { id, name, rows: 3, maxlength: NOTE_MAX, required: true, 'aria-describedby': `${id}-help` });
  const count = h('p', { class: 'qb-count', 'aria-live': 'polite' }, t('svChars', { n: 0, max: NOTE_MAX }));
  input.addEventListener('input', () => { count.textContent = t('svChars', { n: input.value.length, max: NOTE_MAX }); });
  const box = h('div', { class: 'field', id: `${id}-box`, 'data-field': name, 'data-label': label },
    h('label', { for: id }, label, ' *'), h('p', { class: 'help', id: `${id}-help` }, help), input, count);
  box.input = input;
  return box;
}

/** 关闭 → the note and 确认关闭 in place; 403 (the card names you) and 409 show under the note. */
function closeControl(card, done) {
  const open = h('button', { type: 'button', class: 'secondary sv-close' }, t('svClose'));
  const note = noteField('note', t('svCloseNote'), t('svCloseHelp'));
  const form = h('form', { class: 'account-form', novalidate: true, hidden: true, 'aria-label': t('svCloseAsk', { colour: t(`colour_${card.colour}`) }) },
    h('p', { class: 'confirm-q' }, t('svCloseAsk', { colour: t(`colour_${card.colour}`) })), note,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('svCloseSend')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = true; open.hidden = false; open.focus(); } }, t('confirmNo'))));
  open.addEventListener('click', () => { open.hidden = true; form.hidden = false; note.input.focus(); });
  onSubmit(form, async () => {
    clearErrors(form);
    const text = note.input.value.trim();
    if (!text) { showErrors(form, [{ field: 'note', text: t('svNoteRequired', { label: t('svCloseNote') }) }]); return; }
    try {
      done(await authed(`/supervision/cards/${encodeURIComponent(card.id)}/close`, { body: { note: text } }));
    } catch (err) {
      const mine = { 403: 'svCloseOwn', 409: 'svCloseDone' }[err.status];
      showErrors(form, mine ? [{ field: 'note', text: t(mine) }] : errorsFrom(err).map((e) => ({ ...e, field: e.field || 'note' })));
    }
  });
  return h('div', null, open, form);
}

export function ratingsSection(f, lists, role) {
  return section('sv-ratings', t('svRatingsTitle'), () => stateSwitch(RATING_STATES, t('svRatingTabs'), 'rst_', (state) => pagedList({
    fetchPage: (cursor) => authed('/supervision/ratings', { params: params(f, state, cursor) }),
    renderItem: (r) => ratingItem(r, lists, role),
    countText: (n) => t('svRatingsCount', { n }),
    emptyText: t('svRatingsEmpty'),
  })));
}

function ratingItem(r, lists, role) {
  const li = h('li', { class: 'card sv-rating', 'data-id': r.id });
  const draw = (x, notice) => {
    const appeal = x.appeal || {};
    const decision = appeal.decision;
    li.replaceChildren(...[
      notice ? h('p', { class: 'notice', role: 'status', tabindex: '-1' }, notice) : null,
      h('p', { class: 'title' }, h('span', { class: `tag ${x.level <= 2 ? 'fail' : 'pass'}` }, t(`level_${x.level}`)), ' ',
        localised(x, 'matter_name') || x.matter || ''),
      h('p', { class: 'meta' }, place(x, lists), x.rated_at ? ` · ${when(x.rated_at)}` : ''),
      h('dl', { class: 'facts small' },
        x.application ? fact(t('svRatingApp'), x.application) : null,
        x.tags?.length ? fact(t('svRatingTags'), x.tags.map((k) => (has(`tag_${k}`) ? t(`tag_${k}`) : k)).join(t('svListSep'))) : null,
        x.comment ? fact(t('svRatingComment'), x.comment) : null,
        x.rectification ? fact(t('svRatingDeadline'), [day(x.rectification.due), ' ', x.overdue
          ? h('span', { class: 'tag fail' }, t('svOverdue')) : x.days_left != null ? h('span', { class: 'tag' }, t('svDaysLeft', { n: x.days_left })) : null]) : null,
        x.callback ? fact(t('svRatingCallback'), [x.callback.text, x.callback.rectified ? `（${t('svCardRectified')}）` : '']) : null,
        appeal.reason ? fact(t('svRatingAppeal'), appeal.reason) : null,
        decision ? fact(t('svRatingDecision'), [t(decision.upheld ? 'svUpheld' : 'svNotUpheld'), decision.note ? `：${decision.note}` : '']) : null),
      role.overseer && x.state === 'appealed' ? decisionForm(x, (next) => redraw(next, t('svDecided'))) : null,
      ...(!role.overseer && ['rectifying', 'called_back'].includes(x.state) ? ratingActions(x, redraw) : []),
    ].filter(Boolean));
  };
  const redraw = (next, notice) => { draw(next, notice); li.querySelector('.notice')?.focus(); };
  draw(r);
  return li;
}

/** Upheld or not, with a note: the supervisor's decision on a department's appeal. */
function decisionForm(r, done) {
  const pick = choices({ name: 'upheld', legend: t('svDecisionChoice'), required: true, items: [
    { value: 'true', label: t('svUphold') }, { value: 'false', label: t('svReject') }] });
  const note = noteField('note', t('svDecisionNote'), t('svDecisionHelp'));
  const form = h('form', { class: 'account-form', novalidate: true, 'aria-label': t('svDecide') },
    h('h3', null, t('svDecide')), pick, note, h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('svDecisionSend'))));
  onSubmit(form, async () => {
    clearErrors(form);
    const chosen = form.querySelector('input[name="upheld"]:checked');
    const text = note.input.value.trim();
    const errs = [!chosen && { field: 'upheld', text: t('choose', { label: t('svDecisionChoice') }) },
      !text && { field: 'note', text: t('svNoteRequired', { label: t('svDecisionNote') }) }].filter(Boolean);
    if (errs.length) { showErrors(form, errs); return; }
    try {
      done(await authed(`/supervision/ratings/${encodeURIComponent(r.id)}/appeal-decision`, { body: { upheld: chosen.value === 'true', note: text } }));
    } catch (err) {
      showErrors(form, err.status === 409 ? [{ field: 'note', text: t('err_409') }] : errorsFrom(err).map((e) => ({ ...e, field: e.field || 'note' })));
    }
  });
  return form;
}
