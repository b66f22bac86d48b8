// Service points by county: the region picker and the list with phone and map links.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { regionPicker, savedRegion } from '../region.js';
import { heading, pagedList } from '../ui.js';
import { pointCard } from './matter.js';

export async function points(el, { query }) {
  // No region in the address: "我的地区"; an explicit empty ?region= means every county.
  const region = query.has('region') ? query.get('region') || '' : savedRegion();
  el.append(heading(t('pointsTitle')), regionPicker({
    id: 'region', label: t('pointsRegion'), first: t('allRegions'), button: t('searchBtn'), selected: region,
    onPick: (item) => { location.hash = `#/points?region=${encodeURIComponent(item?.code || '')}`; },
  }));
  const list = pagedList({
    fetchPage: (cursor) => api('/service-points', { params: { region, limit: 20, cursor } }),
    renderItem: (p) => pointCard(p, 'h2'),
    countText: (n) => t('pointsCount', { n }),
  });
  el.append(list);
  await list.ready;
}
