// UI strings in Chinese (default) and English, and the current-language switch.

const zh = {
  site: '梅州网上办事大厅', skip: '跳到主要内容', elder: '长辈版', navLabel: '主导航',
  navHome: '首页', navThemes: '主题', navScenarios: '一件事', navPoints: '办事网点', navMe: '我的',
  homeTitle: '您想办什么事？', searchLabel: '用自己的话搜索办事事项', searchBtn: '搜索',
  searchHint: '例如：公积金提取、社保卡、开公司、gjj', hotTitle: '热门服务', moreTitle: '更多服务',
  hot_business: '工商', hot_tax: '税务', hot_quality: '质监', hot_housing_fund: '公积金', hot_social_security: '社保',
  themesTitle: '主题服务', themesSub: '按个人、法人主题分类查找',
  scenariosTitle: '一件事', scenariosSub: '人生大事、企业开办，一次办好',
  pointsTitle: '办事网点', pointsSub: '各县区政务大厅、镇村服务点',
  footer: '梅州网上办事大厅 · 开源项目 · 信息以窗口公示为准',
  footVerify: '收到可疑消息？验证政府消息真假', footReport: '政务服务月度报告',
  popular: '常办事项', searchTitle: '搜索结果', found: '找到 {n} 个事项', shown: '已显示 {shown} / {n} 个',
  noResults: '没有找到相关事项。可以换个说法，或按主题查找。', loadMore: '加载更多', loading: '正在加载…',
  person: '个人办事', enterprise: '法人办事', audienceLabel: '办事对象', matters: '{n} 个事项',
  themeMatters: '事项', back: '返回',
  guide: '办事指南', dept: '办理部门', region: '所属地区', level: '层级', kind: '事项类型',
  depth: '网办程度', visits: '跑动次数', legalDays: '法定办结时限', promisedDays: '承诺办结时限',
  days: '{n} 个工作日', instant: '即办', fees: '收费', free: '不收费', mobile: '手机可办', yes: '可以', no: '不可以',
  materials: '需要准备的材料', noMaterials: '无需提交材料', copies: '{n} 份', optional: '视情况提供',
  elic: '可用“{name}”电子证照代替，不用带纸质件', conditions: '办理条件', process: '办理流程', notes: '办事说明',
  where: '到哪里办', noPoints: '暂无线下办理网点信息，请在网上办理或电话咨询。', call: '打电话', map: '看地图',
  hours: '办公时间', address: '地址', phone: '电话',
  depth_full: '全程网办，不用跑', depth_apply: '网上申请，到窗口核验或领取', depth_onsite: '需要到窗口办理',
  visits_0: '零跑动', visits_1: '最多跑一次', visits_2: '需跑两次及以上',
  level_city: '市级', level_county: '县级', level_town: '镇（街）级', level_village: '村（社区）级',
  kind_licensing: '行政许可', kind_public_service: '公共服务', kind_other: '其他',
  form_original: '原件', form_copy: '复印件', form_electronic: '电子版', form_original_and_copy: '原件和复印件',
  scenarioIntro: '回答下面几个问题，我们帮您列出要办的事项。', getMatters: '查看要办的事项',
  resultTitle: '您需要办理的事项', resultCount: '共 {n} 个事项',
  pointsRegion: '选择县区', allRegions: '全部县区', pointsCount: '共显示 {n} 个网点',
  type_city_hall: '市政务服务中心', type_county_hall: '县（区）政务服务中心', type_town_station: '镇（街）便民服务中心', type_village_point: '村（社区）服务点',
  notFound: '没有找到这个页面', goHome: '回到首页',
  updateReady: '新版本已就绪，点击更新',
  offline: '网络不可用，正在显示已保存的内容', errRequestId: '错误编号：{id}',
  offlineCopy: '离线副本，更新于 {ago}', newerData: '有更新的信息，点击显示', agoNow: '刚刚',
  agoMinutes: '{n} 分钟前', agoHours: '{n} 小时前', agoDays: '{n} 天前',
  err_network: '网络不好，没有连上服务器。请检查网络后再试。',
  err_offline: '现在没有网络，这项内容之前没有打开过，联网后再试。',
  err_404: '没有找到相关内容，可能已经调整或下线。', err_400: '填写的内容有误，请检查后再试。',
  err_429: '访问的人太多了，请稍等一会儿再试。', err_5xx: '服务暂时不可用，请稍后再试。', err_other: '出了点问题，请稍后再试。',
  regionNow: '当前地区：{name}', regionChange: '切换', regionAll: '全市', regionCity: '梅州市本级',
  regionTitle: '我的地区', regionLabel: '选择您所在的县（市、区）', regionAllOption: '全市（显示各县区的事项）',
  regionNote: '选好后，主题、搜索和热门服务只显示这里和市本级可以办理的事项；办事网点也默认显示这里的。',
  regionApply: '确定', regionSaved: '已切换到：{name}。', regionContinue: '返回继续办事',
  sortNear: '按距离排序', geoLocating: '正在获取您的位置…', sortedNear: '已按距离由近到远排列。',
  geoDenied: '没有获得定位权限，网点仍按原来的顺序显示。如需按距离排序，可在浏览器设置里允许定位后再试。',
  geoFailed: '暂时无法获取您的位置，网点仍按原来的顺序显示。', geoNone: '这个浏览器不支持定位，网点仍按原来的顺序显示。',
  keepOrder: '网点仍按原来的顺序显示。', distance: '约 {km} 公里',
  retry: '重试', applyOnline: '在线申请', pin: '收藏', unpin: '取消收藏',
  colon: '：', availableIn: '可在 {n} 个地区办理', relatedScenarios: '相关的一件事',
  didYouMean: '您是不是要找：', tryHot: '看看热门服务：', hotline: '也可以拨打 {tel} 政务服务便民热线咨询。',
  booking: '预约', bookWhere: '可通过以下渠道预约：{places}', bookPhone: '预约电话：{phones}', zhOnly: '',
  confirmYes: '确定', confirmNo: '取消', processing: '正在提交…',
  bjTime: '{at}（北京时间）', verifyFields: '证照内容',
  err_401: '请先登录。', err_403: '您没有权限进行这项操作。', err_409: '这项内容已经存在或已被处理。',
};

