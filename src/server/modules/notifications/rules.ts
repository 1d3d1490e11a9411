// Who a notification is for: one user, or everyone holding a role, within a
// unit when one is named (the unit's own staff and the units above it, whose
// scope covers it).

export interface NotificationTarget {
  user_id: number | null;
  role: string | null;
  unit_id: number | null;
}

export interface Recipient {
  userId: number;
  roles: readonly string[];
  /** The units the recipient sees (their own and those below it). */
  visibleUnits: ReadonlySet<number>;
}

export function isFor(n: NotificationTarget, r: Recipient): boolean {
  if (n.user_id !== null) return n.user_id === r.userId;
  if (n.role === null || !r.roles.includes(n.role)) return false;
  return n.unit_id === null || r.visibleUnits.has(n.unit_id);
}
