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
  /** The customer's station (the place), when known. */
  stationId: number | null;
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

/**
 * What one demand adds to the demand and place rollups: its keys, and marks
 * for what it is (MARK). The rollup keeps each demand's item as it counted
 * it (demand_rollup_items), so that a reader takes out the items of the
 * demands changed since the refresh and puts in what they are now: the cost
 * of a lag follows the changes, not the days they fall on.
 */
export interface DemandItem {
  demandId: number;
  day: string;
  unitId: number;
  /** The customer's station (the place), 0 when the demand names none. */
  stationId: number;
  /** '' when the demand has no category. */
  category: string;
  type: string;
  channel: string;
  marks: number;
}

/** An item's marks, one bit each; a later call of a case (not the case) has none: it counts as a call only. */
export const MARK = { case: 1, closed: 2, overdue: 4, repeated: 8, handled: 16, firstResolved: 32, satisfied: 64, unsatisfied: 128 } as const;

/** A demand's item: `overdue` when one of its steps is past its limit. */
export function demandItem(d: RollupDemand, overdue: boolean, zone: string): DemandItem {
  let marks = 0;
  if (d.caseId === null || d.caseId === d.id) {
    marks |= MARK.case;
    if (d.closedAt !== null) marks |= MARK.closed;
    if (overdue) marks |= MARK.overdue;
    if (isRepeated(d.callCount)) marks |= MARK.repeated;
    if (d.firstResolved !== null) marks |= MARK.handled;
    if (d.firstResolved === 1) marks |= MARK.firstResolved;
    if (d.callbackOutcome === 'satisfied') marks |= MARK.satisfied;
    if (d.callbackOutcome === 'unsatisfied') marks |= MARK.unsatisfied;
  }
  return {
    demandId: d.id,
    day: localDate(d.createdAt, zone),
    unitId: d.unitId,
    stationId: d.stationId ?? 0,
    category: d.category ?? '',
    type: d.type,
    channel: d.channel,
    marks,
  };
}

/** Whether two items count the same (the same keys and marks). */
export const sameItem = (a: DemandItem, b: DemandItem): boolean =>
  a.day === b.day &&
  a.unitId === b.unitId &&
  a.stationId === b.stationId &&
  a.category === b.category &&
  a.type === b.type &&
  a.channel === b.channel &&
  a.marks === b.marks;

const MARKED: [keyof typeof MARK, CountField][] = [
  ['case', 'cases'],
  ['closed', 'closed'],
  ['overdue', 'overdue'],
  ['repeated', 'repeated'],
  ['handled', 'handled'],
  ['firstResolved', 'firstResolved'],
  ['satisfied', 'satisfied'],
  ['unsatisfied', 'unsatisfied'],
];

/**
 * Adds items into demand_rollup rows (keyed day|unit|category|type|channel),
 * or, with `sign` -1, takes them out: the rows a change leaves are the
 * rollup's, less the items it counted, plus the items now.
 */
