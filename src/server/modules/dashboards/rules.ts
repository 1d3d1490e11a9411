import type { Role } from '../../../shared/codes.js';
import { DEMAND_TYPES, type DemandType } from '../../../shared/codes.js';
import type { PeriodFigures } from '../../../shared/schemas/dashboards.js';
import { addDays, addMonths, localDate, localTime } from '../../../shared/time.js';

// The dashboards' and the staff figures' arithmetic, as plain functions over
// plain rows: which days a comparison spans, the sums and shares shown, the
// worst units, the hours of today's calls, and whose staff figures a caller
// sees. The counts come from the reports' rollups (reports/rollup.ts) and from
// grouped queries of the module's repository.

/** part / whole, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Callback satisfaction: the satisfied among the callbacks that reached the customer. */
export const satisfactionOf = (c: { satisfied: number; unsatisfied: number }) => share(c.satisfied, c.satisfied + c.unsatisfied);

/** Timeliness: the steps met in time among those decided (met, or past their limit); running steps are not yet decided. */
export const timelinessOf = (c: { inTime: number; late: number }) => share(c.inTime, c.inTime + c.late);

/** A range of local days: from inclusive, to exclusive. */
export interface DayRange {
  fromDay: string;
  toDay: string;
}

export interface Comparison {
  today: DayRange;
  yesterday: DayRange;
  /** The same weekday a week before. */
  lastWeek: DayRange;
  monthToDate: DayRange;
  /** Last month from its first day to the same day of the month; a shorter month stops at its end. */
  lastMonthToDate: DayRange;
}

const day = (fromDay: string): DayRange => ({ fromDay, toDay: addDays(fromDay, 1) });

/** The periods the centre dashboard sets side by side, as of the local date `today`. */
export function comparisonPeriods(today: string): Comparison {
  const month = today.slice(0, 7);
  const dayOfMonth = Number(today.slice(8, 10));
  const lastMonth = addMonths(month, -1);
  const lastMonthEnd = `${month}-01`;
  const sameDay = addDays(`${lastMonth}-01`, dayOfMonth);
  return {
    today: day(today),
    yesterday: day(addDays(today, -1)),
    lastWeek: day(addDays(today, -7)),
    monthToDate: { fromDay: `${month}-01`, toDay: addDays(today, 1) },
    lastMonthToDate: { fromDay: `${lastMonth}-01`, toDay: sameDay < lastMonthEnd ? sameDay : lastMonthEnd },
  };
}

/** A rollup row grouped by day and type (reports/rollup.ts demandCounts with groupBy ['day', 'type']). */
export interface DayTypeCounts {
  day: string;
  type: string;
  calls: number;
  cases: number;
  overdue: number;
  satisfied: number;
  unsatisfied: number;
}

/** The figures of a range of days, summed from rows of days and types. */
export function figuresOf(rows: readonly DayTypeCounts[], range: DayRange): PeriodFigures {
  const f = { calls: 0, cases: 0, complaints: 0, overdue: 0, satisfied: 0, unsatisfied: 0 };
  for (const r of rows) {
    if (r.day < range.fromDay || r.day >= range.toDay) continue;
    f.calls += r.calls;
    f.cases += r.cases;
    if (r.type === 'complaint') f.complaints += r.cases;
    f.overdue += r.overdue;
    f.satisfied += r.satisfied;
    f.unsatisfied += r.unsatisfied;
  }
  return { ...range, ...f, satisfaction: satisfactionOf(f) };
}

/** The `count` consecutive local dates ending with `last`. */
export function daysEnding(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(last, i - count + 1));
}

/** The `count` consecutive months ending with `last` (YYYY-MM). */
export function monthsEnding(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}

/**
 * Cases per bucket (a day, or a month: the first characters of the day) by
 * type, one series per type that has any, in the taxonomy's order.
 */
export function seriesByType(rows: readonly DayTypeCounts[], buckets: readonly string[], bucketOf: (day: string) => string) {
  const index = new Map(buckets.map((b, i) => [b, i]));
  const byType = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(bucketOf(r.day));
    if (i === undefined || r.cases === 0) continue;
    let counts = byType.get(r.type);
    if (!counts) byType.set(r.type, (counts = buckets.map(() => 0)));
    counts[i]! += r.cases;
  }
  return DEMAND_TYPES.filter((t) => byType.has(t)).map((type) => ({ type: type as DemandType, counts: byType.get(type)! }));
}

export interface UnitFigure {
  unitId: number;
  value: number;
  of: number;
}

/**
 * The `n` worst units by a figure: the highest first when `worst` is 'high'
 * (overdue cases), the lowest first when 'low' (a share). Units with nothing
 * to count are left out; ties go to the unit with more behind the figure.
 */
export function worstUnits(figures: readonly UnitFigure[], worst: 'high' | 'low', n = 5): UnitFigure[] {
  const sign = worst === 'high' ? -1 : 1;
  return figures
    .filter((f) => f.of > 0 && (worst === 'low' || f.value > 0))
    .sort((a, b) => sign * (a.value - b.value) || b.of - a.of || a.unitId - b.unitId)
    .slice(0, n);
}

/**
 * Today's calls per local hour, from counts per UTC hour (`YYYY-MM-DDTHH`, the
 * first 13 characters of an ISO instant): an hour of UTC is an hour of the
 * zone's clock wherever the zone's offset is whole hours.
 */
export function callsPerHour(buckets: readonly { hour: string; calls: number }[], today: string, zone: string): number[] {
  const hours = Array.from({ length: 24 }, () => 0);
  for (const b of buckets) {
    const instant = `${b.hour}:30:00.000Z`;
    if (localDate(instant, zone) !== today) continue;
    hours[Number(localTime(instant, zone).slice(0, 2))]! += b.calls;
  }
  return hours;
}

