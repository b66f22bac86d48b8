// 登录 (with a password, or 验证码登录 with a texted code), 忘记密码 and 注册. Codes come by text
// message; the app never reads any outbox. Both logins offer 这是公用手机 (a shared phone: no
// offline copy is kept and an idle phone logs out; session.js and device.js).
import { api } from '../api.js';
import { add, h } from '../dom.js';
import { t } from '../i18n.js';
import { errorsFrom, field, maskPhone, missing, onSubmit, showErrors, waitText } from '../forms.js';
import { boot, cachedProfile, loggedIn, startSession } from '../session.js';
import { heading } from '../ui.js';
import { staffHome } from './idbar.js';

const PHONE = /^1[3-9]\d{9}$/;

/** Where to go after logging in: an app path, never another site. */
function nextPath(query) {
  const next = query.get('next') || '';
  return /^\/[\w\-/?=&%.]*$/.test(next) && !/^\/(login|register)\b/.test(next) ? next : '/me';
}

function showPassword(input) {
  const id = `${input.id}-show`;
  return h('div', { class: 'opt show-pw' },
    h('input', { type: 'checkbox', id, onchange: (e) => { input.type = e.target.checked ? 'text' : 'password'; } }),
    h('label', { for: id }, t('showPassword')));
}

function loginErrors(err) {
  if (err.status === 401) return [{ field: null, text: t('loginWrong') }];
  if (err.status === 429) return [{ field: null, text: t('tooMany', { wait: waitText(err.retryAfter) }) }];
  return errorsFrom(err);
}

/** The 这是公用手机 checkbox of a login form; box.input is the checkbox. */
function sharedChoice() {
  const id = 'f-shared';
  const input = h('input', { type: 'checkbox', id, name: 'shared', 'aria-describedby': `${id}-help` });
  const box = h('div', { class: 'field shared-choice' },
    h('div', { class: 'opt' }, input, h('label', { for: id }, t('sharedPhone'))),
    h('p', { class: 'help', id: `${id}-help` }, t('sharedPhoneHelp')));
  box.input = input;
  return box;
}

async function finish(tokens, next, shared = false) {
  await startSession(tokens, { shared });
  await boot();
  // No other page asked for: staff land on their workbench, everyone else on their own page.
  location.hash = `#${next === '/me' ? staffHome(cachedProfile()) : next}`;
}

/** The login screen's other ways in, keeping where to go after. */
function wayLink(way, next, text) {
  const q = new URLSearchParams(way ? { way } : {});
  if (next !== '/me') q.set('next', next);
  const qs = q.toString();
  return h('a', { href: `#/login${qs ? `?${qs}` : ''}` }, text);
}

function otherWays(next, ways) {
  return h('ul', { class: 'other-ways' }, ways.map(([way, text]) => h('li', null, wayLink(way, next, text))));
}

export async function login(el, { query }) {
  const next = nextPath(query);
  if (loggedIn() && !query.get('expired')) {
    location.replace(`#${next}`);
    return;
  }
  const way = query.get('way');
  if (way === 'code') return codeLogin(el, next);
  if (way === 'reset') return resetPassword(el, next);
  const note = query.get('expired') ? t('expired') : query.get('idle') ? t('sharedIdleOut') : query.get('bye') ? t('loggedOut') : '';
  const phone = field({ name: 'phone', label: t('phoneLabel'), type: 'tel', autocomplete: 'tel', inputmode: 'numeric', maxlength: 11, required: true });
  const password = field({ name: 'password', label: t('passwordLabel'), type: 'password', autocomplete: 'current-password', maxlength: 64, required: true });
  password.append(showPassword(password.input));
  const shared = sharedChoice();
  const form = h('form', { class: 'account-form', novalidate: true }, phone, password, shared,
    h('button', { type: 'submit', class: 'wide' }, t('loginBtn')));
  add(el, [heading(t('loginTitle')),
    note ? h('p', { class: 'notice', role: 'status' }, note) : null,
    form,
    otherWays(next, [['code', t('codeLoginLink')], ['reset', t('forgotLink')]]),
    h('p', { class: 'aside' }, t('noAccount'), ' ', h('a', { href: '#/register' }, t('toRegister')))]);

  onSubmit(form, async () => {
    const errs = missing(form);
    if (errs.length) { showErrors(form, errs); return; }
    try {
      const res = await api('/auth/login', { body: { phone: phone.input.value.trim(), password: password.input.value } });
      if (res.mfa_required) codeStep(el, form, res.challenge, next, shared.input.checked);
      else await finish(res, next, shared.input.checked);
    } catch (err) {
      showErrors(form, loginErrors(err));
    }
  });
}