export function addDemandItems(rows: Map<string, DemandCounts>, items: readonly DemandItem[], sign: 1 | -1 = 1): Map<string, DemandCounts> {
  for (const i of items) {
    const id = `${i.day}|${i.unitId}|${i.category}|${i.type}|${i.channel}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = emptyCounts({ day: i.day, unitId: i.unitId, category: i.category, type: i.type, channel: i.channel })));
    row.calls += sign;
    for (const [mark, field] of MARKED) if (i.marks & MARK[mark]) row[field] += sign;
  }
  return rows;
}

/** The demand_rollup rows of some demands: `overdue` names the demands with a step past its limit. */
export function countDemands(demands: readonly RollupDemand[], overdue: ReadonlySet<number>, zone: string): DemandCounts[] {
  return [
    ...addDemandItems(
      new Map(),
      demands.map((d) => demandItem(d, overdue.has(d.id), zone)),
    ).values(),
  ];
}

/** One place_rollup row: a day × the customer's station (0: unknown) × type × category ('' when none), the cases. */
export interface PlaceCounts {
  day: string;
  stationId: number;
  type: string;
  category: string;
  cases: number;
}

/** Adds the cases among items into place_rollup rows (keyed day|station|type|category), or takes them out (`sign` -1). */
export function addPlaceItems(rows: Map<string, PlaceCounts>, items: readonly DemandItem[], sign: 1 | -1 = 1): Map<string, PlaceCounts> {
  for (const i of items) {
    if (!(i.marks & MARK.case)) continue;
    const id = `${i.day}|${i.stationId}|${i.type}|${i.category}`;
    const row = rows.get(id);
    if (row) row.cases += sign;
    else rows.set(id, { day: i.day, stationId: i.stationId, type: i.type, category: i.category, cases: sign });
  }
  return rows;
}

/** The place_rollup rows of some demands: each case once, by its first call's day, station, type and category. */
export function countPlaces(demands: readonly RollupDemand[], zone: string): PlaceCounts[] {
  return [
    ...addPlaceItems(
      new Map(),
      demands.map((d) => demandItem(d, false, zone)),
    ).values(),
  ];
}

/** A deadline as the rollup reads it, with the unit that owes the step (the work order's unit, else the demand's). */
export interface RollupDeadline {
  id: number;
  demandId: number;
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

export type Standing = 'inTime' | 'late' | 'running';

/** How a deadline stands at `now`: null when it was given up before it came due (the step was no longer needed). */
export function deadlineStanding(d: Pick<RollupDeadline, 'dueAt' | 'metAt' | 'cancelledAt'>, now: string): Standing | null {
  if (d.metAt !== null) return d.metAt <= d.dueAt ? 'inTime' : 'late';
  const end = d.cancelledAt ?? now;
  if (end > d.dueAt) return 'late';
  return d.cancelledAt === null ? 'running' : null;
}

/** What one deadline adds to the deadline rollup, kept per deadline as counted (deadline_rollup_items) like a demand's item. */
export interface DeadlineItem {
  deadlineId: number;
  demandId: number;
  day: string;
  unitId: number;
  step: string;
  standing: Standing;
}

/** A deadline's item at `now`; null when it counts nowhere (given up before it came due). */
export function deadlineItem(d: RollupDeadline, now: string, zone: string): DeadlineItem | null {
  const standing = deadlineStanding(d, now);
  if (standing === null) return null;
  return { deadlineId: d.id, demandId: d.demandId, day: localDate(d.demandCreatedAt, zone), unitId: d.unitId, step: d.step, standing };
}

export const sameDeadlineItem = (a: DeadlineItem, b: DeadlineItem): boolean =>
  a.demandId === b.demandId && a.day === b.day && a.unitId === b.unitId && a.step === b.step && a.standing === b.standing;

/** Adds deadline items into deadline_rollup rows (keyed day|unit|step), or takes them out (`sign` -1). */
export function addDeadlineItems(rows: Map<string, DeadlineCounts>, items: readonly DeadlineItem[], sign: 1 | -1 = 1): Map<string, DeadlineCounts> {
  for (const i of items) {
    const id = `${i.day}|${i.unitId}|${i.step}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { day: i.day, unitId: i.unitId, step: i.step, total: 0, inTime: 0, late: 0, running: 0 }));
    row.total += sign;
    row[i.standing] += sign;
  }
  return rows;
}

/**
 * What a rebuild writes of the items it counted, against those stored for the
 * same days: the new and the changed (`write`), and the ids of the stored
 * ones it did not count again (`gone`).
 */
export function itemChanges<I>(
  stored: ReadonlyMap<number, I>,
  counted: readonly I[],
  idOf: (item: I) => number,
  same: (a: I, b: I) => boolean,
): { write: I[]; gone: number[] } {
  const left = new Map(stored);
  const write = counted.filter((item) => {
    const was = left.get(idOf(item));
    left.delete(idOf(item));
    return was === undefined || !same(was, item);
  });
  return { write, gone: [...left.keys()] };
}

