import { CHANNELS, DEMAND_CATEGORIES, DEMAND_TYPES } from '../../../shared/codes.js';
import type {
  ComplaintsQuery,
  ComplaintsReport,
  DemandReport,
  DemandReportQuery,
  DemandReportRow,
  RatesQuery,
  RatesReport,
  TimelinessQuery,
  TimelinessReport,
} from '../../../shared/schemas/reports.js';
import { localDate, startOfLocalDate } from '../../../shared/time.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, isCityWide } from '../../platform/policy.js';
import { allUnits } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';

/** How many customers each unit serves: the denominators of rates per 10,000 customers (satisfaction reads them too). */
export const customersByUnit = repo.customersByUnit;
import { deadlineCounts, demandCounts, placeCounts, type CountDimension, type GroupedCounts } from './rollup.js';
import { isoWeekOf, parseGroupBy, per10k, reportDays, shareOf, sumBy, type ReportGroup } from './rules.js';

// The standard reports (issue 18, point 1): every count read through the
// rollups (rollup.ts: exact at any scheduler lag), for the city or a unit's
// subtree, a unit's handlers bounded by their units.

const refuse = (field: string, message: string) => new AppError('validation', `querystring.${field}: ${message}`, [{ path: `querystring.${field}`, message }]);

interface ReportUnit {
  id: number;
  name: string;
  kind: string;
  parentId: number | null;
}

interface Scope {
  fromDay: string;
  toDay: string;
  /** The units counted; undefined: every unit. */
  unitIds: number[] | undefined;
  units: Map<number, ReportUnit>;
  now: Date;
}

/** The period and the units a report covers, checked: a unit outside the caller's answers 404 as if it did not exist. */
async function scopeOf(ctx: ServiceContext, query: { from: string; to: string; unitId?: number | undefined }): Promise<Scope> {
  authorize(ctx.actor, 'report.read');
  const days = reportDays(query, (instant) => {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) return null;
    const day = localDate(ms, ctx.timeZone);
    return { day, midnight: startOfLocalDate(day, ctx.timeZone).getTime() === ms };
  });
  if ('problem' in days) throw refuse(days.field, days.problem);
  const rows = await allUnits(ctx.db);
  const units = new Map(rows.map((u) => [u.id, { id: u.id, name: u.name, kind: u.kind, parentId: u.parent_id }]));
  const visible = await visibleUnitIds(ctx);
  let unitIds = isCityWide(ctx.actor.roles) ? undefined : [...visible];
  if (query.unitId !== undefined) {
    if (!visible.has(query.unitId) || !units.has(query.unitId)) throw notFound('unit');
    unitIds = [...subtreeOf([...units.values()], query.unitId)];
  }
  return { ...days, unitIds, units, now: new Date(ctx.now()) };
}

const nameOf = (scope: Scope, id: number) => scope.units.get(id)?.name ?? `#${id}`;

// ── demands by unit × category × type × channel × day/week/month ──────────────
const ORDER: Record<string, readonly string[]> = { category: ['', ...DEMAND_CATEGORIES], type: DEMAND_TYPES, channel: CHANNELS };

/** Rows in the order of their groupings: time ascending, units by id, codes in the order of their lists. */
function compareBy(groups: readonly ReportGroup[]) {
  return (a: GroupedCounts & { week?: string }, b: GroupedCounts & { week?: string }): number => {
    for (const g of groups) {
      const x = g === 'unit' ? a.unit : a[g];
      const y = g === 'unit' ? b.unit : b[g];
      if (x === y) continue;
      const order = ORDER[g];
      if (order) return order.indexOf(String(x)) - order.indexOf(String(y)) || String(x).localeCompare(String(y));
      return (x ?? '') < (y ?? '') ? -1 : 1;
    }
    return 0;
  };
}

const SUMMED = ['calls', 'cases', 'closed', 'overdue', 'repeated', 'handled', 'firstResolved', 'satisfied', 'unsatisfied'] as const;

