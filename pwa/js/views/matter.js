// A matter's guide: facts, materials (and e-licence replacements), conditions, process, where to go.
import { api, friendly } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { daysText, errorBox, fact, heading, licenceName, loading, visitsText } from '../ui.js';

const section = (title, ...body) => h('section', null, h('h2', null, title), ...body);

function material(m) {
  return h('div', { class: 'mat' },
    h('p', { class: 'name' }, m.name),
    h('p', { class: 'meta' },
      [t(`form_${m.form}`), m.copies ? t('copies', { n: m.copies }) : null, m.required === false ? t('optional') : null]
        .filter(Boolean).join(' · ')),
    m.note ? h('p', { class: 'meta' }, m.note) : null,
    m.licence_type ? h('p', { class: 'elic' }, '✓ ', t('elic', { name: licenceName(m.licence_type) })) : null);
}

/** A map link that opens the phone's map app or the web map (Amap URI API). */
function mapHref(p) {
  const u = new URL('https://uri.amap.com/marker');
  u.searchParams.set('position', `${p.lng},${p.lat}`);
  u.searchParams.set('name', p.name);
  u.searchParams.set('coordinate', 'wgs84');
  u.searchParams.set('callnative', '1');
  return u.toString();
}

/** A service point card; `level` is its heading tag so the outline stays in order. */
export function pointCard(p, level = 'h3') {
  const tel = (p.phone || '').replace(/[^\d+-]/g, '');
  return h('li', { class: 'card point' },
    h(level, { class: 'pname' }, p.name),
    h('p', { class: 'meta sub' }, t(`type_${p.type}`)),
    p.distance_km != null ? h('p', { class: 'dist' }, t('distance', { km: Number(p.distance_km).toFixed(1) })) : null,
    p.address ? h('p', null, t('address'), '：', p.address) : null,
    p.hours ? h('p', null, t('hours'), '：', p.hours) : null,
    h('div', { class: 'actions' },
      tel ? h('a', { href: `tel:${tel}`, 'aria-label': `${t('call')} ${p.phone}` }, t('call'), ' ', p.phone) : null,
      p.lat != null && p.lng != null
        ? h('a', { href: mapHref(p), rel: 'noopener', target: '_blank', 'aria-label': `${t('map')}：${p.name}` }, t('map'))
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
  title.textContent = m.name;
  const fees = m.fees && m.fees.length ? m.fees.map((f) => `${f.item} ${f.amount}`).join('；') : t('free');
  const facts = h('dl', { class: 'facts' },
    fact(t('depth'), t(`depth_${m.online_depth}`)),
    fact(t('visits'), visitsText(m.visits)),
    fact(t('promisedDays'), daysText(m.promised_days)),
    fact(t('legalDays'), daysText(m.legal_days)),
    fact(t('fees'), fees),
    fact(t('mobile'), m.mobile ? t('yes') : t('no')),
    fact(t('dept'), m.department?.name || ''),
    fact(t('level'), t(`level_${m.level}`)));
  const mats = m.materials || [];
  const points = m.service_points || [];
  const pointList = h('ul', { class: 'list' }, points.map((p) => pointCard(p)));
  const online = m.online_depth === 'full' || m.online_depth === 'apply';
  wait.replaceWith(...[
    facts,
    online ? h('p', { class: 'apply-cta' }, h('a', { class: 'btn', href: `#/apply/${encodeURIComponent(code)}` }, t('applyOnline'))) : null,
    section(t('materials'), mats.length ? h('div', { class: 'box' }, mats.map(material)) : h('p', null, t('noMaterials'))),
    m.conditions?.length ? section(t('conditions'), h('ul', { class: 'box' }, m.conditions.map((c) => h('li', null, c)))) : null,
    m.process?.length ? section(t('process'), h('ol', { class: 'box steps' }, m.process.map((s) => h('li', null, s)))) : null,
    m.guide ? section(t('notes'), h('p', { class: 'box' }, m.guide)) : null,
    section(t('where'), ...(points.length ? [nearbySort(code, pointList), pointList] : [h('p', null, t('noPoints'))])),
  ].filter(Boolean));
}
