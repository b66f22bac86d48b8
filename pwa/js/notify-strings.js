// Strings of the notification centre: 消息设置 (views/notify.js), 我的消息记录 (views/ledger.js),
// 验证消息 (views/verify-message.js) and the officers' 推送活动 (views/campaigns.js).
import { extend, t } from './i18n.js';

extend({
  zh: {
    nfTitle: '消息设置', nfSub: '订阅哪些消息、怎样收到、什么时候不打扰',
    nfDevice: '本机通知', nfDeviceOn: '本机已开启通知。', nfDeviceOff: '本机没有开启通知。',
    nfEnable: '开启通知', nfDisable: '关闭本机通知', nfEnabled: '已开启通知。', nfDisabled: '已关闭本机通知。',
    nfWhy: '点“开启通知”后，浏览器会问您是否允许。通知只说“您有一条新消息”，不显示姓名或号码。',
    nfDenied: '您在浏览器里拒绝了通知，所以本机收不到推送。要改，请在浏览器的网站设置里允许本网站的通知，然后回到这里点“开启通知”。短信和站内消息照常送达。',
    nfDismissed: '您没有允许通知。以后想开启，再点“开启通知”即可。',
    nfNoPush: '这个浏览器不能接收推送通知。别担心：重要的消息照常用短信和站内“消息”送达。',
    nfPushFailed: '没能开启通知：{why}短信和站内消息照常送达。',
    nfDevices: '已开启通知的设备', nfNoDevices: '还没有设备开启通知。', nfRemove: '移除',
    nfRemoveOf: '移除设备 {host}', nfRemoved: '已移除该设备。', nfSince: '开启于 {at}', nfThis: '（本机）',
    nfTopics: '订阅的消息', nfTopicsHelp: '站内“消息”总会收到；下面选择还要不要推送或短信。',
    nfSubscribed: '订阅', nfFixed: '依法必须送达，不能关闭', nfChannels: '送达方式',
    nfInbox: '站内消息（总是）', ch_push: '推送通知', ch_sms: '短信', ch_inbox: '站内消息',
    tp_application: '我的办件进度', tp_licence: '证照到期提醒', tp_deadline: '办事截止提醒',
    tp_hot_business: '工商', tp_hot_tax: '税务', tp_hot_quality: '质监', tp_hot_housing_fund: '公积金',
    tp_hot_social_security: '社保', tp_announcement: '政府公告', tp_legal: '法定通知', tp_security: '安全验证码',
    nfHot: '热点服务（可选）', nfOwn: '与我有关', nfAlways: '总会送达',
    nfQuiet: '免打扰时段', nfQuietOn: '开启免打扰（北京时间）', nfQuietStart: '开始', nfQuietEnd: '结束',
    nfQuietHelp: '免打扰时段内的消息推迟到结束后再发，不会丢。验证码和法定通知不受限制。',
    nfCaps: '每天、每周的推送上限', nfPerDay: '每天最多', nfPerWeek: '每周最多',
    nfCapsHelp: '超过的消息推迟到第二天（或下周）再发，不会丢。',
    nfDigest: '每日汇总', nfDigestOn: '把可选的消息合成每天一条', nfDigestAt: '汇总时间',
    nfSave: '保存设置', nfSaved: '设置已保存。',
    nfEnt: '{name}的消息', nfEntHelp: '您代表这家企业办事时，选择企业的哪些消息也发给您。',
    nfOwnOnly: '消息设置只能由本人修改。请先在顶部切换回您自己。',
    nfLedgerLink: '我的消息记录', nfLedgerSub: '政府发给您的每一条消息',
    nfVerifyLink: '验证消息', nfVerifySub: '收到可疑短信？输入核验码查真假',
    nfLink: '消息设置', nfLinkSub: '订阅、免打扰、每日上限',

    lgTitle: '我的消息记录', lgIntro: '政府通过任何方式（站内消息、推送、短信）发给您的每一条消息都在这里。',
    lgCount: '已显示 {n} 条', lgNone: '还没有发给您的消息。', lgWhy: '为什么收到',
    lgCampaign: '来自推送活动“{name}”。', lgRule: '匹配的条件：{rule}', lgTrigger: '因为{what}而自动发送。',
    tr_application_status: '您的办件状态有变化', tr_licence: '您的证照即将到期', tr_deadline: '办事截止日期临近',
    tr_question_answer: '部门答复了企业的提问', tr_delegation: '有人授权您代办', tr_account_security: '账号安全',
    lgCode: '核验码', lgVerify: '验证', lgOffline: '消息记录需要联网才能查看。为保护您的隐私，记录不会保存在手机上。',
    st_delivered: '已送达', st_deferred: '已推迟', st_failed: '未送达', st_fallback_sms: '改用短信送达',
    st_inbox_only: '仅站内消息', st_cancelled: '已取消', st_absent: '未开启通知', st_gone: '设备已失效',
    st_sent: '已发送', st_digest: '在每日汇总中',

    vmTitle: '验证消息', vmIntro: '每条政府消息都带有 8 位核验码。输入它，就能知道这条消息是不是梅州市政府发的。',
    vmNoLinks: '政府消息不含登录链接，也不会让您在短信里输入密码或验证码。含有登录链接的“政府消息”都是假的。',
    vmCode: '核验码', vmCodeHelp: '8 位字母和数字，在短信或消息的末尾', vmCheck: '查验',
    vmGenuine: '这是真实的政府消息。', vmSentAt: '发送时间', vmChannel: '发送方式', vmMsgTitle: '标题', vmSender: '发送单位',
    vmFake: '查不到这个核验码。这条消息可能是假的：不要点其中的链接，不要回复，也不要转账。核验码保存 90 天。',
    vmBad: '核验码是 8 位字母和数字。', vmFooter: '验证消息',

    cpNav: '推送活动', cpTitle: '推送活动', cpNew: '新建推送活动', cpList: '本部门的推送活动',
    cpNone: '还没有推送活动。', cpCount: '已显示 {n} 个', cpName: '活动名称', cpNameHelp: '1 至 40 个字，对象看不到',
    cpTopic: '主题', cpTemplate: '已审核的消息模板', cpTemplateHelp: '消息文字只能从已审核的模板中选择',
    tpl_announcement: '政府公告：标题', tpl_deadline_reminder: '截止提醒：事项和日期',
    pm_title: '公告标题', pm_item: '事项', pm_date: '日期（YYYY-MM-DD）',
    cpAudience: '对象', aud_person: '个人', aud_enterprise: '企业', cpCounty: '县区（可不填）', cpAllCounties: '全市',
    cpAgeMin: '年龄从', cpAgeMax: '年龄到', cpSize: '企业规模（可不填）', cpAnySize: '不限',
    sz_micro: '微型', sz_small: '小型', sz_medium: '中型', sz_large: '大型',
    cpIndustry: '行业（可不填）', cpUrgent: '紧急（没有推送时改用短信）', cpSendAt: '定时发送（可不填）',
    cpCreate: '创建草稿', cpCreated: '已创建草稿，请试算人数并请另一位工作人员审批。',
    cpDryRun: '试算人数', cpDryCount: '将发送给 {n} 个对象。', cpNobody: '没有匹配的对象：该活动不会发送给任何人。',
    cpByCounty: '按县区', cpSample: '示例（已遮盖）',
    cpApprove: '审批通过', cpApproved: '已审批。', cpAuthorNo: '您是这个活动的创建人，不能审批自己的活动，请另一位工作人员审批。',
    cpNeedsOther: '等待另一位工作人员审批（创建人不能审批）。',
    cpCancel: '取消活动', cpCancelAsk: '确定取消“{name}”吗？已排队的消息将不再发送。', cpCancelled: '已取消。',
    cpReport: '发送报告', cpRefresh: '刷新报告', cpTargeted: '目标', cpQueued: '已排队', cpDelivered: '已送达',
    cpDeliveredBy: '{n}（站内消息 {i} · 推送通知 {p} · 短信 {s}）', cpDeferred: '已推迟', cpFailed: '失败', cpCancelledN: '已取消', cpPending: '处理中', cpOpened: '已打开', cpClicked: '已点击',
    cpReconciled: '目标 {t} = 已送达 {d} + 已推迟 {f} + 失败 {x} + 已取消 {c} + 处理中 {p}',
    cpState: '状态', cpAuthor: '创建人', cpApprover: '审批人', cpRule: '条件', cpBack: '返回推送活动',
    cs_draft: '草稿', cs_approved: '已审批', cs_scheduled: '已定时', cs_sending: '发送中', cs_done: '已完成', cs_cancelled: '已取消',
    cpYou: '您', cpOther: '其他工作人员',
  },
  en: {
    nfTitle: 'Message settings', nfSub: 'What you follow, how it reaches you, when not to disturb',
    nfDevice: 'Notifications on this device', nfDeviceOn: 'Notifications are on for this device.', nfDeviceOff: 'Notifications are off for this device.',
    nfEnable: 'Turn on notifications', nfDisable: 'Turn off on this device', nfEnabled: 'Notifications are on.', nfDisabled: 'Notifications are off for this device.',
    nfWhy: 'After you tap “Turn on notifications” the browser asks whether to allow them. A notification only says “You have a new message”: no name, no number.',
    nfDenied: 'You blocked notifications in the browser, so this device gets no push. To change it, allow notifications for this site in the browser’s site settings, then tap “Turn on notifications” here. Text messages and the inbox still work.',
    nfDismissed: 'You did not allow notifications. Tap “Turn on notifications” whenever you want them.',
    nfNoPush: 'This browser cannot receive push notifications. Do not worry: what matters still reaches you by text message and in the inbox.',
    nfPushFailed: 'Notifications could not be turned on: {why} Text messages and the inbox still work.',
    nfDevices: 'Devices with notifications', nfNoDevices: 'No device has notifications on yet.', nfRemove: 'Remove',
    nfRemoveOf: 'Remove device {host}', nfRemoved: 'The device was removed.', nfSince: 'On since {at}', nfThis: ' (this device)',
    nfTopics: 'What you follow', nfTopicsHelp: 'Everything lands in your inbox; choose whether it also comes as a push or a text.',
    nfSubscribed: 'Follow', nfFixed: 'Required by law: cannot be turned off', nfChannels: 'Also by',
    nfInbox: 'Inbox (always)', ch_push: 'Push notification', ch_sms: 'Text message', ch_inbox: 'Inbox',
    tp_application: 'My applications', tp_licence: 'Licence expiry', tp_deadline: 'Deadlines',
    tp_hot_business: 'Business registration', tp_hot_tax: 'Tax', tp_hot_quality: 'Quality supervision', tp_hot_housing_fund: 'Housing fund',
    tp_hot_social_security: 'Social security', tp_announcement: 'Official announcements', tp_legal: 'Legal notices', tp_security: 'Security codes',
    nfHot: 'Popular services (optional)', nfOwn: 'About you', nfAlways: 'Always sent',
    nfQuiet: 'Quiet hours', nfQuietOn: 'Quiet hours on (Beijing time)', nfQuietStart: 'From', nfQuietEnd: 'Until',
    nfQuietHelp: 'Messages in quiet hours wait until they end; none is lost. Codes and legal notices are not held.',
    nfCaps: 'Limits on pushes', nfPerDay: 'Per day', nfPerWeek: 'Per week',
    nfCapsHelp: 'Messages over the limit wait until the next day (or week); none is lost.',
    nfDigest: 'Daily digest', nfDigestOn: 'Put optional messages into one a day', nfDigestAt: 'Digest time',
    nfSave: 'Save settings', nfSaved: 'Settings saved.',
    nfEnt: 'Messages of {name}', nfEntHelp: 'While you act for this company, choose which of its messages also reach you.',
    nfOwnOnly: 'Only you can change your message settings. Switch back to yourself at the top first.',
    nfLedgerLink: 'My message record', nfLedgerSub: 'Every message the city sent you',
    nfVerifyLink: 'Verify a message', nfVerifySub: 'A suspicious text? Check its code',
    nfLink: 'Message settings', nfLinkSub: 'Topics, quiet hours, daily limits',

    lgTitle: 'My message record', lgIntro: 'Every message the city sent you, on any channel (inbox, push, text message), is here.',
    lgCount: '{n} shown', lgNone: 'No message has been sent to you yet.', lgWhy: 'Why did I get this',
    lgCampaign: 'From the campaign “{name}”.', lgRule: 'Matched: {rule}', lgTrigger: 'Sent automatically because {what}.',
    tr_application_status: 'your application changed status', tr_licence: 'your licence expires soon', tr_deadline: 'a deadline is near',
    tr_question_answer: 'a department answered your company’s question', tr_delegation: 'someone authorised you', tr_account_security: 'of your account’s security',
    lgCode: 'Code', lgVerify: 'Verify', lgOffline: 'Your message record needs the network. To protect your privacy, it is never kept on the phone.',
    st_delivered: 'Delivered', st_deferred: 'Deferred', st_failed: 'Not delivered', st_fallback_sms: 'Sent by text instead',
    st_inbox_only: 'Inbox only', st_cancelled: 'Cancelled', st_absent: 'No device with notifications', st_gone: 'Device no longer valid',
    st_sent: 'Sent', st_digest: 'In the daily digest',

    vmTitle: 'Verify a message', vmIntro: 'Every message from the city carries an 8-character code. Enter it to learn whether the message really came from Meizhou’s government.',
    vmNoLinks: 'Government messages contain no login links and never ask for a password or a code in a text. A “government message” with a login link is fake.',
    vmCode: 'Code', vmCodeHelp: '8 letters and digits, at the end of the text or message', vmCheck: 'Check',
    vmGenuine: 'This is a genuine government message.', vmSentAt: 'Sent', vmChannel: 'Channel', vmMsgTitle: 'Title', vmSender: 'Sender',
    vmFake: 'This code is unknown. The message may be fake: do not tap its links, do not reply, do not pay. Codes are kept for 90 days.',
    vmBad: 'A code is 8 letters and digits.', vmFooter: 'Verify a message',

    cpNav: 'Push campaigns', cpTitle: 'Push campaigns', cpNew: 'New campaign', cpList: 'Your department’s campaigns',
    cpNone: 'No campaign yet.', cpCount: '{n} shown', cpName: 'Campaign name', cpNameHelp: '1 to 40 characters; recipients do not see it',
    cpTopic: 'Topic', cpTemplate: 'Approved message template', cpTemplateHelp: 'The words come from an approved template only',
    tpl_announcement: 'Announcement: a title', tpl_deadline_reminder: 'Deadline reminder: item and date',
    pm_title: 'Announcement title', pm_item: 'Item', pm_date: 'Date (YYYY-MM-DD)',
    cpAudience: 'Audience', aud_person: 'People', aud_enterprise: 'Companies', cpCounty: 'County (optional)', cpAllCounties: 'Whole city',
    cpAgeMin: 'Age from', cpAgeMax: 'Age to', cpSize: 'Company size (optional)', cpAnySize: 'Any',
    sz_micro: 'Micro', sz_small: 'Small', sz_medium: 'Medium', sz_large: 'Large',
    cpIndustry: 'Industry (optional)', cpUrgent: 'Urgent (by text when there is no push)', cpSendAt: 'Send at (optional)',
    cpCreate: 'Create draft', cpCreated: 'Draft created: count its audience, then ask a second officer to approve it.',
    cpDryRun: 'Count audience', cpDryCount: 'Would be sent to {n}.', cpNobody: 'No one matches this segment: the campaign would reach nobody.',
    cpByCounty: 'By county', cpSample: 'Sample (masked)',
    cpApprove: 'Approve', cpApproved: 'Approved.', cpAuthorNo: 'You created this campaign and may not approve it yourself: a second officer approves it.',
    cpNeedsOther: 'Waiting for a second officer’s approval (the author may not approve).',
    cpCancel: 'Cancel campaign', cpCancelAsk: 'Cancel “{name}”? Queued messages will not be sent.', cpCancelled: 'Cancelled.',
    cpReport: 'Report', cpRefresh: 'Refresh report', cpTargeted: 'Targeted', cpQueued: 'Queued', cpDelivered: 'Delivered',
    cpDeliveredBy: '{n} (inbox {i} · push {p} · text {s})', cpDeferred: 'Deferred', cpFailed: 'Failed', cpCancelledN: 'Cancelled', cpPending: 'In progress', cpOpened: 'Opened', cpClicked: 'Clicked',
    cpReconciled: 'Targeted {t} = delivered {d} + deferred {f} + failed {x} + cancelled {c} + in progress {p}',
    cpState: 'State', cpAuthor: 'Author', cpApprover: 'Approver', cpRule: 'Segment', cpBack: 'Back to campaigns',
    cs_draft: 'Draft', cs_approved: 'Approved', cs_scheduled: 'Scheduled', cs_sending: 'Sending', cs_done: 'Done', cs_cancelled: 'Cancelled',
    cpYou: 'you', cpOther: 'another officer',
  },
});

