import { ORG_UNIT_KINDS, UNIT_KINDS, type OrgUnitKind } from '../../shared/codes.js';
import { ALLOWED_PARENT_KINDS } from '../../shared/unit-kinds.js';
import type { Unit } from '../api/client.js';

export interface UnitNode extends Unit {
  children?: UnitNode[];
}

const KIND_ORDER = new Map(ORG_UNIT_KINDS.map((kind, index) => [kind, index]));

function compare(a: Unit, b: Unit): number {
  return (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) || a.code.localeCompare(b.code);
}

/** The flat list as a forest: roots are units without a parent, or whose parent is not in the list. */
export function buildUnitTree(units: readonly Unit[]): UnitNode[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<number | null, Unit[]>();
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), unit]);
  }
  const build = (parent: number | null, seen: Set<number>): UnitNode[] =>
    (children.get(parent) ?? [])
      .filter((unit) => !seen.has(unit.id))
      .sort(compare)
      .map((unit) => {
        const below = build(unit.id, new Set([...seen, unit.id]));
        return below.length > 0 ? { ...unit, children: below } : { ...unit };
      });
  return build(null, new Set());
}

/** The unit and all units below it: where a unit must not be moved. */
export function subtreeIds(units: readonly Unit[], rootId: number): Set<number> {
  const result = new Set<number>([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId !== null && result.has(unit.parentId) && !result.has(unit.id)) {
        result.add(unit.id);
        grew = true;
      }
    }
  }
  return result;
}

/** The kinds that may stand under a unit of this kind: what "add child" offers. */
export function childKindsOf(kind: OrgUnitKind): OrgUnitKind[] {
  return UNIT_KINDS.filter((child) => ALLOWED_PARENT_KINDS[child].includes(kind));
}
