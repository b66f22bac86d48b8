// 事项目录管理 (catalogue editors): where a catalogue admin lands after logging in. Shows the
// published version against the drafts and queues a publication (the worker builds the snapshot).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { when } from '../intake.js';
import { authed, loggedIn, profile } from '../session.js';
import '../staff-strings.js';
import { errorBox, fact, heading, loading } from '../ui.js';
import { loginPrompt } from './me.js';

export async function catalogue(el) {
  el.append(heading(t('catalogueTitle')));
  if (!loggedIn()) { el.append(loginPrompt('/catalogue')); return; }
  const slot = h('div', null, loading());
  el.append(slot);
  try {
    const me = await profile();
    if (!(me.roles || []).includes('catalogue_admin')) { slot.replaceChildren(h('p', { class: 'box' }, t('catalogueOnly'))); return; }
  } catch (err) {
    if (err.code !== 'login_required') slot.replaceChildren(errorBox(err));
    return;
  }

  async function load(notice) {
    let s;
    try {
      s = await authed('/officer/catalogue');
    } catch (err) {
      if (err.code !== 'login_required') slot.replaceChildren(errorBox(err));
      return;
    }
    const publish = h('button', { type: 'button', id: 'cat-publish' }, t('catPublish'));
    publish.addEventListener('click', async () => {
      publish.disabled = true;
      try {
        await authed('/officer/catalogue/publish', { method: 'POST' });
        await load(t('catQueued'));
      } catch (err) {
        publish.disabled = false;
        publish.after(errorBox(err));
      }
    });
    const dirty = s.draft_rev !== s.published_rev;
    slot.replaceChildren(...[
      notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
      h('dl', { class: 'facts' }, fact(t('catVersion'), String(s.version)),
        fact(t('catPublishedAt'), s.published_at ? when(s.published_at) : t('catNever')),
        fact(t('catDraftRev'), String(s.draft_rev)), fact(t('catPublishedRev'), String(s.published_rev))),
      h('p', { class: 'status' }, t(dirty ? 'catDirty' : 'catClean')),
      h('div', { class: 'actions' }, publish),
    ].filter(Boolean));
  }
  await load();
}
