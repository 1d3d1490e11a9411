import type { Role } from './codes.js';

// The web shell's top-level areas. Later modules fill them; which roles see an
// area is decided here, once, and used by both the server (GET /api/me) and the web.
export const NAV_AREAS = ['demands', 'experts', 'knowledge', 'customers', 'outages', 'evaluation', 'admin'] as const;
export type NavArea = (typeof NAV_AREAS)[number];

const AREAS_BY_ROLE: Record<Role, readonly NavArea[]> = {
  admin: ['admin'],
  agent: ['demands', 'experts', 'knowledge', 'customers', 'outages'],
  team_lead: ['demands', 'experts', 'knowledge', 'customers', 'outages', 'evaluation'],
  expert: ['experts', 'knowledge'],
  handler: ['demands', 'customers', 'outages', 'evaluation'],
  kb_editor: ['knowledge'],
  kb_reviewer: ['knowledge'],
  account_manager: ['customers', 'demands', 'knowledge'],
  analyst: ['evaluation', 'demands', 'experts'],
  centre_manager: ['evaluation', 'demands', 'experts', 'knowledge', 'customers'],
};

/** The areas a user with these roles sees, in the navigation's fixed order. */
export function navAreasFor(roles: readonly Role[]): NavArea[] {
  const granted = new Set(roles.flatMap((role) => AREAS_BY_ROLE[role] ?? []));
  return NAV_AREAS.filter((area) => granted.has(area));
}
