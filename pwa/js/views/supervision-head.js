// What a department head does from their view of 效能监督 (supervision-cards.js draws the lists):
// explain or rectify an open card of the department, record the call-back of a bad rating, or
// appeal one the department holds malicious. Each is a small form in place: the text is
// required (an empty one is refused under its field), the API's refusals show there too.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clearErrors, errorsFrom, onSubmit, showErrors } from '../forms.js';
import { authed } from '../session.js';

const TEXT_MAX = 1000;
let seq = 0;

/**
 * A button that opens a form in place: a required text (and optionally a 已整改 checkbox);
 * send(values) posts it and resolves to the updated item, handed to done().
 */
function inlineForm({ open, label, help, submit, rectified, send, done }) {
  const id = `svh-${++seq}`;
  const button = h('button', { type: 'button', class: 'secondary' }, open);
  const input = h('textarea', { id, name: 'text', rows: 3, maxlength: TEXT_MAX, required: true, 'aria-describedby': `${id}-help` });
  const check = rectified ? h('input', { type: 'checkbox', id: `${id}-r`, name: 'rectified' }) : null;
  const form = h('form', { class: 'account-form', novalidate: true, hidden: true, 'aria-label': open },
    h('div', { class: 'field', id: `${id}-box`, 'data-field': 'text', 'data-label': label },
      h('label', { for: id }, label, ' *'), h('p', { class: 'help', id: `${id}-help` }, help), input),
    check ? h('div', { class: 'field opt' }, check, h('label', { for: `${id}-r` }, t('svCardRectified'))) : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, submit),
      h('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = true; button.hidden = false; button.focus(); } }, t('confirmNo'))));
  button.addEventListener('click', () => { button.hidden = true; form.hidden = false; input.focus(); });
  onSubmit(form, async () => {
    clearErrors(form);
    const text = input.value.trim();
    if (!text) { showErrors(form, [{ field: 'text', text: t('svNoteRequired', { label }) }]); return; }
    try {
      done(await send({ text, rectified: Boolean(check?.checked) }));
    } catch (err) {
      showErrors(form, err.status === 409 ? [{ field: 'text', text: t('err_409') }] : errorsFrom(err).map((e) => ({ ...e, field: 'text' })));
    }
  });
  return h('div', { class: 'sv-act' }, button, form);
}

/** 说明情况 on an open card of the head's department. */
export const explainCard = (card, done) => inlineForm({
  open: t('svExplain'), label: t('svExplainLabel'), help: t('svExplainHelp'), submit: t('svExplainSend'), rectified: true,
  send: ({ text, rectified }) => authed(`/officer/cards/${encodeURIComponent(card.id)}/explain`, { body: { text, rectified } }),
  done: (next) => done(next, t('svExplained')),
});

/** 记录回访 and 申诉 on a rating being rectified (申诉 on one called back too). */
export function ratingActions(r, done) {
  const id = encodeURIComponent(r.id);
  return [
    r.state === 'rectifying' ? inlineForm({
      open: t('svCallback'), label: t('svCallbackLabel'), help: t('svCallbackHelp'), submit: t('svCallbackSend'), rectified: true,
      send: ({ text, rectified }) => authed(`/officer/ratings/${id}/callback`, { body: { text, rectified } }),
      done: (next) => done(next, t('svCalledBack')),
    }) : null,
    !r.appeal ? inlineForm({
      open: t('svAppeal'), label: t('svAppealLabel'), help: t('svAppealHelp'), submit: t('svAppealSend'),
      send: ({ text }) => authed(`/officer/ratings/${id}/appeal`, { body: { reason: text } }),
      done: (next) => done(next, t('svAppealed')),
    }) : null,
  ];
}
