import type { OrgUnitKind } from './codes.js';

// Which kind of unit may stand directly under which, for the web's forms. It
// mirrors ALLOWED_PARENTS in src/server/modules/org/rules.ts, which stays the
// authority: the web only uses this to offer sensible parents.
export const ALLOWED_PARENT_KINDS: Record<OrgUnitKind, readonly (OrgUnitKind | null)[]> = {
  bureau: [null],
  centre: ['bureau'],
  department: ['bureau', 'county'],
  county: ['bureau'],
  station: ['county', 'department', 'bureau'],
};