/** A live deadline on the wall screen: the unit that owes it and whether it is past its limit. */
export interface LiveStep {
  unitId: number;
  step: string;
  dueAt: string;
}

export interface OpenOrder {
  unitId: number;
}

/** Per unit: open orders, and live steps running or past their limit at `now`; the most overdue units first. */
export function wallboardUnits(orders: readonly OpenOrder[], steps: readonly LiveStep[], now: string) {
  const units = new Map<
    number,
    { unitId: number; waiting: number; overdue: number; running: number; steps: Map<string, { running: number; overdue: number }> }
  >();
  const unit = (unitId: number) => {
    let u = units.get(unitId);
    if (!u) units.set(unitId, (u = { unitId, waiting: 0, overdue: 0, running: 0, steps: new Map() }));
    return u;
  };
  for (const o of orders) unit(o.unitId).waiting++;
  for (const s of steps) {
    const u = unit(s.unitId);
    let byStep = u.steps.get(s.step);
    if (!byStep) u.steps.set(s.step, (byStep = { running: 0, overdue: 0 }));
    if (s.dueAt <= now) {
      u.overdue++;
      byStep.overdue++;
    } else {
      u.running++;
      byStep.running++;
    }
  }
  return [...units.values()]
    .sort((a, b) => b.overdue - a.overdue || b.waiting - a.waiting || a.unitId - b.unitId)
    .map((u) => ({ ...u, steps: [...u.steps].map(([step, c]) => ({ step, ...c })) }));
}

/** The city's live steps by step. */
export function stepTotals(steps: readonly LiveStep[], now: string) {
  const byStep = new Map<string, { step: string; running: number; overdue: number }>();
  for (const s of steps) {
    let c = byStep.get(s.step);
    if (!c) byStep.set(s.step, (c = { step: s.step, running: 0, overdue: 0 }));
    if (s.dueAt <= now) c.overdue++;
    else c.running++;
  }
  return [...byStep.values()];
}

// ── the unit page ─────────────────────────────────────────────────────────
export interface TreeUnit {
  id: number;
  kind: string;
  parentId: number | null;
}

/** The evaluated unit (a department or a county bureau) a unit is, or belongs to: the nearest such unit at or above it. */
export function evaluatedUnitOf(units: ReadonlyMap<number, TreeUnit>, unitId: number): number | null {
  const seen = new Set<number>();
  for (let u = units.get(unitId); u && !seen.has(u.id); u = u.parentId === null ? undefined : units.get(u.parentId)) {
    if (u.kind === 'department' || u.kind === 'county') return u.id;
    seen.add(u.id);
  }
  return null;
}

// ── staff figures ─────────────────────────────────────────────────────────
/** The steps an agent answers for (the centre's: dispatching, calling back) and those a handler does (the unit's). */
export const AGENT_STEPS = ['dispatch', 'callback'] as const;
export const HANDLER_STEPS = ['arrive', 'restore', 'contact', 'answer'] as const;

export interface Viewer {
  userId: number;
  roles: readonly Role[];
  unitId: number;
  /** The units the viewer heads (负责人). */
  heads: readonly number[];
}

export interface StaffMember {
  userId: number;
  unitId: number;
  role: 'agent' | 'handler';
}

export type StaffScope = 'all' | 'team' | 'unit' | 'self';

/**
 * Whose figures a viewer sees: the centre manager and the analysts everyone;
 * a team lead the agents of their unit (their team); a unit's head the
 * handlers of the unit they head; everyone else (an agent, a handler) only
 * themselves.
 */
export function staffScope(viewer: Viewer): StaffScope {
  if (viewer.roles.includes('centre_manager') || viewer.roles.includes('analyst')) return 'all';
  if (viewer.roles.includes('team_lead')) return 'team';
  if (viewer.heads.length > 0) return 'unit';
  return 'self';
}

export function seesStaffMember(viewer: Viewer, member: StaffMember): boolean {
  if (member.userId === viewer.userId) return true;
  const scope = staffScope(viewer);
  if (scope === 'all') return true;
  if (scope === 'team') return member.role === 'agent' && member.unitId === viewer.unitId;
  if (scope === 'unit') return member.role === 'handler' && viewer.heads.includes(member.unitId);
  return false;
}

/** One person's counts of a month, as the repository groups them. */
export interface StaffCounts {
  taken: number;
  cases: number;
  inTime: number;
  late: number;
  running: number;
  satisfied: number;
  unsatisfied: number;
  /** Agents only. */
  firstCallResolved: number | null;
}

export const NO_COUNTS: StaffCounts = { taken: 0, cases: 0, inTime: 0, late: 0, running: 0, satisfied: 0, unsatisfied: 0, firstCallResolved: null };

/** A person's month as shown: the counts and their shares. First-call resolution is an agent's: of the cases they took. */
export function staffFigures(role: 'agent' | 'handler', c: StaffCounts) {
  const fcr = role === 'agent' ? (c.firstCallResolved ?? 0) : null;
  return {
    taken: c.taken,
    cases: c.cases,
    stepsInTime: c.inTime,
    stepsLate: c.late,
    stepsRunning: c.running,
    timeliness: timelinessOf(c),
    satisfied: c.satisfied,
    unsatisfied: c.unsatisfied,
    satisfaction: satisfactionOf(c),
    firstCallResolved: fcr,
    firstCallResolution: fcr === null ? null : share(fcr, c.cases),
  };
}
