// Strings of the workbench's 企业诉求 screen (企业找政府: officers answer enterprises' questions).
// Loaded with that screen only.
import { extend } from './i18n.js';

extend({
  zh: {
    oqNav: '企业诉求', oqTitle: '企业诉求', oqBackToApps: '办件工作台', oqTabs: '诉求状态',
    oq_open: '待答复', oq_answered: '已答复',
    oqCount: '共 {n} 件', oqEmpty_open: '暂无待答复的企业诉求。', oqEmpty_answered: '暂无已答复的企业诉求。',
    oqDue: '答复期限 {date}', oqDueLabel: '答复期限', oqLeft: '剩余 {n} 个工作日', oqToday: '今天到期', oqLate: '已逾期 {n} 个工作日',
    oqAnsweredLate: '逾期答复', oqAnsweredOnTime: '按期答复',
    oqFrom: '提问企业', oqRole: '提问人身份', oqDept: '受理部门', oqMatter: '相关事项', oqAsked: '提问时间',
    oqStatus: '状态', oqText: '问题内容', oqAnswerTitle: '答复', oqAnsweredAt: '答复时间',
    oqAnswerLabel: '答复内容', oqAnswerHelp: '最多 2000 字；提交后将发送到企业的消息中心，只能答复一次。',
    oqChars: '{n}/{max} 字', oqSend: '提交答复', oqSent: '答复已发送，企业将在消息中心收到。',
    oqAlready: '这个问题已经答复过了。', oqNone: '没有找到这个诉求，或它不属于您的部门。',
    oqMasked: '为保护个人信息，身份证号和手机号已部分隐藏。',
    oqRole_legal_rep: '法定代表人', oqRole_approver: '审批人', oqRole_preparer: '经办人', oqRole_viewer: '查看人',
  },
  en: {
    oqNav: 'Questions', oqTitle: 'Enterprise questions', oqBackToApps: 'Applications workbench', oqTabs: 'Question status',
    oq_open: 'To answer', oq_answered: 'Answered',
    oqCount: '{n} in all', oqEmpty_open: 'No questions waiting for an answer.', oqEmpty_answered: 'No answered questions yet.',
    oqDue: 'Answer by {date}', oqDueLabel: 'Answer by', oqLeft: '{n} working days left', oqToday: 'Due today', oqLate: 'Overdue by {n} working days',
    oqAnsweredLate: 'Answered late', oqAnsweredOnTime: 'Answered on time',
    oqFrom: 'Enterprise', oqRole: 'Asked by', oqDept: 'Department', oqMatter: 'Service', oqAsked: 'Asked',
    oqStatus: 'Status', oqText: 'Question', oqAnswerTitle: 'Answer', oqAnsweredAt: 'Answered',
    oqAnswerLabel: 'Your answer', oqAnswerHelp: 'At most 2000 characters. It goes to the enterprise’s inbox; a question is answered once.',
    oqChars: '{n}/{max} characters', oqSend: 'Send the answer', oqSent: 'Answer sent: the enterprise finds it in its inbox.',
    oqAlready: 'This question has been answered already.', oqNone: 'No such question, or it belongs to another department.',
    oqMasked: 'ID and mobile numbers are partly hidden to protect personal data.',
    oqRole_legal_rep: 'Legal representative', oqRole_approver: 'Approver', oqRole_preparer: 'Preparer', oqRole_viewer: 'Viewer',
  },
});
