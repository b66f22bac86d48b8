// 办件查询: anyone with an application's receipt (number + query code) sees its status and
// history without logging in; nothing personal is shown (the API sends nothing personal).
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clearErrors, errorsFrom, field, onSubmit, showErrors } from '../forms.js';
import { timeline } from '../intake.js';
import { statusTag } from '../status.js';
import { fact, heading } from '../ui.js';

const NUMBER = /^MZ\d{14}$/;
const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/;

export async function progress(el, { query }) {
  el.append(heading(t('progressTitle')), h('p', { class: 'help' }, t('progressIntro')));
  const number = field({ name: 'number', label: t('appNo'), help: t('lookupHelp'), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 16 });
  const code = field({ name: 'code', label: t('queryCode'), help: t('queryCodeHelp'), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 8 });
  number.input.value = query.get('number') || '';
  const form = h('form', { class: 'account-form', novalidate: true }, number, code,
    h('button', { type: 'submit', class: 'wide' }, t('progressBtn')));
  const result = h('div', { 'aria-live': 'polite' });
  el.append(form, result);
  onSubmit(form, async () => {
    clearErrors(form);
    result.replaceChildren();
    const no = number.input.value.trim().toUpperCase();
    const qc = code.input.value.trim().toUpperCase().replace(/\s+/g, '');
    const errs = [];
    if (!NUMBER.test(no)) errs.push({ field: 'number', text: t('lookupBad') });
    if (!CODE.test(qc)) errs.push({ field: 'code', text: t('queryCodeBad') });
    if (errs.length) { showErrors(form, errs); return; }
    try {
      const p = await api('/progress', { body: { number: no, code: qc } });
      result.replaceChildren(h('section', { 'aria-labelledby': 'pg-h' },
        h('h2', { id: 'pg-h' }, p.matter_name),
        h('dl', { class: 'facts' }, fact(t('appNo'), p.number),
          fact(t('appStatus'), h('span', { id: 'pg-status' }, statusTag('app', p.status, p.status_zh))),
          p.status === 'returned' && p.correction_due ? fact(t('correctionDue'), p.correction_due) : null,
          p.due && p.status !== 'returned' ? fact(t('dueNow'), p.due) : null),
        h('h3', null, t('timeline')), timeline(p.events)));
      result.querySelector('h2').setAttribute('tabindex', '-1');
      result.querySelector('h2').focus();
    } catch (err) {
      if (err.status === 404) showErrors(form, [{ field: null, text: t('progressNone') }]);
      else showErrors(form, errorsFrom(err));
    }
  });
}
