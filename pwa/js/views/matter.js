// A matter's guide: facts, materials (and e-licence replacements), conditions, process, booking,
// where to go. In English, the English of each item where the catalogue has it; Chinese-only
// text (guide prose, fees, notes) is marked lang="zh" so that screen readers read it as Chinese.
import { api, friendly } from '../api.js';
import { h } from '../dom.js';
import { lang, localised, localisedAt, nameOf, t } from '../i18n.js';
import { daysText, errorBox, fact, heading, licenceName, loading, visitsText } from '../ui.js';

const section = (title, ...body) => h('section', null, h('h2', null, title), ...body);
/** Attributes for text that stays Chinese while the UI is in English. */
const zhIn = (translated) => (lang() === 'en' && !translated ? { lang: 'zh' } : null);
/** "Label：value" / "Label: value". */
const labelled = (label, value, attrs) => h('p', null, t(label), t('colon'), h('span', attrs, value));

/** Item i of a list with its English twin (conditions_en, process_en), marked when untranslated. */
function listItem(m, key, i) {
  const en = lang() === 'en' && m[`${key}_en`]?.[i];
  return h('li', zhIn(en), localisedAt(m, key, i));
}

function material(m) {
  return h('div', { class: 'mat' },
    h('p', { class: 'name', ...zhIn(m.name_en) }, localised(m, 'name')),
    h('p', { class: 'meta' },
      [t(`form_${m.form}`), m.copies ? t('copies', { n: m.copies }) : null, m.required === false ? t('optional') : null]
        .filter(Boolean).join(' · ')),
    m.note ? h('p', { class: 'meta', ...zhIn(false) }, m.note) : null,
    m.licence_type ? h('p', { class: 'elic' }, '✓ ', t('elic', { name: licenceName(m.licence_type) })) : null);
}

/** A map link that opens the phone's map app or the web map (Amap URI API). */
function mapHref(p) {
  const u = new URL('https://uri.amap.com/marker');
  u.searchParams.set('position', `${p.lng},${p.lat}`);
  u.searchParams.set('name', nameOf(p));
  u.searchParams.set('coordinate', 'wgs84');
  u.searchParams.set('callnative', '1');
  return u.toString();
}

/** A service point card; `level` is its heading tag so the outline stays in order. */
export function pointCard(p, level = 'h3') {
  const tel = (p.phone || '').replace(/[^\d+-]/g, '');
  return h('li', { class: 'card point' },
    h(level, { class: 'pname', ...zhIn(p.name_en) }, nameOf(p)),
    h('p', { class: 'meta sub' }, t(`type_${p.type}`)),
    p.distance_km != null ? h('p', { class: 'dist' }, t('distance', { km: Number(p.distance_km).toFixed(1) })) : null,
    p.address ? labelled('address', localised(p, 'address'), zhIn(p.address_en)) : null,
    p.hours ? labelled('hours', localised(p, 'hours'), zhIn(p.hours_en)) : null,
    h('div', { class: 'actions' },
      tel ? h('a', { href: `tel:${tel}`, 'aria-label': `${t('call')} ${p.phone}` }, t('call'), ' ', p.phone) : null,
      p.lat != null && p.lng != null
        ? h('a', { href: mapHref(p), rel: 'noopener', target: '_blank', 'aria-label': `${t('map')}${t('colon')}${nameOf(p)}` }, t('map'))
        : null));
}

const byDistance = (a, b) => (a.distance_km ?? Infinity) - (b.distance_km ?? Infinity);

/**
 * "按距离排序": only after the tap, ask for the position and refetch the guide with ?near= so the
 * points come with distance_km. On denial or an error the list stays as it was, with a polite note.
 */
function nearbySort(code, list) {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'secondary near' }, t('sortNear'));
  let busy = false;
  const done = (msg) => { busy = false; btn.removeAttribute('aria-disabled'); status.textContent = msg; };
  btn.addEventListener('click', () => {
    if (busy) return;
    if (!navigator.geolocation) { status.textContent = t('geoNone'); return; }
    busy = true;
    btn.setAttribute('aria-disabled', 'true'); // not `disabled`: that would drop keyboard focus
    status.textContent = t('geoLocating');
    navigator.geolocation.getCurrentPosition(async ({ coords }) => {
      // Three decimals (about 100 m) are enough for "约 3.2 公里" and keep the exact spot private.
      const near = `${coords.latitude.toFixed(3)},${coords.longitude.toFixed(3)}`;
      try {
        const m = await api(`/matters/${encodeURIComponent(code)}`, { params: { near } });
        const pts = [...(m.service_points || [])].sort(byDistance);
        if (pts.length) list.replaceChildren(...pts.map((p) => pointCard(p)));
        done(t('sortedNear'));
      } catch (err) {
        done(`${friendly(err)} ${t('keepOrder')}`);
      }
    }, (err) => done(t(err && err.code === 1 ? 'geoDenied' : 'geoFailed')),
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });
  return h('div', { class: 'nearby' }, btn, status);
}

