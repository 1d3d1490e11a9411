import type { CentreDashboard, UnitDashboard, Wallboard } from '../../../shared/schemas/dashboards.js';
import { DEADLINE_STEPS } from '../../../shared/schemas/settings.js';
import type { DemandType } from '../../../shared/codes.js';
import { addDays, localDate, startOfLocalDate } from '../../../shared/time.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, isCityWide } from '../../platform/policy.js';
import { computeEvaluation } from '../evaluation/service.js';
import { quarterPeriod } from '../evaluation/rules.js';
import { expertsOf } from '../experts/service.js';
import { onDuty } from '../experts/rules.js';
import { allUnits, unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import { deadlineCounts, demandCounts } from '../reports/rollup.js';
import * as repo from './repository.js';
import {
  AGENT_STEPS,
  callsPerHour,
  comparisonPeriods,
  daysEnding,
  evaluatedUnitOf,
  figuresOf,
  monthsEnding,
  satisfactionOf,
  seriesByType,
  stepTotals,
  timelinessOf,
  wallboardUnits,
  worstUnits,
  type DayTypeCounts,
} from './rules.js';

type DeadlineStep = (typeof DEADLINE_STEPS)[number];

// The centre manager's dashboard, the team lead's wall screen and a unit's
// own page (issue 18, point 4). The centre's two pages are the city's: a
// city-wide role with report.read. A unit's page is any visible unit's: a
// unit's handlers see their unit and those below it, a 404 for any other.

function requireCityWide(ctx: ServiceContext, what: string): void {
  authorize(ctx.actor, 'report.read');
  if (!isCityWide(ctx.actor.roles)) throw new AppError('forbidden', `${what} shows the whole city: a unit’s figures are at /api/dashboard/unit`);
}

async function unitNamesById(ctx: ServiceContext): Promise<Map<number, string>> {
  return new Map((await allUnits(ctx.db)).map((u) => [u.id, u.name]));
}

/** Each unit's own steps summed (dispatching and calling back are the centre's, though the rollup counts them under the demand's unit). */
function unitSteps(rows: readonly { unit?: number; step?: string; inTime: number; late: number }[]) {
  const byUnit = new Map<number, { unitId: number; inTime: number; late: number }>();
  for (const r of rows) {
    if ((AGENT_STEPS as readonly (string | undefined)[]).includes(r.step)) continue;
    const u = byUnit.get(r.unit!) ?? { unitId: r.unit!, inTime: 0, late: 0 };
    u.inTime += r.inTime;
    u.late += r.late;
    byUnit.set(r.unit!, u);
  }
  return [...byUnit.values()];
}

const named = (names: Map<number, string>) => (f: { unitId: number; value: number; of: number }) => ({ ...f, unitName: names.get(f.unitId) ?? '' });

/** GET /api/dashboard/centre: today and this month against the periods before, the trends, and this month's worst units. */
export async function centreDashboard(ctx: ServiceContext): Promise<CentreDashboard> {
  requireCityWide(ctx, 'the centre dashboard');
  const now = new Date(ctx.now());
  const zone = ctx.timeZone;
  const today = localDate(now, zone);
  const month = today.slice(0, 7);
  const tomorrow = addDays(today, 1);
  const periods = comparisonPeriods(today);
  const months = monthsEnding(month, 12);
  const days = daysEnding(today, 30);
  // One read of the rollups by day and type serves the comparisons and both trends.
  const fromDay = [`${months[0]}-01`, days[0]!, periods.lastMonthToDate.fromDay, periods.lastWeek.fromDay].sort()[0]!;
  const [rows, units, deadlines, names] = await Promise.all([
    demandCounts(ctx.db, { fromDay, toDay: tomorrow, groupBy: ['day', 'type'] }, now, zone),
    demandCounts(ctx.db, { ...periods.monthToDate, groupBy: ['unit'] }, now, zone),
    deadlineCounts(ctx.db, { ...periods.monthToDate, groupBy: ['unit', 'step'] }, now, zone),
    unitNamesById(ctx),
  ]);
  const byDay = rows as DayTypeCounts[];
  const name = named(names);
  return {
    now: now.toISOString(),
    today,
    month,
    periods: {
      today: figuresOf(byDay, periods.today),
      yesterday: figuresOf(byDay, periods.yesterday),
      lastWeek: figuresOf(byDay, periods.lastWeek),
      monthToDate: figuresOf(byDay, periods.monthToDate),
      lastMonthToDate: figuresOf(byDay, periods.lastMonthToDate),
    },
    daily: { days, series: seriesByType(byDay, days, (d) => d) },
    monthly: { months, series: seriesByType(byDay, months, (d) => d.slice(0, 7)) },
    worst: {
      overdue: worstUnits(
        units.map((u) => ({ unitId: u.unit!, value: u.overdue, of: u.cases })),
        'high',
      ).map(name),
      timeliness: worstUnits(
        unitSteps(deadlines).map((u) => ({ unitId: u.unitId, value: timelinessOf(u) ?? 0, of: u.inTime + u.late })),
        'low',
      ).map(name),
      satisfaction: worstUnits(
        units.map((u) => ({ unitId: u.unit!, value: satisfactionOf(u) ?? 0, of: u.satisfied + u.unsatisfied })),
        'low',
      ).map(name),
    },
  };
}

const ESCALATIONS_SHOWN = 20;

/** GET /api/dashboard/wallboard: the open work by unit and step, the escalations, the experts on duty, today's calls per hour. */
export async function wallboard(ctx: ServiceContext): Promise<Wallboard> {
  requireCityWide(ctx, 'the wallboard');
  const now = new Date(ctx.now());
  const at = now.toISOString();
  const zone = ctx.timeZone;
  const today = localDate(now, zone);
  const dayFrom = startOfLocalDate(today, zone).toISOString();
  const dayTo = startOfLocalDate(addDays(today, 1), zone).toISOString();
  const [orders, steps, escalated, hours, experts, names] = await Promise.all([
    repo.openOrders(ctx.db),
    repo.liveSteps(ctx.db),
    repo.escalatedCases(ctx.db, ESCALATIONS_SHOWN),
    repo.callsByHour(ctx.db, dayFrom, dayTo),
    expertsOf(ctx.db),
    unitNamesById(ctx),
  ]);
  const live = steps.map((s) => ({ unitId: Number(s.unit_id), step: s.step, dueAt: s.due_at }));
  const units = wallboardUnits(
    orders.map((o) => ({ unitId: o.unit_id })),
    live,
    at,
  );
  const perHour = callsPerHour(hours, today, zone);
  const totals = stepTotals(live, at);
  return {
    now: at,
    today,
    totals: {
      waiting: orders.length,
      overdue: totals.reduce((a, s) => a + s.overdue, 0),
      running: totals.reduce((a, s) => a + s.running, 0),
      escalated: escalated.total,
      callsToday: perHour.reduce((a, b) => a + b, 0),
    },
    units: units.map((u) => ({ ...u, unitName: names.get(u.unitId) ?? '', steps: u.steps.map((s) => ({ ...s, step: s.step as DeadlineStep })) })),
    steps: totals.map((s) => ({ ...s, step: s.step as DeadlineStep })),
    escalations: escalated.rows.map((r) => ({
      demandId: r.id,
      number: r.number,
      type: r.type as DemandType,
      level: r.escalation_level,
      unitName: r.unit_name,
      createdAt: r.created_at,
      dueAt: r.due_at === null || r.due_at === undefined ? null : String(r.due_at),
    })),
    experts: experts
      .map((e) => ({
        name: e.name,
        unitName: e.unit_name,
        dutyFrom: e.duty_from ?? '00:00',
        dutyTo: e.duty_to ?? '24:00',
        available: (e.available ?? 1) === 1,
        openConsultations: Number(e.open_count ?? 0),
      }))
      .filter((e) => onDuty(e, now, zone))
      .sort((a, b) => Number(b.available) - Number(a.available) || a.unitName.localeCompare(b.unitName, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN')),
    callsPerHour: perHour,
  };
}

const QUEUE_SHOWN = 100;

/** GET /api/dashboard/unit: a unit's open orders with their limits, this month's timeliness by step, and its score this quarter. */
export async function unitDashboard(ctx: ServiceContext, query: { unitId?: number | undefined }): Promise<UnitDashboard> {
  authorize(ctx.actor, 'report.read');
  const unitId = query.unitId ?? ctx.actor.unitId;
  const visible = await visibleUnitIds(ctx);
  if (!visible.has(unitId)) throw notFound('unit');
  const now = new Date(ctx.now());
  const at = now.toISOString();
  const zone = ctx.timeZone;
  const today = localDate(now, zone);
  const [tree, units] = await Promise.all([unitTree(ctx.db), allUnits(ctx.db)]);
  const unit = units.find((u) => u.id === unitId);
  if (!unit) throw notFound('unit');
  const scope = [...subtreeOf(tree, unitId)].filter((id) => visible.has(id));
  const evaluated = evaluatedUnitOf(new Map(tree.map((u) => [u.id, u])), unitId);
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const [queue, steps, evaluation] = await Promise.all([
    repo.unitQueue(ctx.db, scope),
    deadlineCounts(ctx.db, { fromDay: `${today.slice(0, 7)}-01`, toDay: addDays(today, 1), unitIds: scope, groupBy: ['step'] }, now, zone),
    evaluated === null ? null : computeEvaluation(ctx.db, quarterPeriod(year, quarter, zone), zone),
  ]);
  const items = queue
    .map((q) => ({
      taskId: q.task_id,
      demandId: q.demand_id,
      number: q.number,
      type: q.type as DemandType,
      status: q.status,
      unitName: q.unit_name,
      createdAt: q.created_at,
      step: q.step ?? null,
      dueAt: q.due_at ?? null,
    }))
    .sort((a, b) => (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~') || a.createdAt.localeCompare(b.createdAt) || a.taskId - b.taskId);
  const byStatus = new Map<string, number>();
  for (const q of items) byStatus.set(q.status, (byStatus.get(q.status) ?? 0) + 1);
  const row = evaluation?.units.find((u) => u.unitId === evaluated);
  return {
    now: at,
    month: today.slice(0, 7),
    unitId,
    unitName: unit.name,
    unitCount: scope.length,
    queue: {
      total: items.length,
      byStatus: [...byStatus].map(([status, count]) => ({ status, count })),
      overdue: items.filter((q) => q.dueAt !== null && q.dueAt <= at).length,
      items: items.slice(0, QUEUE_SHOWN),
    },
    // The unit's own steps: dispatching and calling back are the centre's, though counted under the demand's unit.
    timeliness: steps
      .filter((s) => !(AGENT_STEPS as readonly (string | undefined)[]).includes(s.step))
      .map((s) => ({ step: s.step as DeadlineStep, total: s.total, inTime: s.inTime, late: s.late, running: s.running, rate: timelinessOf(s) }))
      .sort((a, b) => DEADLINE_STEPS.indexOf(a.step) - DEADLINE_STEPS.indexOf(b.step)),
    score:
      row && evaluation
        ? {
            year,
            quarter,
            unitId: row.unitId,
            unitName: row.unitName,
            kind: row.kind,
            score: row.score,
            rank: row.rank,
            of: evaluation.units.filter((u) => u.kind === row.kind).length,
            demands: row.demands,
            unresolved: row.unresolved,
            unresolvedRate: row.unresolvedRate,
            repeated: row.repeated,
          }
        : null,
  };
}