const en = {
  site: 'Meizhou Online Service Hall', skip: 'Skip to main content', elder: 'Large text', navLabel: 'Main navigation',
  navHome: 'Home', navThemes: 'Topics', navScenarios: 'Life events', navPoints: 'Service points', navMe: 'Me',
  homeTitle: 'What do you need to do?', searchLabel: 'Search services in your own words', searchBtn: 'Search',
  searchHint: 'e.g. 公积金提取 (housing fund), 社保卡, gjj', hotTitle: 'Popular services', moreTitle: 'More',
  hot_business: 'Business', hot_tax: 'Tax', hot_quality: 'Quality', hot_housing_fund: 'Housing fund', hot_social_security: 'Social security',
  themesTitle: 'Topics', themesSub: 'Browse by topic, for people or companies',
  scenariosTitle: 'Life events', scenariosSub: 'Big life events and starting a business, all at once',
  pointsTitle: 'Service points', pointsSub: 'Service halls in counties, towns and villages',
  footer: 'Meizhou Online Service Hall · open source · the service hall notices prevail',
  footVerify: 'A suspicious message? Check it is from the city', footReport: 'Monthly service report',
  popular: 'Frequently used', searchTitle: 'Search results', found: '{n} services found', shown: 'Showing {shown} of {n}',
  noResults: 'Nothing found. Try other words or browse by topic.', loadMore: 'Load more', loading: 'Loading…',
  person: 'For people', enterprise: 'For companies', audienceLabel: 'Who is applying', matters: '{n} services',
  themeMatters: 'Services', back: 'Back',
  guide: 'Service guide', dept: 'Department', region: 'Region', level: 'Level', kind: 'Type',
  depth: 'Online', visits: 'Visits', legalDays: 'Legal time limit', promisedDays: 'Promised time',
  days: '{n} working days', instant: 'Same day', fees: 'Fees', free: 'Free', mobile: 'On the phone', yes: 'Yes', no: 'No',
  materials: 'What to bring', noMaterials: 'No documents needed', copies: '{n} copies', optional: 'If applicable',
  elic: 'The e-licence “{name}” can replace it', conditions: 'Who can apply', process: 'Steps', notes: 'Notes',
  where: 'Where to go', noPoints: 'No service point listed: apply online or call.', call: 'Call', map: 'Map',
  hours: 'Hours', address: 'Address', phone: 'Phone',
  depth_full: 'Fully online', depth_apply: 'Apply online, then visit', depth_onsite: 'In person',
  visits_0: 'No visit', visits_1: 'At most one visit', visits_2: 'Two or more visits',
  level_city: 'City', level_county: 'County', level_town: 'Town', level_village: 'Village',
  kind_licensing: 'Licence', kind_public_service: 'Public service', kind_other: 'Other',
  form_original: 'original', form_copy: 'copy', form_electronic: 'electronic', form_original_and_copy: 'original and copy',
  scenarioIntro: 'Answer a few questions and we list what you need to do.', getMatters: 'Show my services',
  resultTitle: 'Services you need', resultCount: '{n} services',
  pointsRegion: 'County', allRegions: 'All counties', pointsCount: '{n} service points shown',
  type_city_hall: 'City service centre', type_county_hall: 'County service centre', type_town_station: 'Town service centre', type_village_point: 'Village service point',
  notFound: 'Page not found', goHome: 'Back to home',
  updateReady: 'A new version is ready: tap to update',
  offline: 'You are offline: showing saved content', errRequestId: 'Error id: {id}',
  offlineCopy: 'Offline copy from {ago}', newerData: 'Newer information: tap to show it', agoNow: 'just now',
  agoMinutes: '{n} minutes ago', agoHours: '{n} hours ago', agoDays: '{n} days ago',
  agoMinutes_one: '{n} minute ago', agoHours_one: '{n} hour ago', agoDays_one: '{n} day ago',
  err_network: 'Could not reach the server. Check your network and try again.',
  err_offline: 'You are offline and this page was not saved yet. Try again when online.',
  err_404: 'Not found: it may have been changed or withdrawn.', err_400: 'Something you entered is not valid.',
  err_429: 'Too many requests. Please wait a moment.', err_5xx: 'The service is unavailable. Please try again later.', err_other: 'Something went wrong. Please try again later.',
  regionNow: 'My area: {name}', regionChange: 'Change', regionAll: 'All of Meizhou', regionCity: 'Meizhou city level',
  regionTitle: 'My area', regionLabel: 'Choose your county or district', regionAllOption: 'All of Meizhou (every county)',
  regionNote: 'Topics, search and popular services then show what can be done there and at city level; service points show that area first.',
  regionApply: 'Apply', regionSaved: 'Your area is now {name}.', regionContinue: 'Back to what you were doing',
  sortNear: 'Sort by distance', geoLocating: 'Finding your location…', sortedNear: 'Sorted from nearest to farthest.',
  geoDenied: 'No permission to use your location; the list keeps its order. Allow location in the browser settings to sort by distance.',
  geoFailed: 'Could not find your location; the list keeps its order.', geoNone: 'This browser cannot share a location; the list keeps its order.',
  keepOrder: 'The list keeps its order.', distance: 'about {km} km',
  retry: 'Try again', applyOnline: 'Apply online', pin: 'Pin', unpin: 'Unpin',
  colon: ': ', availableIn: 'Available in {n} areas', relatedScenarios: 'Related life events',
  didYouMean: 'Did you mean:', tryHot: 'Popular services:', hotline: 'Or call the {tel} government service hotline.',
  booking: 'Booking', bookWhere: 'Book through {places}.', bookPhone: 'To book by phone: {phones}.', zhOnly: 'In Chinese only.',
  days_one: '{n} working day', matters_one: '{n} service', found_one: '{n} service found', copies_one: '{n} copy',
  resultCount_one: '{n} service', pointsCount_one: '{n} service point shown', availableIn_one: 'Available in {n} area',
  confirmYes: 'Yes', confirmNo: 'Cancel', processing: 'Sending…',
  bjTime: '{at} (Beijing time)', verifyFields: 'What it licenses',
  err_401: 'Please log in first.', err_403: 'You are not allowed to do this.', err_409: 'This already exists or was already handled.',
};