extend({
  zh: {
    rl_subscribed: '订阅了“{v}”', rl_audience: '对象：{v}', rl_county: '县区：{v}', rl_age_band: '年龄 {v} 岁',
    rl_industry: '行业：{v}', rl_size: '企业规模：{v}', rl_enterprise_age_days: '成立 {v} 天', rl_holds_licence: '持有证照：{v}',
    rl_applied_for: '办理过事项：{v}', rl_sep: '；', rl_licence_expires: '证照 {v} 到期', rl_between: '{a}–{b}',
    cty_441402: '梅江区', cty_441403: '梅县区', cty_441422: '大埔县', cty_441423: '丰顺县', cty_441424: '五华县',
    cty_441426: '平远县', cty_441427: '蕉岭县', cty_441481: '兴宁市',
  },
  en: {
    rl_subscribed: 'follows “{v}”', rl_audience: 'audience: {v}', rl_county: 'county: {v}', rl_age_band: 'aged {v}',
    rl_industry: 'industry: {v}', rl_size: 'company size: {v}', rl_enterprise_age_days: 'founded {v} days ago', rl_holds_licence: 'holds licence: {v}',
    rl_applied_for: 'applied for: {v}', rl_sep: '; ', rl_licence_expires: 'a licence expiring on {v}', rl_between: '{a}–{b}',
    cty_441402: 'Meijiang District', cty_441403: 'Meixian District', cty_441422: 'Dabu County', cty_441423: 'Fengshun County',
    cty_441424: 'Wuhua County', cty_441426: 'Pingyuan County', cty_441427: 'Jiaoling County', cty_441481: 'Xingning City',
  },
});

