import { isRepeated } from '../../../shared/cases.js';
import { localDate } from '../../../shared/time.js';

// What the reports count, as plain functions over plain rows: the rollups
// (demand_rollup, deadline_rollup) are these functions' output per day, kept
// by the scheduler, and a day changed since the last refresh is counted by
// the same functions straight from the demands.

/** A demand as the rollup reads it. */
export interface RollupDemand {
  id: number;
  caseId: number | null;
  createdAt: string;
  unitId: number;
  category: string | null;
  type: string;
  channel: string;
  closedAt: string | null;
  callCount: number;
  firstResolved: number | null;
  callbackOutcome: string | null;
}

/** One demand_rollup row: a day × unit × category × type × channel. */
export interface DemandCounts {
  day: string;
  unitId: number;
  /** '' when the demand has no category. */
  category: string;
  type: string;
  channel: string;
  /** Every call registered. */
  calls: number;
  /** The cases, each once as its first call; the counts below are of these. */
  cases: number;
  closed: number;
  /** Cases with a step past its limit (met late, or still open past it). */
  overdue: number;
  /** Cases of two calls or more. */
  repeated: number;
  /** Cases whose first work order reported, and of those resolved at that level. */
  handled: number;
  firstResolved: number;
  /** The cases' latest callback. */
  satisfied: number;
  unsatisfied: number;
}

export const COUNT_FIELDS = ['calls', 'cases', 'closed', 'overdue', 'repeated', 'handled', 'firstResolved', 'satisfied', 'unsatisfied'] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

export function emptyCounts<K extends object>(key: K): K & Record<CountField, number> {
  return { ...key, calls: 0, cases: 0, closed: 0, overdue: 0, repeated: 0, handled: 0, firstResolved: 0, satisfied: 0, unsatisfied: 0 };
}

/** Adds `from`'s counts into `into`. */
export function addCounts(into: Record<CountField, number>, from: Record<CountField, number>): void {
  for (const f of COUNT_FIELDS) into[f] += from[f];
}

/** The demand_rollup rows of some demands: `overdue` names the demands with a step past its limit. */
export function countDemands(demands: readonly RollupDemand[], overdue: ReadonlySet<number>, zone: string): DemandCounts[] {
  const rows = new Map<string, DemandCounts>();
  for (const d of demands) {
    const key = { day: localDate(d.createdAt, zone), unitId: d.unitId, category: d.category ?? '', type: d.type, channel: d.channel };
    const id = `${key.day}|${key.unitId}|${key.category}|${key.type}|${key.channel}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyCounts(key)));
    row.calls++;
    if (d.caseId !== null && d.caseId !== d.id) continue;
    row.cases++;
    if (d.closedAt !== null) row.closed++;
    if (overdue.has(d.id)) row.overdue++;
    if (isRepeated(d.callCount)) row.repeated++;
    if (d.firstResolved !== null) row.handled++;
    if (d.firstResolved === 1) row.firstResolved++;
    if (d.callbackOutcome === 'satisfied') row.satisfied++;
    if (d.callbackOutcome === 'unsatisfied') row.unsatisfied++;
  }
  return [...rows.values()];
}

/** A deadline as the rollup reads it, with the unit that owes the step (the work order's unit, else the demand's). */
export interface RollupDeadline {
  demandCreatedAt: string;
  unitId: number;
  step: string;
  dueAt: string;
  metAt: string | null;
  cancelledAt: string | null;
}

/** One deadline_rollup row: a day (the demand's registration) × unit × step. */
export interface DeadlineCounts {
  day: string;
  unitId: number;
  step: string;
  /** in_time + late + running */
  total: number;
  /** Met by its limit. */
  inTime: number;
  /** Met after its limit, or past it unmet (still open, or given up after it passed). */
  late: number;
  /** Not met yet and not yet due. */
  running: number;
}

/** How a deadline stands at `now`: null when it was given up before it came due (the step was no longer needed). */
export function deadlineStanding(d: Pick<RollupDeadline, 'dueAt' | 'metAt' | 'cancelledAt'>, now: string): 'inTime' | 'late' | 'running' | null {
  if (d.metAt !== null) return d.metAt <= d.dueAt ? 'inTime' : 'late';
  const end = d.cancelledAt ?? now;
  if (end > d.dueAt) return 'late';
  return d.cancelledAt === null ? 'running' : null;
}

export function countDeadlines(deadlines: readonly RollupDeadline[], now: string, zone: string): DeadlineCounts[] {
  const rows = new Map<string, DeadlineCounts>();
  for (const d of deadlines) {
    const standing = deadlineStanding(d, now);
    if (standing === null) continue;
    const day = localDate(d.demandCreatedAt, zone);
    const id = `${day}|${d.unitId}|${d.step}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { day, unitId: d.unitId, step: d.step, total: 0, inTime: 0, late: 0, running: 0 }));
    row.total++;
    row[standing]++;
  }
  return [...rows.values()];
}