export async function demandReport(ctx: ServiceContext, query: DemandReportQuery): Promise<DemandReport> {
  const scope = await scopeOf(ctx, query);
  const parsed = parseGroupBy(query.groupBy);
  if ('problem' in parsed) throw refuse('groupBy', parsed.problem);
  const groups = parsed.groups;
  let types: string[] | undefined;
  if (query.type !== undefined) {
    types = query.type.split(',').map((t) => t.trim());
    const bad = types.find((t) => !(DEMAND_TYPES as readonly string[]).includes(t));
    if (bad !== undefined) throw refuse('type', `"${bad}" is not a demand type: use ${DEMAND_TYPES.join(', ')}`);
  }
  // A week is folded from its days; the rollup knows days and months.
  const dims = groups.map((g) => (g === 'week' ? 'day' : g)) as CountDimension[];
  let counted: (GroupedCounts & { week?: string })[] = await demandCounts(
    ctx.db,
    { fromDay: scope.fromDay, toDay: scope.toDay, unitIds: scope.unitIds, types, groupBy: dims },
    scope.now,
    ctx.timeZone,
  );
  if (groups.includes('week')) {
    const others = groups.filter((g) => g !== 'week');
    counted = sumBy(
      counted.map((r) => ({ ...r, week: isoWeekOf(r.day!) })),
      (r) => [r.week, ...others.map((g) => (g === 'unit' ? r.unit : r[g as Exclude<ReportGroup, 'unit' | 'week'>]))].join('|'),
      SUMMED,
      ({ day: _day, ...r }) => r,
    );
  }
  counted.sort(compareBy(groups));
  const rows = counted.map((r): DemandReportRow => {
    const row: DemandReportRow = { count: r.cases, closed: r.closed, overdue: r.overdue, calls: r.calls };
    for (const g of groups) {
      if (g === 'unit') Object.assign(row, { unitId: r.unit!, unitName: nameOf(scope, r.unit!) });
      else if (g === 'category') row.category = r.category === '' ? null : (r.category ?? null);
      else row[g] = r[g]!;
    }
    return row;
  });
  const totals = { count: 0, closed: 0, overdue: 0, calls: 0 };
  for (const r of rows) for (const f of ['count', 'closed', 'overdue', 'calls'] as const) totals[f] += r[f];
  return { from: scope.fromDay, to: scope.toDay, groupBy: groups, total: totals.count, totals, rows };
}

// ── timeliness by unit × step ────────────────────────────────────────────────
const STEP_ORDER = ['dispatch', 'arrive', 'restore', 'contact', 'answer', 'callback', 'transfer_answer'];
const stepIndex = (step: string) => (STEP_ORDER.includes(step) ? STEP_ORDER.indexOf(step) : STEP_ORDER.length);

function standing(c: { total: number; inTime: number; late: number; running: number }) {
  return { total: c.total, inTime: c.inTime, late: c.late, running: c.running, inTimeRate: shareOf(c.inTime, c.inTime + c.late).rate };
}

export async function timelinessReport(ctx: ServiceContext, query: TimelinessQuery): Promise<TimelinessReport> {
  const scope = await scopeOf(ctx, query);
  const counted = await deadlineCounts(
    ctx.db,
    { fromDay: scope.fromDay, toDay: scope.toDay, unitIds: scope.unitIds, groupBy: ['unit', 'step'] },
    scope.now,
    ctx.timeZone,
  );
  counted.sort((a, b) => a.unit! - b.unit! || stepIndex(a.step!) - stepIndex(b.step!));
  const fields = ['total', 'inTime', 'late', 'running'] as const;
  const steps = sumBy(
    counted,
    (r) => r.step!,
    fields,
    (r) => ({ step: r.step, total: r.total, inTime: r.inTime, late: r.late, running: r.running }),
  );
  steps.sort((a, b) => stepIndex(a.step!) - stepIndex(b.step!));
  const total = { total: 0, inTime: 0, late: 0, running: 0 };
  for (const r of counted) for (const f of fields) total[f] += r[f];
  return {
    from: scope.fromDay,
    to: scope.toDay,
    rows: counted.map((r) => ({ unitId: r.unit!, unitName: nameOf(scope, r.unit!), step: r.step!, ...standing(r) })),
    steps: steps.map((s) => ({ step: s.step!, ...standing(s) })),
    total: standing(total),
  };
}

