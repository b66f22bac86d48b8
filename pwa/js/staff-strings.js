// Strings of the materials' malware scan (applicants and officers see it), the workbench's viewer
// and accept note, the catalogue screen and the staff tabs. Loaded with the account code, not the
// first page.
import { extend } from './i18n.js';

extend({
  zh: {
    scan_pending: '安全检查中', scan_clean: '已通过安全检查', scan_infected: '发现病毒，不能打开', scan_failed: '安全检查失败',
    scanNote_pending: '文件正在进行病毒扫描，完成前不能打开。', scanNote_failed: '暂时无法完成病毒扫描，系统会自动重试。',
    scanNote_infected: '文件未通过病毒扫描，不能打开，也不能受理；请退回补正，让申请人重新上传。',
    matOpen: '查看', matOpenLabel: '查看材料：{name}（将记录查看日志）', matClose: '关闭预览',
    matViewTitle: '材料预览：{name}', matViewNote: '链接 {n} 秒内有效，仅供本次查看。', matViewNewTab: '在新窗口打开',
    matViewConflict: '这份材料现在不能打开：{status}。', matInfected: '“{name}”的文件未通过病毒扫描，请重新上传。',
    noteLabel: '备注', noteHelp: '选填，将显示在办理过程中',
    catalogueNav: '目录', catalogueTitle: '事项目录管理', catalogueOnly: '只有目录管理员可以使用这个页面。',
    catVersion: '已发布版本', catPublishedAt: '发布时间', catDraftRev: '草稿修订号', catPublishedRev: '已发布的修订号',
    catDirty: '有尚未发布的修改。', catClean: '草稿与已发布的目录一致。', catPublish: '发布目录', catQueued: '已提交发布，稍后生效。',
    catNever: '尚未发布', svNav: '监督',
  },
  en: {
    scan_pending: 'Being scanned', scan_clean: 'Scanned: clean', scan_infected: 'Virus found: cannot be opened', scan_failed: 'Scan failed',
    scanNote_pending: 'The file is being scanned for viruses; it opens once the scan is done.', scanNote_failed: 'The virus scan could not finish; it is retried automatically.',
    scanNote_infected: 'The file failed the virus scan: it cannot be opened or accepted. Return the application so the applicant uploads it again.',
    matOpen: 'View', matOpenLabel: 'View {name} (the view is logged)', matClose: 'Close preview',
    matViewTitle: 'Document: {name}', matViewNote: 'The link works for {n} seconds, for this view only.', matViewNewTab: 'Open in a new window',
    matViewConflict: 'This document cannot be opened now: {status}.', matInfected: 'The file for “{name}” failed the virus scan: upload it again.',
    noteLabel: 'Note', noteHelp: 'Optional; shown in the history',
    catalogueNav: 'Catalogue', catalogueTitle: 'Service catalogue', catalogueOnly: 'Only catalogue editors can use this page.',
    catVersion: 'Published version', catPublishedAt: 'Published', catDraftRev: 'Draft revision', catPublishedRev: 'Published revision',
    catDirty: 'There are changes not published yet.', catClean: 'The drafts and the published catalogue are the same.', catPublish: 'Publish the catalogue', catQueued: 'Publication queued; it takes effect shortly.',
    catNever: 'Not published yet', svNav: 'Oversight',
  },
});
