import type { Role } from './codes.js';

// The web shell's top-level areas. Later modules fill them; which roles see an
// area is decided here, once, and used by both the server (GET /api/me) and the web.
export const NAV_AREAS = ['demands', 'experts', 'knowledge', 'customers', 'outages', 'reports', 'evaluation', 'admin'] as const;
export type NavArea = (typeof NAV_AREAS)[number];

const AREAS_BY_ROLE: Record<Role, readonly NavArea[]> = {
  admin: ['admin'],
  agent: ['demands', 'experts', 'knowledge', 'customers', 'outages', 'reports'],
  team_lead: ['demands', 'experts', 'knowledge', 'customers', 'outages', 'reports', 'evaluation'],
  expert: ['experts', 'knowledge'],
  handler: ['demands', 'customers', 'outages', 'reports', 'evaluation'],
  kb_editor: ['knowledge'],
  kb_reviewer: ['knowledge'],
  account_manager: ['customers', 'demands', 'knowledge'],
  analyst: ['reports', 'evaluation', 'demands', 'experts'],
  centre_manager: ['reports', 'evaluation', 'demands', 'experts', 'knowledge', 'customers'],
};

/**
 * The roles whose day starts from the figures (报表分析: the centre manager's
 * dashboard, the analyst's reports), not from the demand list: for a user
 * who holds one of them and no front-line role, that area comes first.
 */
const FIGURES_FIRST: ReadonlySet<Role> = new Set(['analyst', 'centre_manager']);
const FRONT_LINE: ReadonlySet<Role> = new Set(['agent', 'team_lead', 'handler', 'expert', 'account_manager']);

/** The areas a user with these roles sees, in the navigation's fixed order (报表分析 first for the centre's managers and analysts). */
export function navAreasFor(roles: readonly Role[]): NavArea[] {
  const granted = new Set(roles.flatMap((role) => AREAS_BY_ROLE[role] ?? []));
  const areas = NAV_AREAS.filter((area) => granted.has(area));
  const figuresFirst = roles.some((r) => FIGURES_FIRST.has(r)) && !roles.some((r) => FRONT_LINE.has(r));
  return figuresFirst ? ['reports', ...areas.filter((a) => a !== 'reports')] : areas;
}