export function countDeadlines(deadlines: readonly RollupDeadline[], now: string, zone: string): DeadlineCounts[] {
  const items = deadlines.map((d) => deadlineItem(d, now, zone)).filter((i): i is DeadlineItem => i !== null);
  return [...addDeadlineItems(new Map(), items).values()];
}

// ── the standard reports (GET /api/reports/*) ──────────────────────────────

/** What the demand report groups by: the rollup's keys, and the day's ISO week or month. */
export const REPORT_GROUPS = ['unit', 'category', 'type', 'channel', 'day', 'week', 'month'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];
const TIME_GROUPS: readonly ReportGroup[] = ['day', 'week', 'month'];

/** The groupings asked for (`unit,category,month`), or the problem with them naming the bad value. */
export function parseGroupBy(raw: string | undefined): { groups: ReportGroup[] } | { problem: string } {
  const parts = (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const groups: ReportGroup[] = [];
  for (const part of parts) {
    if (!(REPORT_GROUPS as readonly string[]).includes(part)) return { problem: `"${part}" is not a grouping: use ${REPORT_GROUPS.join(', ')}` };
    if (groups.includes(part as ReportGroup)) return { problem: `"${part}" is named twice` };
    groups.push(part as ReportGroup);
  }
  const times = groups.filter((g) => TIME_GROUPS.includes(g));
  if (times.length > 1) return { problem: `"${times.join(',')}": group by one of day, week or month` };
  return { groups };
}

/** The ISO week (Monday first; the week of the year's first Thursday is week 1) of a local date: 2026-11-23 is `2026-W48`. */
export function isoWeekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  // The week's Thursday decides its year.
  const thursday = new Date(date.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A rate with what it is made of: null when there is nothing to divide by. */
export interface Share {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export function shareOf(numerator: number, denominator: number): Share {
  return { numerator, denominator, rate: denominator > 0 ? numerator / denominator : null };
}

/** Complaints per 10,000 customers; null for a unit without customers. */
export function per10k(complaints: number, customers: number): number | null {
  return customers > 0 ? (complaints * 10_000) / customers : null;
}

/** The most days a report spans: two years. */
export const MAX_REPORT_DAYS = 731;

/**
 * A report's period as local days (to exclusive) from the query's `from` and
 * `to`: dates, or instants that are a local midnight. The problem names the
 * field. `instantDay` gives an instant's local date and whether it is its start.
 */
export function reportDays(
  query: { from: string; to: string },
  instantDay: (instant: string) => { day: string; midnight: boolean } | null,
): { fromDay: string; toDay: string } | { field: 'from' | 'to'; problem: string } {
  const days: Partial<Record<'from' | 'to', string>> = {};
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      if (!new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) return { field, problem: `${value} is not a calendar date` };
      days[field] = value;
      continue;
    }
    const local = instantDay(value);
    if (!local) return { field, problem: `${value} is not a date or a time` };
    if (!local.midnight) return { field, problem: 'a report counts whole days: give a date YYYY-MM-DD or a local midnight' };
    days[field] = local.day;
  }
  const fromDay = days.from!;
  const toDay = days.to!;
  if (toDay <= fromDay) return { field: 'to', problem: 'must be after from' };
  if ((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000 > MAX_REPORT_DAYS)
    return { field: 'to', problem: 'a report spans at most two years' };
  return { fromDay, toDay };
}

/** Counts summed into groups by a key: the rows of days folded into weeks, or units into counties. */
export function sumBy<R extends object>(rows: readonly R[], keyOf: (row: R) => string, fields: readonly (keyof R)[], make: (row: R) => R): R[] {
  const out = new Map<string, R>();
  for (const row of rows) {
    const key = keyOf(row);
    const into = out.get(key);
    if (!into) out.set(key, { ...make(row) });
    else for (const f of fields) (into[f] as number) += row[f] as number;
  }
  return [...out.values()];
}
