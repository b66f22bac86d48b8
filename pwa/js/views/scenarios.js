// Life-event scenarios (一件事): the list, then guided questions that resolve to matters.
import { api } from '../api.js';
import { h } from '../dom.js';
import { localised, t, nameOf } from '../i18n.js';
import { audienceSwitch, chosenAudience, errorBox, heading, loading, matterCard } from '../ui.js';

export async function scenarios(el, { query }) {
  const audience = chosenAudience(query);
  const wait = loading();
  el.append(heading(t('scenariosTitle')), audienceSwitch('scenarios', audience), wait);
  try {
    const { items } = await api('/scenarios', { params: { audience } });
    wait.replaceWith(h('ul', { class: 'list' }, items.map((s) => h('li', { class: 'card' },
      h('a', { class: 'title', href: `#/scenarios/${encodeURIComponent(s.code)}` }, nameOf(s)),
      s.description ? h('p', { class: 'meta sub' }, localised(s, 'description')) : null))));
  } catch (err) {
    wait.replaceWith(errorBox(err));
  }
}

export async function scenario(el, { args: [code] }) {
  const title = heading(t('scenariosTitle'));
  const wait = loading();
  el.append(h('a', { class: 'back', href: '#/scenarios' }, '‹ ', t('scenariosTitle')), title, wait);
  let s;
  try {
    s = await api(`/scenarios/${encodeURIComponent(code)}`);
  } catch (err) {
    wait.replaceWith(errorBox(err));
    return;
  }
  title.textContent = nameOf(s);
  const out = h('section', { 'aria-labelledby': 'result-h', hidden: true });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'questions' },
    (s.questions || []).map((q, i) => h('fieldset', null,
      h('legend', null, `${i + 1}. ${localised(q, 'text')}`),
      q.options.map((o) => h('label', { class: 'opt' },
        h('input', { type: 'radio', name: q.id, value: o.value, required: true }), localised(o, 'label'))))),
    h('button', { type: 'submit' }, t('getMatters')));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const answers = Object.fromEntries(new FormData(form));
    const btn = form.querySelector('button');
    btn.disabled = true;
    status.textContent = t('loading');
    out.hidden = false;
    out.replaceChildren(h('h2', { id: 'result-h', tabindex: '-1' }, t('resultTitle')), status);
    try {
      const { items } = await api(`/scenarios/${encodeURIComponent(code)}/resolve`, { body: { answers } });
      status.textContent = t('resultCount', { n: items.length });
      out.append(h('ul', { class: 'list' }, items.map(matterCard)));
    } catch (err) {
      status.textContent = '';
      out.append(errorBox(err));
    } finally {
      btn.disabled = false;
      out.querySelector('h2').focus();
    }
  });

  wait.replaceWith(...[s.description ? h('p', null, localised(s, 'description')) : null, h('p', { class: 'hint' }, t('scenarioIntro')), form, out].filter(Boolean));
}
