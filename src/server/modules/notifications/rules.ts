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

/**
 * Where a process's poll of the notifications table stands. Ids are taken when
 * a row is inserted and rows are seen when their transaction commits, so on
 * PostgreSQL a row can appear after a higher id was already read: the ids a
 * poll skipped over stay `missing` (with when they were first missed) and are
 * asked for again until they arrive or are given up (a rolled-back insert
 * leaves its id unused for good).
 */
export interface PollMark {
  lastId: number;
  missing: Map<number, number>;
}

/** A notifying transaction open longer than this is not waited for (its rows still show in the list and the replay). */
export const MISSING_KEPT_MS = 120_000;
const MISSING_KEPT_AT_MOST = 1_000;

/** Takes one poll's ids (ascending) into the mark; returns those to deliver (each id once). */
export function takePoll(mark: PollMark, ids: readonly number[], now: number): number[] {
  const taken: number[] = [];
  for (const id of ids) {
    if (mark.missing.delete(id)) {
      taken.push(id);
    } else if (id > mark.lastId) {
      for (let gap = Math.max(mark.lastId + 1, id - MISSING_KEPT_AT_MOST); gap < id; gap++) mark.missing.set(gap, now);
      mark.lastId = id;
      taken.push(id);
    }
  }
  for (const [id, since] of mark.missing) {
    if (mark.missing.size <= MISSING_KEPT_AT_MOST && since > now - MISSING_KEPT_MS) break;
    mark.missing.delete(id);
  }
  return taken;
}
