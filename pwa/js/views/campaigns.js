// 推送活动 (#/officer/campaigns, officers): the department's campaigns, a new one (topic, an
// approved template and its parameters — never free text — and the segment's fields), and one
// campaign (#/officer/campaigns/<id>): 试算人数 (the dry run's count; "没有匹配的对象" for nobody),
// 审批通过 by a second officer (never the author: the button is not offered and the API's 403 is
// shown), 取消活动, and the report with the per-channel numbers reconciling to the targeted.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { choices, errorsFrom, field, onSubmit, showErrors } from '../forms.js';
import '../intake-strings.js';
import { ruleText } from '../notify-strings.js';
import { authed, loggedIn, profile } from '../session.js';
import { confirmStep, errorBox, fact, heading, loading, pagedList } from '../ui.js';
import { loginPrompt } from './me.js';

const TOPICS = ['hot_business', 'hot_tax', 'hot_quality', 'hot_housing_fund', 'hot_social_security', 'announcement', 'deadline'];
// Each approved campaign template, the topics it may carry and the parameters an officer gives
// (the verify code is filled per message by the sender).
const TEMPLATES = {
  announcement: { topics: TOPICS.filter((x) => x !== 'deadline'), params: ['title'] },
  deadline_reminder: { topics: TOPICS.filter((x) => x !== 'announcement'), params: ['item', 'date'] },
};
const COUNTIES = { 441402: '梅江区', 441403: '梅县区', 441422: '大埔县', 441423: '丰顺县', 441424: '五华县', 441426: '平远县', 441427: '蕉岭县', 441481: '兴宁市' };
const SIZES = ['micro', 'small', 'medium', 'large'];
const base = '/officer/campaigns';

async function gate(el, here) {
  if (!loggedIn()) { el.append(loginPrompt(here)); return null; }
  try {
    const me = await profile();
    if ((me.roles || []).includes('officer')) return me;
    el.append(h('p', { class: 'box' }, t('officerOnly')));
  } catch (err) {
    if (err.code !== 'login_required') el.append(errorBox(err));
  }
  return null;
}

