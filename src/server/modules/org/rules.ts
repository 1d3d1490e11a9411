import type { OrgUnitKind, Role } from '../../../shared/codes.js';
import { ALLOWED_PARENT_KINDS } from '../../../shared/unit-kinds.js';
import { isCityWide } from '../../platform/policy.js';

// The organisation tree: plain functions over plain data.

export type { OrgUnitKind } from '../../../shared/codes.js';

export interface UnitNode {
  id: number;
  parentId: number | null;
  kind: string;
}

export function parentKindAllowed(kind: OrgUnitKind, parentKind: OrgUnitKind | null): boolean {
  return ALLOWED_PARENT_KINDS[kind].includes(parentKind);
}

export function allowedParentKinds(kind: OrgUnitKind): readonly (OrgUnitKind | null)[] {
  return ALLOWED_PARENT_KINDS[kind];
}

function childrenIndex(units: readonly UnitNode[]): Map<number | null, number[]> {
  const children = new Map<number | null, number[]>();
  for (const unit of units) {
    const list = children.get(unit.parentId) ?? [];
    list.push(unit.id);
    children.set(unit.parentId, list);
  }
  return children;
}

/** The unit and every unit below it. */
export function subtreeOf(units: readonly UnitNode[], rootId: number): Set<number> {
  const children = childrenIndex(units);
  const seen = new Set<number>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return seen;
}

/** The chain from the unit up to its root, the unit first. */
export function ancestorsOf(units: readonly UnitNode[], unitId: number): number[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const chain: number[] = [];
  let current = byId.get(unitId);
  while (current && !chain.includes(current.id)) {
    chain.push(current.id);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return chain;
}

/** Moving `unitId` under `newParentId` would make it its own ancestor. */
export function wouldCreateCycle(units: readonly UnitNode[], unitId: number, newParentId: number | null): boolean {
  if (newParentId === null) return false;
  return subtreeOf(units, unitId).has(newParentId);
}

/**
 * The units whose data a user may see: the whole tree of their bureau for
 * city-wide roles, otherwise their own unit and the units below it.
 */
export function visibleUnits(units: readonly UnitNode[], user: { unitId: number; roles: readonly Role[] }): Set<number> {
  if (isCityWide(user.roles)) {
    const chain = ancestorsOf(units, user.unitId);
    const root = chain[chain.length - 1] ?? user.unitId;
    return subtreeOf(units, root);
  }
  return subtreeOf(units, user.unitId);
}