/** Where to book: the channels the guide names (or the province's) and any booking phone. */
function bookingBox(b) {
  const places = (lang() === 'en' ? b.places_en : b.places) || b.places || [];
  return h('div', { class: 'box booking' },
    h('p', null, t('bookWhere', { places: places.join(lang() === 'en' ? ', ' : '、') })),
    b.phones?.length ? h('p', null, t('bookPhone', { phones: b.phones.join(', ') })) : null);
}

/** 收藏 (logged in only): drawn with the guide so its place never moves; page.js sets its state. */
function pinRow(code) {
  if (!document.cookie.split(/;\s*/).includes('__Secure-hall_in=1')) return null; // session.js's marker
  const button = h('button', { type: 'button', class: 'secondary pin', 'aria-pressed': 'false', disabled: true }, t('pin'));
  import('./page.js').then((m) => m.pinButton(button, code)).catch(() => { button.hidden = true; });
  return h('p', { class: 'pin-row' }, button, h('span', { class: 'pin-status', role: 'status' }));
}

export async function matter(el, { args: [code] }) {
  const title = heading(t('guide'));
  const wait = loading();
  el.append(title, wait);
  let m;
  try {
    m = await api(`/matters/${encodeURIComponent(code)}`);
  } catch (err) {
    wait.replaceWith(errorBox(err, () => { el.replaceChildren(); matter(el, { args: [code] }).then(() => el.querySelector('h1')?.focus()); }));
    return;
  }
  title.textContent = nameOf(m);
  const english = lang() === 'en' && (m.fees || []).every((f) => f.name_en && f.amount_en);
  const fees = m.fees && m.fees.length
    ? h('span', zhIn(english), m.fees.map((f) => (english ? `${f.name_en} ${f.amount_en}` : `${f.item} ${f.amount}`))
      .join(english ? '; ' : '；')) : t('free');
  const facts = h('dl', { class: 'facts' },
    fact(t('depth'), t(`depth_${m.online_depth}`)),
    fact(t('visits'), visitsText(m.visits)),
    fact(t('promisedDays'), daysText(m.promised_days)),
    fact(t('legalDays'), daysText(m.legal_days)),
    fact(t('fees'), fees),
    fact(t('mobile'), m.mobile ? t('yes') : t('no')),
    fact(t('dept'), nameOf(m.department || {}) || ''),
    fact(t('level'), t(`level_${m.level}`)));
  const mats = m.materials || [];
  const points = m.service_points || [];
  const pointList = h('ul', { class: 'list' }, points.map((p) => pointCard(p)));
  const online = m.online_depth === 'full' || m.online_depth === 'apply';
  wait.replaceWith(...[
    facts,
    online ? h('p', { class: 'apply-cta' }, h('a', { class: 'btn', href: `#/apply/${encodeURIComponent(code)}` }, t('applyOnline'))) : null,
    pinRow(code),
    section(t('materials'), mats.length ? h('div', { class: 'box' }, mats.map(material)) : h('p', null, t('noMaterials'))),
    m.conditions?.length ? section(t('conditions'), h('ul', { class: 'box' }, m.conditions.map((_, i) => listItem(m, 'conditions', i)))) : null,
    m.process?.length ? section(t('process'), h('ol', { class: 'box steps' }, m.process.map((_, i) => listItem(m, 'process', i)))) : null,
    m.booking ? section(t('booking'), bookingBox(m.booking)) : null,
    m.guide ? section(t('notes'), lang() === 'en' ? h('p', { class: 'hint' }, t('zhOnly')) : null,
      h('p', { class: 'box', ...zhIn(false) }, m.guide)) : null,
    section(t('where'), ...(points.length ? [nearbySort(code, pointList), pointList] : [h('p', null, t('noPoints'))])),
  ].filter(Boolean));
}
