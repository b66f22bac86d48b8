// 好差评 on the applicant's application screen (views/applications.js): once the application is
// completed, the national five levels (非常满意 … 非常不满意), the tags of the chosen level and a
// comment with a character counter; once rated, the rating and the department's call-back.
// Errors of a 422 show under their fields; rating twice is the API's 409, shown as the rating.
import { h } from '../dom.js';
import { clearErrors, counted, errorsFrom, onSubmit, showErrors } from '../forms.js';
import { t } from '../i18n.js';
import '../rating-strings.js';
import { authed } from '../session.js';
import { errorBox, loading } from '../ui.js';

const COMMENT_MAX = 500;
const GOOD = ['efficient', 'one_visit', 'courteous', 'clear_guide', 'few_materials', 'easy_online'];
const FAIR = ['slow', 'long_wait', 'guide_unclear', 'system_clunky'];
const BAD = ['overdue', 'materials_outside_guide', 'conditions_outside_guide', 'repeated_visits',
  'attitude', 'not_told_at_once', 'guide_unclear', 'system_clunky'];
const TAGS = { 5: GOOD, 4: GOOD, 3: FAIR, 2: BAD, 1: BAD }; // as the API's ratings_model.TAGS
const COMPLETED = new Set(['approved', 'refused']);

function shown(r) {
  const cb = r.callback;
  return h('div', { class: 'rated', id: 'rt-mine' },
    h('h3', null, t('rtMine')),
    h('p', null, h('span', { class: `tag rt-${r.level}` }, t(`rtLevel${r.level}`)), ' ',
      h('span', { class: 'meta' }, t('rtOn', { date: (r.rated_at || '').slice(0, 10) }))),
    r.tags?.length ? h('p', { class: 'meta' }, r.tags.map((x) => t(`rtag_${x}`)).join('、')) : null,
    r.comment ? h('p', { class: 'sub' }, r.comment) : null,
    cb ? h('div', { class: 'answer', id: 'rt-callback' },
      h('p', { class: 'meta' }, t('rtCallback'), ' · ', t(cb.rectified ? 'rtRectified' : 'rtRectifying')),
      h('p', null, cb.text))
      : r.state === 'rectifying' ? h('p', { class: 'hint' }, t('rtAwaiting')) : null);
}

function form(a, done) {
  const levels = h('fieldset', { class: 'field choices', 'data-field': 'level', 'data-label': t('rtLevel'), id: 'rt-level' },
    h('legend', null, t('rtLevel')),
    h('div', { class: 'opts' }, [5, 4, 3, 2, 1].map((lv) => h('div', { class: 'opt' },
      h('input', { type: 'radio', name: 'level', id: `rt-l${lv}`, value: String(lv), required: true }),
      h('label', { for: `rt-l${lv}` }, t(`rtLevel${lv}`))))));
  const tagList = h('div', { class: 'opts' });
  const tags = h('fieldset', { class: 'field choices', 'data-field': 'tags', 'data-label': t('rtTags'), id: 'rt-tags', hidden: true },
    h('legend', null, t('rtTags')), tagList);
  const text = h('textarea', { id: 'rt-comment', name: 'comment', rows: 4, 'aria-describedby': 'rt-comment-help' });
  const comment = counted(h('div', { class: 'field', id: 'rt-comment-box', 'data-field': 'comment', 'data-label': t('rtComment') },
    h('label', { for: 'rt-comment' }, t('rtComment')),
    h('p', { class: 'help', id: 'rt-comment-help' }, t('rtCommentHelp', { n: COMMENT_MAX })), text), COMMENT_MAX);
  const el = h('form', { class: 'rt-form', novalidate: true, 'aria-labelledby': 'ap-rt-h' },
    levels, tags, comment, h('button', { type: 'submit' }, t('rtSend')));
  const level = () => Number(el.querySelector('input[name="level"]:checked')?.value || 0);
  levels.addEventListener('change', () => {
    const kept = new Set([...tagList.querySelectorAll('input:checked')].map((i) => i.value));
    tagList.replaceChildren(...(TAGS[level()] || []).map((tag) => h('div', { class: 'opt' },
      h('input', { type: 'checkbox', name: 'tags', id: `rt-t-${tag}`, value: tag, checked: kept.has(tag) }),
      h('label', { for: `rt-t-${tag}` }, t(`rtag_${tag}`)))));
    tags.hidden = !level();
  });
  onSubmit(el, async () => {
    if (!level()) { showErrors(el, [{ field: 'level', text: t('choose', { label: t('rtLevel') }) }]); return; }
    clearErrors(el);
    const body = { level: level(), tags: [...tagList.querySelectorAll('input:checked')].map((i) => i.value), comment: text.value.trim() };
    let r;
    try {
      r = await authed(`/applications/${encodeURIComponent(a.id)}/rating`, { body });
    } catch (err) {
      if (err.status === 409 && err.details?.rated) { done(null); return; }
      showErrors(el, errorsFrom(err));
      return;
    }
    done(r);
  });
  return el;
}

/** The rating section of a completed application (null before completion). */
export function ratingBox(a) {
  if (!COMPLETED.has(a.status)) return null;
  const slot = h('div', null, loading());
  const box = h('section', { class: 'rating box', id: 'ap-rating', 'aria-labelledby': 'ap-rt-h' },
    h('h2', { id: 'ap-rt-h' }, t('rtTitle')), slot);
  const url = `/applications/${encodeURIComponent(a.id)}/rating`;
  async function load(note) {
    try {
      const r = await authed(url);
      const msg = note ? h('p', { class: 'notice', role: 'status', id: 'rt-sent', tabindex: '-1' }, note(r)) : null;
      slot.replaceChildren(...[msg, shown(r)].filter(Boolean));
      msg?.focus();
    } catch (err) {
      if (err.status !== 404) { slot.replaceChildren(errorBox(err, () => load())); return; }
      slot.replaceChildren(h('p', { class: 'hint' }, t('rtIntro')), form(a, () => load((r) => (
        r.state === 'rectifying' ? t('rtSentBad', { due: r.rectification_due || '' }) : t('rtSent')))));
    }
  }
  load();
  return box;
}
