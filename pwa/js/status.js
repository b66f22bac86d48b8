// State names of applications, authorisations and e-licences (the one table, zh and en) and the
// status tag that shows one. Loaded with the screens that show states, not with the first page.
import { h } from './dom.js';
import { extend, has, t } from './i18n.js';

extend({
  zh: {
    state_draft: '草稿', state_submitted: '已提交', state_accepted: '已受理', state_not_accepted: '不予受理',
    state_in_process: '办理中', state_returned: '待补正', state_approved: '已办结（准予）', state_refused: '已办结（不予）',
    state_withdrawn: '已撤回',
    state_pending: '待确认', state_active: '生效中', state_lapsed: '已失效（超过 14 天未确认）',
    state_valid: '有效', state_invalid: '无效（签名不符）', state_expired: '已过期', state_revoked: '已撤销',
  },
  en: {
    state_draft: 'Draft', state_submitted: 'Submitted', state_accepted: 'Accepted', state_not_accepted: 'Not accepted',
    state_in_process: 'In process', state_returned: 'Returned for correction', state_approved: 'Approved', state_refused: 'Refused',
    state_withdrawn: 'Withdrawn',
    state_pending: 'Waiting', state_active: 'Active', state_lapsed: 'Lapsed (not accepted in 14 days)',
    state_valid: 'Valid', state_invalid: 'Invalid (signature mismatch)', state_expired: 'Expired', state_revoked: 'Revoked',
  },
});

/** A state's name; one this table does not know yet reads as the server named it (status_zh), else its code. */
export const stateName = (status, serverName) => (has(`state_${status}`) ? t(`state_${status}`) : serverName || status);

/** The chip of a state. kind ('app', 'grant', 'lic') scopes the colours where kinds differ (an expired grant is not an alarm). */
export const statusTag = (kind, status, serverName) =>
  h('span', { class: `tag ${kind} st-${status}` }, has(`state_${kind}_${status}`) ? t(`state_${kind}_${status}`) : stateName(status, serverName));
