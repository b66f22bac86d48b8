// 在线申请: the matter's form fields, its materials (upload, or an e-licence after a consent
// preview), then 提交申请. One draft per visit: its creation carries an Idempotency-Key, so a
// double tap or a retry cannot make two applications. Fields the verified identity answers
// are filled by the server: shown masked and read-only, never sent. With ?app=<id> the same
// screen corrects a returned application (补正): the points to fix, the form as it was, each
// material kept or replaced, then 重新提交.
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clearErrors, errorsFrom, fieldErrors, onSubmit, showErrors } from '../forms.js';
import { authed, loggedIn, profile } from '../session.js';
import '../staff-strings.js';
import { day } from '../intake.js';
import { errorBox, fact, heading, licenceName, loading } from '../ui.js';

const MAX = 10 * 1024 * 1024;
const TYPES = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };
let seq = 0;

/** A labelled control for a form field of the matter; data-field is the API's error key. */
function control(spec, shown) {
  const id = `af-${spec.name}-${++seq}`;
  if (shown != null) return prefilledControl(spec, id, shown);
  const req = spec.required !== false;
  const base = { id, name: spec.name, required: req, 'aria-required': req ? 'true' : null };
  let input;
  if (spec.type === 'select') {
    input = h('select', base, h('option', { value: '' }, t('chooseOption')),
      (spec.options || []).map((o) => h('option', { value: o }, o)));
  } else if (spec.type === 'textarea') {
    input = h('textarea', { ...base, rows: 3, maxlength: 2000 });
  } else {
    const kind = {
      id_number: { maxlength: 18, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' },
      phone: { type: 'tel', inputmode: 'numeric', maxlength: 11, autocomplete: 'tel' },
      date: { type: 'date' },
      number: { inputmode: 'decimal', autocomplete: 'off' },
    }[spec.type] || { maxlength: 200 };
    input = h('input', { type: 'text', ...base, ...kind });
  }
  const box = h('div', { class: 'field', id: `${id}-box`, 'data-field': `form.${spec.name}`, 'data-label': spec.label },
    h('label', { for: id }, spec.label, h('span', { class: req ? 'req' : 'sub' }, req ? ' *' : t('optionalMark'),
      req ? h('span', { class: 'sr-only' }, t('requiredMark')) : null)),
    input);
  box.input = input;
  box.spec = spec;
  return box;
}

/** A field the verified identity answers: its masked value, read-only, not part of what is sent. */
function prefilledControl(spec, id, shown) {
  const input = h('input', { type: 'text', id, name: spec.name, value: String(shown), readonly: true, 'aria-readonly': 'true', 'aria-describedby': `${id}-note`, class: 'prefilled' });
  const box = h('div', { class: 'field prefilled', id: `${id}-box`, 'data-field': `form.${spec.name}`, 'data-label': spec.label },
    h('label', { for: id }, spec.label), input, h('p', { class: 'help', id: `${id}-note` }, t('prefilledNote')));
  box.input = input;
  box.spec = spec;
  box.prefilled = true;
  return box;
}

function valueOf(box) {
  if (box.prefilled) return null;
  const v = box.input.value.trim();
  if (!v) return null;
  if (box.spec.type === 'number') return Number.isFinite(Number(v)) ? Number(v) : v;
  if (box.spec.type === 'id_number') return v.toUpperCase();
  return v;
}

/** Post the file to the presigned URL (fields first, then the file), reporting progress. */
function postFile(grant, file, onProgress) {
  return new Promise((resolve, reject) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(grant.fields || {})) fd.append(k, v);
    fd.append('file', file);
    const x = new XMLHttpRequest();
    x.open('POST', grant.url);
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((e.loaded * 100) / e.total)); };
    x.onload = () => (x.status >= 200 && x.status < 300 ? resolve() : reject(new ApiError(x.status, 'upload_failed')));
    x.onerror = () => reject(new ApiError(0, 'network'));
    x.send(fd);
  });
}