/** A campaign's segment rule ("subscribed to hot_tax; audience person; county 441402") in words. */
export function ruleText(rule) {
  const named = (prefix, v) => (t(`${prefix}${v}`) === `${prefix}${v}` ? v : t(`${prefix}${v}`));
  return String(rule || '').split(/;\s*/).filter(Boolean).map((part) => {
    const sub = /^subscribed to (\S+)$/.exec(part);
    if (sub) return t('rl_subscribed', { v: named('tp_', sub[1]) });
    const [key, ...rest] = part.split(' ');
    const v = rest.join(' ');
    if (!v || t(`rl_${key}`) === `rl_${key}`) return part;
    const value = key === 'audience' ? named('aud_', v) : key === 'size' ? named('sz_', v) : v;
    return t(`rl_${key}`, { v: value });
  }).join(t('rl_sep'));
}

/** The segment rules a recipient matched, as the API gives them ([{field, op, value}], the
 * topic first), in the app's language; a rule of a field this version does not know is left out. */
export function matchText(match) {
  const named = (prefix, v) => (t(`${prefix}${v}`) === `${prefix}${v}` ? String(v) : t(`${prefix}${v}`));
  const prefixes = { topic: 'tp_', audience: 'aud_', size: 'sz_', county: 'cty_' };
  return match.map(({ field, op, value } = {}) => {
    const key = field === 'topic' ? 'rl_subscribed' : `rl_${field}`;
    if (t(key) === key) return null;
    const v = op === 'between' && Array.isArray(value) ? t('rl_between', { a: value[0], b: value[1] })
      : prefixes[field] ? named(prefixes[field], value) : String(value ?? '');
    return t(key, { v });
  }).filter(Boolean).join(t('rl_sep'));
}

/** "为什么收到": the campaign and its segment rule, or what triggered the message, in lines. */
export function whyLines(why) {
  const lines = [];
  const what = why?.trigger && (t(`tr_${why.trigger}`) === `tr_${why.trigger}` ? why.trigger : t(`tr_${why.trigger}`));
  if (why?.name) lines.push(t('lgCampaign', { name: why.name }));
  if (Array.isArray(why?.match) && why.match.length) lines.push(t('lgRule', { rule: matchText(why.match) }));
  else if (why?.rule) lines.push(t('lgRule', { rule: ruleText(why.rule) }));
  if (what) lines.push(t('lgTrigger', { what }));
  return lines.length ? lines : [t('lgTrigger', { what: '—' })];
}