// ── resolution, repeat and satisfaction rates by unit or channel ────────────────
function rates(c: Pick<GroupedCounts, (typeof SUMMED)[number]>) {
  return {
    cases: c.cases,
    calls: c.calls,
    resolution: shareOf(c.firstResolved, c.handled),
    closure: shareOf(c.closed, c.cases),
    repeat: shareOf(c.repeated, c.cases),
    satisfaction: shareOf(c.satisfied, c.satisfied + c.unsatisfied),
  };
}

export async function ratesReport(ctx: ServiceContext, query: RatesQuery): Promise<RatesReport> {
  const scope = await scopeOf(ctx, query);
  const by = query.by ?? 'unit';
  const counted = await demandCounts(ctx.db, { fromDay: scope.fromDay, toDay: scope.toDay, unitIds: scope.unitIds, groupBy: [by] }, scope.now, ctx.timeZone);
  counted.sort(compareBy([by]));
  const total = Object.fromEntries(SUMMED.map((f) => [f, 0])) as Record<(typeof SUMMED)[number], number>;
  for (const r of counted) for (const f of SUMMED) total[f] += r[f];
  return {
    from: scope.fromDay,
    to: scope.toDay,
    by,
    rows: counted.map((r) => ({
      ...(by === 'unit' ? { unitId: r.unit!, unitName: nameOf(scope, r.unit!) } : { channel: r.channel! }),
      ...rates(r),
    })),
    total: rates(total),
  };
}

// ── complaints per 10,000 customers by county and station ───────────────────────
export async function complaintsReport(ctx: ServiceContext, query: ComplaintsQuery): Promise<ComplaintsReport> {
  const scope = await scopeOf(ctx, query);
  // A complaint counts where its customer is served (the demand's station), not where it was routed: a
  // complaint about supply service goes to 市场营销部, but it is the county's customers who complained.
  const [places, customers] = await Promise.all([
    placeCounts(ctx.db, { fromDay: scope.fromDay, toDay: scope.toDay, types: ['complaint'] }, scope.now, ctx.timeZone),
    repo.customersByUnit(ctx.db),
  ]);
  const complaintsOf = new Map(places.map((r) => [r.stationId, r.cases]));
  const tree = [...scope.units.values()];
  const inScope = scope.unitIds ? new Set(scope.unitIds) : null;
  const sumOver = (ids: Iterable<number>, of: Map<number, number>) => {
    let n = 0;
    for (const id of ids) if (!inScope || inScope.has(id)) n += of.get(id) ?? 0;
    return n;
  };
  const rows: ComplaintsReport['rows'] = [];
  const add = (unit: ReportUnit) => {
    if (inScope && !inScope.has(unit.id)) return;
    const subtree = subtreeOf(tree, unit.id);
    const complaints = sumOver(subtree, complaintsOf);
    const served = sumOver(subtree, customers);
    rows.push({
      unitId: unit.id,
      unitName: unit.name,
      kind: unit.kind as 'county' | 'station',
      parentId: unit.parentId,
      complaints,
      customers: served,
      per10k: per10k(complaints, served),
    });
  };
  const counties = tree.filter((u) => u.kind === 'county');
  for (const county of counties) {
    add(county);
    for (const station of tree.filter((u) => u.kind === 'station' && u.parentId === county.id)) add(station);
  }
  // Stations under no county (an institute under a department) when they serve customers.
  for (const station of tree.filter((u) => u.kind === 'station' && !counties.some((c) => c.id === u.parentId)))
    if ((customers.get(station.id) ?? 0) > 0 || complaintsOf.has(station.id)) add(station);
  const all = inScope ?? new Set(tree.map((u) => u.id));
  // The city's total also counts the complaints whose place is unknown (station 0).
  const complaints = sumOver(all, complaintsOf) + (inScope ? 0 : (complaintsOf.get(0) ?? 0));
  const served = sumOver(all, customers);
  return { from: scope.fromDay, to: scope.toDay, rows, total: { complaints, customers: served, per10k: per10k(complaints, served) } };
}
