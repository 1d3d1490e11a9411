import type { OrgUnitKind } from './codes.js';

// Which kind of unit may stand directly under which. A bureau is a root. The
// server enforces it (modules/org/rules.ts); the web offers only such parents.
export const ALLOWED_PARENT_KINDS: Record<OrgUnitKind, readonly (OrgUnitKind | null)[]> = {
  bureau: [null],
  centre: ['bureau'],
  department: ['bureau', 'county'],
  county: ['bureau'],
  station: ['county', 'department', 'bureau'],
};
