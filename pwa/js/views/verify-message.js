// 验证消息 (#/verify-message, public): the code a message carries -> genuine (when, on which
// channel, its title and the department that sent it, in the app's language) or not, with plain
// words against phishing: city messages carry no login links. Nothing personal is asked or shown.
import { api } from '../api.js';
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { errorsFrom, field, onSubmit, showErrors, waitText } from '../forms.js';
import '../id-strings.js';
import '../notify-strings.js';
import { fact, heading } from '../ui.js';

const CODE = /^[0-9A-HJKMNP-TV-Z]{8}$/; // Crockford base32, as the API reads it
const tidy = (s) => s.toUpperCase().replace(/[\s-]/g, '');

export async function verifyMessage(el, { query }) {
  el.append(heading(t('vmTitle')), h('p', null, t('vmIntro')),
    h('p', { class: 'box warn', id: 'vm-nolinks' }, t('vmNoLinks')));
  const code = field({ name: 'code', label: t('vmCode'), help: t('vmCodeHelp'), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', maxlength: 20, required: true });
  const out = h('div', { id: 'vm-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'account-form', novalidate: true }, code, h('button', { type: 'submit' }, t('vmCheck')));
  el.append(form, out);
  const given = query.get('code');
  if (given) code.input.value = given;
  onSubmit(form, async () => {
    out.replaceChildren();
    const value = tidy(code.input.value);
    if (!CODE.test(value)) { showErrors(form, [{ field: 'code', text: t('vmBad') }]); return; }
    try {
      const got = await api('/verify-message', { body: { code: value } });
      out.replaceChildren(got.genuine
        ? h('div', { class: 'box ok', id: 'vm-genuine', role: 'status' }, h('p', null, h('strong', null, t('vmGenuine'))),
          h('dl', { class: 'facts' }, fact(t('vmSentAt'), (got.sent_at || '').slice(0, 16).replace('T', ' ')),
            fact(t('vmChannel'), t(`ch_${got.channel}`)), fact(t('vmMsgTitle'), got.title),
            fact(t('vmSender'), (lang() === 'en' && got.sender_en) || got.sender)))
        : h('div', { class: 'box warn', id: 'vm-fake', role: 'status' }, h('p', null, h('strong', null, t('vmFake'))), h('p', null, t('vmNoLinks'))));
    } catch (err) {
      const errs = errorsFrom(err);
      if (err.status === 429) errs[0] = { field: null, text: `${errs[0].text} ${waitText(err.retryAfter)}` };
      showErrors(form, errs);
    }
  });
  if (given) form.requestSubmit();
}
