// Strings of the personal and enterprise page on the home screen (我的主页) and the pin button
// of a guide. Loaded with the page's code only, for people who are logged in.
import { extend } from './i18n.js';

extend({
  zh: {
    pgMine: '我的主页', pgFor: '{name}的主页', pgLoading: '正在读取您的主页…',
    pgTileApps: '办理中', pgTileDue: '近期截止', pgTileLic: '即将到期证照', pgTileInbox: '未读消息',
    pgDeadlines: '近期截止', pgNoDeadlines: '60 天内没有需要办理的截止事项。',
    pgDueIn: '还剩 {n} 天', pgDueToday: '今天截止', pgOpensOn: '{date} 起可办', pgDo: '去办理',
    pgApps: '办理中的申请', pgNoApps: '没有正在办理的申请。', pgAllApps: '全部办件',
    pgTurnApplicant: '轮到您：请提交或补正', pgTurnDept: '等待部门办理', pgDue: '期限 {date}',
    pgLicences: '我的证照', pgNoLicences: '证照夹里还没有电子证照。', pgExpiring: '即将到期',
    pgExpired: '已过期', pgExpires: '有效期至 {date}', pgRenew: '去续办', pgAllLic: '证照夹',
    pgRecs: '为您推荐', pgNoRecs: '暂时没有推荐。', pgDismiss: '不相关',
    pgDismissed: '已不再推荐“{name}”。',
    pgPinned: '我的收藏', pgNoPinned: '在办事指南里点“收藏”，常办的事项就会出现在这里。',
    pgInbox: '消息', pgUnread: '{n} 条未读', pgNoInbox: '没有消息。', pgNoInboxAct: '代他人办事时不显示对方的消息。',
    pgNew: '未读', pgStaff: '企业人员', pgYou: '（您）', pgUntil: '至 {date}',
    pinned: '已收藏到我的主页。', unpinned: '已取消收藏。',
    pinFull: '最多收藏 20 个事项，请先取消一些。',
  },
  en: {
    pgMine: 'My page', pgFor: 'Page of {name}', pgLoading: 'Loading your page…',
    pgTileApps: 'In progress', pgTileDue: 'Due soon', pgTileLic: 'Expiring', pgTileInbox: 'Unread',
    pgDeadlines: 'Due soon', pgNoDeadlines: 'Nothing falls due in the next 60 days.',
    pgDueIn: '{n} days left', pgDueIn_one: '1 day left', pgDueToday: 'Due today', pgOpensOn: 'From {date}', pgDo: 'Do it',
    pgApps: 'Applications in progress', pgNoApps: 'No application in progress.', pgAllApps: 'All applications',
    pgTurnApplicant: 'Your turn: submit or correct it', pgTurnDept: 'With the department', pgDue: 'Due {date}',
    pgLicences: 'My licences', pgNoLicences: 'No e-licence in your wallet yet.', pgExpiring: 'Expiring soon',
    pgExpired: 'Expired', pgExpires: 'Valid until {date}', pgRenew: 'Renew', pgAllLic: 'Wallet',
    pgRecs: 'Suggested for you', pgNoRecs: 'No suggestions for now.', pgDismiss: 'Not relevant',
    pgDismissed: '“{name}” will not be suggested again.',
    pgPinned: 'Pinned services', pgNoPinned: 'Tap “Pin” on a service guide to keep it here.',
    pgInbox: 'Messages', pgUnread: '{n} unread', pgNoInbox: 'No messages.', pgNoInboxAct: 'Messages are not shown when acting for someone else.',
    pgNew: 'Unread', pgStaff: 'Staff', pgYou: ' (you)', pgUntil: 'until {date}',
    pinned: 'Pinned to my page.', unpinned: 'Unpinned.',
    pinFull: 'At most 20 services can be pinned; unpin some first.',
  },
});