export const lang = () => (document.documentElement.lang === 'en' ? 'en' : 'zh');

/** Translate a key, filling {placeholders} from vars. */
export function t(key, vars = {}) {
  const table = lang() === 'en' ? en : zh;
  // English plurals: a `<key>_one` string for n = 1 ("1 working day", "2 working days").
  const one = Number(vars.n) === 1 && table[`${key}_one`];
  const s = one || (table[key] ?? zh[key] ?? key);
  return s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
}

/** Is there a string for this key (so a server's own name need not stand in)? */
export const has = (key) => key in zh;

/** Add strings: the account screens bring their own, loaded only with them. */
export function extend(more) {
  Object.assign(zh, more.zh);
  Object.assign(en, more.en);
}

/** Pick the localised name of an API item that has name / name_en. */
export const nameOf = (item) => (lang() === 'en' && item.name_en) || item.name;

/** The English of a field (`<key>_en`) when the UI is in English and the data has it. */
export const localised = (item, key) => (lang() === 'en' && item?.[`${key}_en`]) || item?.[key];

/** Item i of a list's English twin (`<key>_en`, parallel to `<key>`) in English, else item i. */
export const localisedAt = (item, key, i) => (lang() === 'en' && item?.[`${key}_en`]?.[i]) || item?.[key]?.[i];

export function setLang(code) {
  document.documentElement.lang = code === 'en' ? 'en' : 'zh-CN';
  try { localStorage.setItem('mz.lang', code === 'en' ? 'en' : 'zh'); } catch { /* private mode */ }
}

/** Translate the static markup marked with data-i18n / data-i18n-label. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
