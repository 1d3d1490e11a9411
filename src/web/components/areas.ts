import type { NavArea } from '../../shared/nav.js';

/** Where an area's menu entry leads: administration opens on its first page. */
export function areaPath(area: NavArea): string {
  return area === 'admin' ? '/admin/units' : `/${area}`;
}

/** The user's landing page: the first area the server granted, in the server's order. */
export function homePath(navAreas: readonly NavArea[]): string {
  const first = navAreas[0];
  return first ? areaPath(first) : '/';
}