/** Staff: the second step, a code sent to their phone. */
function codeStep(el, passwordForm, challenge, next, shared) {
  const title = h('h2', { tabindex: '-1' }, t('mfaTitle'));
  const code = field({ name: 'code', label: t('codeLabel'), help: t('codeHelp'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, required: true });
  const back = h('button', { type: 'button', class: 'secondary wide' }, t('mfaBack'));
  const form = h('form', { class: 'account-form', novalidate: true }, title, h('p', null, t('mfaNote')), code,
    h('button', { type: 'submit', class: 'wide' }, t('mfaBtn')), back);
  passwordForm.hidden = true;
  passwordForm.after(form);
  title.focus();
  back.addEventListener('click', () => {
    form.remove();
    passwordForm.hidden = false;
    passwordForm.querySelector('input[type="password"]').focus();
  });
  onSubmit(form, async () => {
    const errs = missing(form);
    if (errs.length) { showErrors(form, errs); return; }
    try {
      await finish(await api('/auth/login/verify', { body: { challenge, code: code.input.value.trim() } }), next, shared);
    } catch (err) {
      showErrors(form, loginErrors(err));
    }
  });
}

/**
 * The 获取验证码 button of a code field: checks the phone, asks for a code for `purpose`, says
 * where it went (sentKey: a string with {phone}) and counts down to the next one.
 */
function codeSender({ form, phone, code, purpose, sentKey = 'codeSent' }) {
  const send = h('button', { type: 'button', class: 'secondary send-code' }, t('getCode'));
  const sent = h('p', { class: 'status', role: 'status' });
  let timer = null;
  function countdown(seconds) {
    let left = Math.max(1, Math.round(seconds));
    send.setAttribute('aria-disabled', 'true');
    const tick = () => {
      if (!send.isConnected || left <= 0) {
        clearInterval(timer);
        timer = null;
        send.removeAttribute('aria-disabled');
        send.textContent = t('resend');
        return;
      }
      send.textContent = t('resendIn', { n: left });
      left -= 1;
    };
    clearInterval(timer);
    tick();
    timer = setInterval(tick, 1000);
  }
  send.addEventListener('click', async () => {
    if (timer || send.getAttribute('aria-busy')) return;
    const number = phone.input.value.trim();
    if (!PHONE.test(number)) {
      showErrors(form, [{ field: 'phone', text: number ? t('phoneBad') : t('required', { label: t('phoneLabel') }) }]);
      return;
    }
    send.setAttribute('aria-busy', 'true');
    try {
      await api('/auth/codes', { body: { phone: number, purpose } });
      sent.textContent = t(sentKey, { phone: maskPhone(number) });
      countdown(60);
      code.input.focus();
    } catch (err) {
      if (err.status === 429) {
        countdown(err.retryAfter || 60);
        showErrors(form, [{ field: null, text: t('codeWait', { wait: waitText(err.retryAfter) }) }]);
      } else {
        showErrors(form, errorsFrom(err));
      }
    } finally {
      send.removeAttribute('aria-busy');
    }
  });
  return { send, sent };
}

/** A phone field and a code field with its 获取验证码 button, for `purpose`. */
function phoneAndCode(form, purpose, sentKey) {
  const phone = field({ name: 'phone', label: t('phoneLabel'), type: 'tel', autocomplete: 'tel', inputmode: 'numeric', maxlength: 11, required: true });
  const code = field({ name: 'code', label: t('codeLabel'), help: t('codeHelp'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, required: true, after: h('span', { class: 'send-slot' }) });
  const { send, sent } = codeSender({ form, phone, code, purpose, sentKey });
  code.querySelector('.send-slot').replaceWith(send);
  code.append(sent);
  return { phone, code };
}

function tooManyOr(err) {
  return err.status === 429
    ? [{ field: null, text: t('tooMany', { wait: waitText(err.retryAfter) }) }] : errorsFrom(err);
}

/** 验证码登录: a citizen logs in with a code texted to their phone. */
function codeLogin(el, next) {
  const form = h('form', { class: 'account-form', novalidate: true });
  const { phone, code } = phoneAndCode(form, 'login', 'codeSentIf');
  const shared = sharedChoice();
  form.append(h('p', { class: 'help' }, t('codeLoginNote')), phone, code, shared,
    h('button', { type: 'submit', class: 'wide' }, t('loginBtn')));
  add(el, [heading(t('codeLoginTitle')), form,
    otherWays(next, [[null, t('passwordLoginLink')], ['reset', t('forgotLink')]]),
    h('p', { class: 'aside' }, t('noAccount'), ' ', h('a', { href: '#/register' }, t('toRegister')))]);
  onSubmit(form, async () => {
    const errs = missing(form);
    if (errs.length) { showErrors(form, errs); return; }
    try {
      await finish(await api('/auth/login/code', { body: { phone: phone.input.value.trim(), code: code.input.value.trim() } }), next, shared.input.checked);
    } catch (err) {
      showErrors(form, tooManyOr(err));
    }
  });
}

/** 忘记密码: a code texted to the phone and a new password; other devices are logged out. */
function resetPassword(el, next) {
  const form = h('form', { class: 'account-form', novalidate: true });
  const { phone, code } = phoneAndCode(form, 'reset', 'codeSentIf');
  const rules = h('div', { class: 'rules', id: 'pw-rules' }, h('p', null, t('pwRulesTitle')),
    h('ul', null, h('li', null, t('pwRule1')), h('li', null, t('pwRule2')), h('li', null, t('pwRule3'))));
  const password = field({ name: 'password', label: t('newPasswordLabel'), type: 'password', autocomplete: 'new-password', maxlength: 64, required: true, 'aria-describedby': 'pw-rules' });
  password.querySelector('label').after(rules);
  password.append(showPassword(password.input));
  form.append(h('p', { class: 'help' }, t('resetNote')), phone, code, password,
    h('button', { type: 'submit', class: 'wide' }, t('resetBtn')));
  add(el, [heading(t('resetTitle')), form,
    otherWays(next, [[null, t('passwordLoginLink')], ['code', t('codeLoginLink')]])]);
  onSubmit(form, async () => {
    const errs = missing(form);
    if (errs.length) { showErrors(form, errs); return; }
    const body = { phone: phone.input.value.trim(), code: code.input.value.trim(), password: password.input.value };
    try {
      await finish(await api('/auth/password/reset', { body }), next);
    } catch (err) {
      showErrors(form, tooManyOr(err));
    }
  });
}

export async function register(el) {
  const name = field({ name: 'name', label: t('nameLabel'), help: t('nameHelp'), autocomplete: 'name', maxlength: 20, required: true });
  const idNumber = field({ name: 'id_number', label: t('idLabel'), help: t('idHelp'), autocomplete: 'off', maxlength: 18, spellcheck: 'false', autocapitalize: 'characters', required: true });
  const phone = field({ name: 'phone', label: t('phoneLabel'), help: t('phoneHelp'), type: 'tel', autocomplete: 'tel', inputmode: 'numeric', maxlength: 11, required: true });
  const code = field({ name: 'code', label: t('codeLabel'), help: t('codeHelp'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, required: true, after: h('span', { class: 'send-slot' }) });
  const rules = h('div', { class: 'rules', id: 'pw-rules' }, h('p', null, t('pwRulesTitle')),
    h('ul', null, h('li', null, t('pwRule1')), h('li', null, t('pwRule2')), h('li', null, t('pwRule3'))));
  const password = field({ name: 'password', label: t('passwordLabel'), type: 'password', autocomplete: 'new-password', maxlength: 64, required: true, 'aria-describedby': 'pw-rules' });
  password.querySelector('label').after(rules);
  password.append(showPassword(password.input));
  const form = h('form', { class: 'account-form', novalidate: true },
    h('p', { class: 'help' }, t('allRequired')), name, idNumber, phone, code, password,
    h('button', { type: 'submit', class: 'wide' }, t('registerBtn')));
  const { send, sent } = codeSender({ form, phone, code, purpose: 'register' });
  code.querySelector('.send-slot').replaceWith(send);
  code.append(sent);
  el.append(heading(t('registerTitle')), form,
    h('p', { class: 'aside' }, t('haveAccount'), ' ', h('a', { href: '#/login' }, t('toLogin'))));

  onSubmit(form, async () => {
    const errs = missing(form);
    if (errs.length) { showErrors(form, errs); return; }
    const body = {
      name: name.input.value.trim(),
      id_number: idNumber.input.value.trim().toUpperCase(),
      phone: phone.input.value.trim(),
      password: password.input.value,
      code: code.input.value.trim(),
    };
    try {
      await finish(await api('/auth/register', { body }), '/me?welcome=1');
    } catch (err) {
      showErrors(form, tooManyOr(err));
    }
  });
}