function select(name, label, options, value) {
  const id = `cp-${name}`;
  return h('div', { class: 'field', 'data-field': name, 'data-label': label },
    h('label', { for: id }, label),
    h('select', { id, name }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

const stateTag = (s) => h('span', { class: `tag cs-${s}` }, t(`cs_${s}`));

export async function campaigns(el) {
  el.append(heading(t('cpTitle')));
  if (!(await gate(el, base))) return;
  el.append(h('p', null, h('a', { href: '#/officer' }, t('officerTitle'))),
    h('h2', null, t('cpNew')), createForm(),
    h('h2', null, t('cpList')));
  const list = pagedList({
    fetchPage: (cursor) => authed(base, { params: { limit: 20, cursor } }),
    renderItem: (c) => h('li', { class: 'card' },
      h('a', { class: 'title', href: `#${base}/${c.id}` }, c.name),
      h('p', { class: 'meta' }, stateTag(c.state), ' ', t(`tp_${c.topic}`), ' · ', (c.created || '').slice(0, 10))),
    countText: (n) => t('cpCount', { n }),
    emptyText: t('cpNone'),
  });
  el.append(list);
  await list.ready;
}

function createForm() {
  const name = field({ name: 'name', label: t('cpName'), help: t('cpNameHelp'), maxlength: 40, required: true, autocomplete: 'off' });
  const template = select('template', t('cpTemplate'), Object.keys(TEMPLATES).map((k) => [k, t(`tpl_${k}`)]), 'announcement');
  const topic = select('topic', t('cpTopic'), [], null);
  const params = h('div', { id: 'cp-params' });
  const audience = choices({ name: 'audience', legend: t('cpAudience'), items: ['person', 'enterprise'].map((a) => ({ value: a, label: t(`aud_${a}`), checked: a === 'person' })) });
  const county = select('segment.county', t('cpCounty'), [['', t('cpAllCounties')], ...Object.entries(COUNTIES)], '');
  const ageMin = field({ name: 'age_min', label: t('cpAgeMin'), type: 'number', min: 0, max: 120, inputmode: 'numeric' });
  const ageMax = field({ name: 'age_max', label: t('cpAgeMax'), type: 'number', min: 0, max: 120, inputmode: 'numeric' });
  const ages = h('div', { class: 'pair', 'data-field': 'segment.age_band', 'data-label': t('cpAgeMin') }, ageMin, ageMax);
  const size = select('segment.size', t('cpSize'), [['', t('cpAnySize')], ...SIZES.map((s) => [s, t(`sz_${s}`)])], '');
  const industry = field({ name: 'segment.industry', label: t('cpIndustry'), maxlength: 20, autocomplete: 'off' });
  const firms = h('div', { hidden: true }, size, industry);
  const urgentId = 'cp-urgent';
  const urgent = h('div', { class: 'opt' }, h('input', { type: 'checkbox', id: urgentId, name: 'urgent' }), h('label', { for: urgentId }, t('cpUrgent')));
  const sendAt = field({ name: 'send_at', label: t('cpSendAt'), type: 'datetime-local' });
  const tplSel = template.querySelector('select');
  const topicSel = topic.querySelector('select');
  const drawTemplate = () => {
    const tpl = TEMPLATES[tplSel.value];
    const was = topicSel.value;
    topicSel.replaceChildren(...tpl.topics.map((x) => h('option', { value: x, selected: x === was }, t(`tp_${x}`))));
    params.replaceChildren(...tpl.params.map((p) => field({ name: `params.${p}`, label: t(`pm_${p}`), maxlength: 20, required: true, autocomplete: 'off' })));
  };
  tplSel.addEventListener('change', drawTemplate);
  drawTemplate();
  audience.addEventListener('change', () => {
    const firm = audience.querySelector('input:checked').value === 'enterprise';
    firms.hidden = !firm;
    ages.hidden = firm;
  });
  const form = h('form', { class: 'account-form', id: 'cp-form', novalidate: true },
    name, template, topic, params, audience, county, ages, firms, urgent, sendAt,
    h('button', { type: 'submit' }, t('cpCreate')));
  onSubmit(form, async () => {
    const val = (box) => box.querySelector('input, select').value.trim();
    const aud = audience.querySelector('input:checked').value;
    const segment = { audience: aud };
    if (val(county)) segment.county = val(county);
    if (aud === 'person' && (val(ageMin) || val(ageMax))) segment.age_band = [Number(val(ageMin) || 0), Number(val(ageMax) || 120)];
    if (aud === 'enterprise' && val(size)) segment.size = val(size);
    if (aud === 'enterprise' && val(industry)) segment.industry = val(industry);
    const body = {
      name: val(name), topic: topicSel.value, template: tplSel.value, segment,
      params: Object.fromEntries([...params.querySelectorAll('input')].map((i) => [i.name.slice(7), i.value.trim()])),
      urgent: urgent.querySelector('input').checked,
    };
    if (val(sendAt)) body.send_at = `${val(sendAt)}:00+08:00`; // entered in Beijing time
    try {
      const made = await authed(base, { body });
      location.hash = `#${base}/${made.id}?created=1`;
    } catch (err) {
      showErrors(form, errorsFrom(err));
    }
  });
  return form;
}

export async function campaign(el, { args: [id], query }) {
  el.append(heading(t('cpTitle')));
  const me = await gate(el, `${base}/${id}`);
  if (!me) return;
  const slot = h('div', null, loading());
  el.append(slot);
  const path = `${base}/${encodeURIComponent(id)}`;
  async function load(notice) {
    try {
      draw(slot, await authed(path), me, notice, load);
    } catch (err) {
      if (err.code !== 'login_required') slot.replaceChildren(errorBox(err, () => load()));
    }
  }
  await load(query.get('created') ? t('cpCreated') : null);
}

function draw(slot, c, me, notice, reload) {
  const path = `${base}/${encodeURIComponent(c.id)}`;
  const status = h('p', { class: 'status', id: 'cp-status', role: 'status' }, notice || '');
  const dry = h('div', { id: 'cp-dry' });
  const report = h('div', { id: 'cp-report' });
  const actions = h('p', { class: 'actions', id: 'cp-actions' });
  const button = (key, cls, fn) => {
    const b = h('button', { type: 'button', class: cls, id: `cp-${key}` }, t(`cp${key[0].toUpperCase()}${key.slice(1)}`));
    b.addEventListener('click', () => fn(b));
    actions.append(b);
    return b;
  };
  const draft = c.state === 'draft';
  const live = !['done', 'cancelled'].includes(c.state);
  button('dryRun', 'secondary', async (b) => {
    b.disabled = true;
    try {
      const got = await authed(`${path}/dry-run`, { method: 'POST' });
      dry.replaceChildren(got.nobody || !got.count
        ? h('p', { class: 'box warn', id: 'cp-nobody' }, t('cpNobody'))
        : h('div', { class: 'box' }, h('p', { id: 'cp-count' }, h('strong', null, t('cpDryCount', { n: got.count }))),
          h('dl', { class: 'facts' }, fact(t('cpByCounty'), Object.entries(got.by_county || {}).map(([k, n]) => `${COUNTIES[k] || k} ${n}`).join('，')),
            fact(t('cpSample'), (got.sample || []).map((s) => s.party).join('，')))));
    } catch (err) {
      dry.replaceChildren(errorBox(err));
    } finally { b.disabled = false; }
  });
  if (draft && c.may_approve) {
    button('approve', '', async (b) => {
      b.disabled = true;
      try {
        await authed(`${path}/approve`, { method: 'POST' });
        await reload(t('cpApproved'));
      } catch (err) {
        b.disabled = false;
        status.textContent = err.status === 403 ? t('cpAuthorNo') : errorsFrom(err)[0].text;
      }
    });
  }
  if (live) {
    const cancel = button('cancel', 'secondary', () => confirmStep({
      question: t('cpCancelAsk', { name: c.name }), hide: actions, trigger: cancel,
      yes: async () => { await authed(`${path}/cancel`, { method: 'POST' }); await reload(t('cpCancelled')); },
    }));
  }
  const who = (sub) => (!sub ? '—' : sub === me.id ? t('cpYou') : t('cpOther'));
  slot.replaceChildren(...[
    h('p', null, h('a', { href: `#${base}` }, t('cpBack'))),
    h('h2', { id: 'cp-name' }, c.name),
    h('dl', { class: 'facts' },
      fact(t('cpState'), stateTag(c.state)), fact(t('cpTopic'), t(`tp_${c.topic}`)),
      fact(t('cpTemplate'), t(`tpl_${c.template}`) === `tpl_${c.template}` ? c.template : t(`tpl_${c.template}`)),
      fact(t('cpRule'), ruleText(c.rule)), fact(t('cpAuthor'), who(c.author)), fact(t('cpApprover'), who(c.approver))),
    draft && !c.may_approve ? h('p', { class: 'box', id: 'cp-wait' }, t('cpNeedsOther')) : null,
    status, actions, dry,
    h('h2', null, t('cpReport')), report].filter(Boolean));
  showReport(report, path);
}

async function showReport(box, path) {
  const refresh = h('button', { type: 'button', class: 'secondary', id: 'cp-refresh' }, t('cpRefresh'));
  refresh.addEventListener('click', () => showReport(box, path));
  try {
    const r = await authed(`${path}/report`);
    const d = r.delivered || {};
    box.replaceChildren(
      h('dl', { class: 'facts report' },
        fact(t('cpTargeted'), String(r.targeted)), fact(t('cpQueued'), String(r.queued)),
        fact(t('cpDelivered'), t('cpDeliveredBy', { n: d.recipients ?? 0, i: d.inbox ?? 0, p: d.push ?? 0, s: d.sms ?? 0 })),
        fact(t('cpDeferred'), String(r.deferred)), fact(t('cpFailed'), String(r.failed)),
        fact(t('cpCancelledN'), String(r.cancelled ?? 0)), fact(t('cpPending'), String(r.pending ?? 0)),
        fact(t('cpOpened'), String(r.opened)), fact(t('cpClicked'), String(r.clicked))),
      h('p', { class: 'meta', id: 'cp-sum' }, t('cpReconciled', { t: r.targeted, d: d.recipients ?? 0, f: r.deferred, x: r.failed, c: r.cancelled ?? 0, p: r.pending ?? 0 })),
      refresh);
  } catch (err) {
    box.replaceChildren(errorBox(err, () => showReport(box, path)));
  }
}