export async function apply(el, { args: [code], query }) {
  const appId = query?.get('app') || null;
  const here = `/apply/${code}${appId ? `?app=${encodeURIComponent(appId)}` : ''}`;
  const title = heading(t('applyTitle'));
  el.append(title);
  if (!loggedIn()) {
    location.replace(`#/login?next=${encodeURIComponent(here)}`);
    return;
  }
  const wait = loading();
  el.append(wait);
  let m; let me; let offered = []; let pre = { fields: {} }; let existing = null;
  try {
    [m, me, pre, existing] = await Promise.all([api(`/matters/${encodeURIComponent(code)}`), profile(),
      authed(`/matters/${encodeURIComponent(code)}/prefill`).catch(() => ({ fields: {} })),
      appId ? authed(`/applications/${encodeURIComponent(appId)}`) : null]);
    offered = m.materials?.some((x) => x.licence_type)
      ? (await authed('/wallet', { params: { matter: code } }).catch(() => ({ items: [] }))).items || [] : [];
  } catch (err) {
    if (err.code !== 'login_required') wait.replaceWith(errorBox(err));
    return;
  }
  title.textContent = t(existing ? 'correctFor' : 'applyFor', { name: m.name });
  if (m.online_depth === 'onsite') {
    wait.replaceWith(h('p', { class: 'box' }, t('notOnline')), h('p', null, h('a', { href: `#/matters/${encodeURIComponent(code)}` }, t('back'))));
    return;
  }
  const levelBox = h('div', { class: 'levelbox', role: 'alert', hidden: true });
  function needLevel(need, have) {
    levelBox.replaceChildren(h('p', null, t('levelNeeded', { need: t(`level_${need}`), have: t(`level_${have}`) })),
      h('p', null, h('a', { href: '#/me' }, t('levelHow'))));
    levelBox.hidden = false;
  }

  // One draft per visit of this screen; the key makes a retried create return the same one.
  const idemKey = crypto.randomUUID();
  let draft = existing ? Promise.resolve(existing) : null;
  function ensureDraft() {
    draft ||= authed('/applications', { body: { matter: code, form: {} }, headers: { 'Idempotency-Key': idemKey } })
      .catch((err) => { draft = null; throw err; });
    return draft;
  }

  const filled = existing ? Object.fromEntries((existing.prefilled || []).map((k) => [k, existing.form[k]])) : pre.fields || {};
  const fields = (m.form_fields || []).map((spec) => control(spec, filled[spec.name]));
  if (existing) {
    for (const f of fields) if (!f.prefilled && existing.form[f.spec.name] != null) f.input.value = String(existing.form[f.spec.name]);
  }
  const attached = new Map(); // material name -> text of what was attached
  for (const [name, mat] of Object.entries(existing?.materials || {})) attached.set(name, t('materialKept', { kind: t(`mat_${mat.kind}`) }));
  const corr = existing?.correction;
  const fixBox = existing ? h('section', { class: 'returned box', 'aria-labelledby': 'ap-fix-h' },
    h('h2', { id: 'ap-fix-h' }, t('returnTitle')),
    h('ul', { id: 'fix-items' }, (corr?.items?.length ? corr.items : existing.return_items || []).map((i) => h('li', null, i))),
    corr?.due ? h('p', null, t('correctBy', { due: day(corr.due) })) : null) : null;
  const form = h('form', { class: 'account-form apply-form', novalidate: true },
    fixBox,
    h('p', { class: 'help' }, t('applyIntro')),
    Object.keys(filled).length ? h('p', { class: 'help' }, t('prefilledIntro')) : null,
    h('section', { 'aria-labelledby': 'ap-form-h' }, h('h2', { id: 'ap-form-h' }, t('formTitle')), fields),
    (m.materials || []).length
      ? h('section', { 'aria-labelledby': 'ap-mats-h' }, h('h2', { id: 'ap-mats-h' }, t('matsTitle')),
        m.materials.map((mat, i) => materialBox(mat, i)))
      : null,
    h('button', { type: 'submit', class: 'wide' }, t(existing ? 'resubmitApp' : 'submitApp')));
  wait.replaceWith(levelBox, form);
  if (me.level < (m.required_level || 1)) needLevel(m.required_level, me.level);

  function materialBox(mat, i) {
    const id = `am-${i}-${++seq}`;
    const req = mat.required !== false;
    const status = h('p', { class: 'status upl', id: `${id}-st`, role: 'status' });
    const file = h('input', { type: 'file', id, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png', 'aria-describedby': `${id}-help ${id}-st` });
    const lic = mat.licence_type ? offered.find((l) => l.type === mat.licence_type && l.status === 'valid') : null;
    const box = h('fieldset', { class: 'field mat-up', id: `${id}-box`, 'data-field': `material:${mat.name}`, 'data-label': mat.name },
      h('legend', null, mat.name, h('span', { class: req ? 'req' : 'sub' }, req ? ' *' : t('optionalMark'),
        req ? h('span', { class: 'sr-only' }, t('requiredMark')) : null)),
      lic ? h('p', null, h('button', { type: 'button', class: 'secondary use-lic', onclick: (e) => consent(mat, lic, status, e.currentTarget) },
        t('useLicence', { name: lic.type_name || licenceName(lic.type) }))) : null,
      h('label', { for: id, class: 'file-label' }, t('uploadLabel', { name: mat.name })),
      h('p', { class: 'help', id: `${id}-help` }, t('uploadHelp')),
      file, status);
    if (attached.has(mat.name)) status.textContent = attached.get(mat.name);
    file.addEventListener('change', () => upload(mat, file, status));
    box.material = mat;
    return box;
  }

  function say(status, text, bad) {
    status.textContent = text;
    status.classList.toggle('field-error', Boolean(bad));
  }

  async function upload(mat, input, status) {
    const f = input.files && input.files[0];
    if (!f) return;
    const ext = (f.name.split('.').pop() || '').toLowerCase();
    const type = Object.values(TYPES).includes(f.type) ? f.type : TYPES[ext];
    if (!type) { say(status, t('fileBadType', { file: f.name }), true); input.value = ''; return; }
    if (f.size > MAX) { say(status, t('fileTooBig', { file: f.name }), true); input.value = ''; return; }
    if (f.size === 0) { say(status, t('uploadFailed'), true); return; }
    attached.delete(mat.name);
    say(status, t('uploading', { file: f.name, pct: 0 }));
    try {
      const app = await ensureDraft();
      const grant = await authed(`/applications/${app.id}/materials/uploads`, {
        body: { material: mat.name, content_type: type, size: f.size, filename: f.name.slice(0, 200) } });
      await postFile(grant, f, (pct) => say(status, t('uploading', { file: f.name, pct })));
      const after = await authed(`/applications/${app.id}/materials`, { body: { material: mat.name, upload_key: grant.key } });
      attached.set(mat.name, f.name);
      const scan = after?.materials?.[mat.name]?.scan; // the malware scan runs after the upload
      say(status, scan ? `${t('uploaded', { file: f.name })} · ${t(`scan_${scan}`)}` : t('uploaded', { file: f.name }));
    } catch (err) {
      if (err.status === 403 && err.details?.required_level) needLevel(err.details.required_level, err.details.your_level);
      const why = err.status === 413 ? t('fileTooBig', { file: f.name }) : err.status === 415 ? t('fileBadType', { file: f.name })
        : fieldErrors(err)[0]?.text || t('uploadFailed');
      say(status, why, true);
    }
  }

  /** The preview of exactly what would be shared, then 同意并使用 / 取消. */
  async function consent(mat, lic, status, trigger) {
    let preview;
    try {
      preview = await authed(`/wallet/${lic.id}/preview`, { body: { matter: code } });
    } catch (err) {
      say(status, fieldErrors(err)[0]?.text || t('uploadFailed'), true);
      return;
    }
    const dlg = h('dialog', { class: 'consent', 'aria-labelledby': 'cs-h', 'aria-describedby': 'cs-intro' },
      h('h2', { id: 'cs-h' }, t('consentTitle')),
      h('p', null, h('strong', null, preview.type_name || licenceName(lic.type)), ` · ${lic.number || ''}`),
      h('p', { id: 'cs-intro' }, t('consentIntro', { matter: preview.matter_name || m.name })),
      h('dl', { class: 'facts shared' }, (preview.fields || []).map((f) =>
        fact(f.label, [f.value ?? '', f.disclosure && f.disclosure !== 'full' ? t('masked') : '']))));
    const agree = h('button', { type: 'button' }, t('consentAgree'));
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('consentCancel'));
    dlg.append(h('div', { class: 'actions' }, agree, cancel));
    document.body.append(dlg);
    const close = () => { dlg.close(); dlg.remove(); trigger.focus(); };
    cancel.addEventListener('click', () => { close(); say(status, t('consentCancelled')); });
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(); say(status, t('consentCancelled')); });
    agree.addEventListener('click', async () => {
      if (agree.getAttribute('aria-disabled')) return;
      agree.setAttribute('aria-disabled', 'true');
      try {
        const app = await ensureDraft();
        await authed(`/applications/${app.id}/materials`, { body: { material: mat.name, licence_id: lic.id, consent: true } });
        const text = t('usedLicence', { name: preview.type_name || licenceName(lic.type), n: (preview.fields || []).length });
        attached.set(mat.name, text);
        close();
        say(status, text);
      } catch (err) {
        close();
        say(status, fieldErrors(err)[0]?.text || t('uploadFailed'), true);
      }
    });
    dlg.showModal();
    agree.focus();
  }

  onSubmit(form, submit);

  async function submit() {
    clearErrors(form);
    const errs = [];
    for (const f of fields) {
      if (!f.prefilled && f.spec.required !== false && valueOf(f) == null) {
        errs.push({ field: `form.${f.spec.name}`, text: t(f.spec.type === 'select' ? 'choose' : 'required', { label: f.spec.label }) });
      }
    }
    for (const mat of m.materials || []) {
      if (mat.required !== false && !attached.has(mat.name)) errs.push({ field: `material:${mat.name}`, text: t('missingMat', { name: mat.name }) });
    }
    if (errs.length) { showErrors(form, errs); return; }
    const data = {};
    for (const f of fields) { const v = valueOf(f); if (v != null) data[f.spec.name] = v; }
    try {
      const app = await ensureDraft();
      await authed(`/applications/${app.id}/form`, { body: { form: data }, method: 'PUT' });
      await authed(`/applications/${app.id}/submit`, { method: 'POST' });
      location.hash = `#/applications/${app.id}?${existing ? 'resubmitted' : 'submitted'}=1`;
    } catch (err) {
      if (err.code === 'login_required') return;
      if (err.status === 403 && err.details?.required_level) {
        needLevel(err.details.required_level, err.details.your_level ?? me.level);
        levelBox.setAttribute('tabindex', '-1');
        levelBox.focus();
        return;
      }
      // "materials" names each missing one: show it under that material's upload.
      showErrors(form, errorsFrom(err).map((x) => {
        if (x.field !== 'materials') return x;
        const name = /missing: (.+?) \(/.exec(x.raw)?.[1];
        const bad = /infected: (.+?) \(/.exec(x.raw)?.[1]; // failed the malware scan
        if (bad) return { field: `material:${bad}`, text: t('matInfected', { name: bad }) };
        return name ? { field: `material:${name}`, text: t('missingMat', { name }) } : { field: null, text: x.text };
      }));
    }
  }
}
