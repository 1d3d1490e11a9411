import { COUNTED_TYPES } from '../../../shared/codes.js';
import {
  ELASTICITY_CATEGORIES,
  SATISFACTION_DIMENSIONS,
  type Elasticity,
  type ElasticityCategory,
  type SatisfactionQuery,
  type SatisfactionResponse,
  type SurveyImportResult,
  type SurveyPeriod,
  type WhatIf,
  type WhatIfQuery,
} from '../../../shared/schemas/satisfaction.js';
import { addDays, addMonths, localDate } from '../../../shared/time.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize, isCityWide } from '../../platform/policy.js';
import { allUnits, unitTree } from '../org/directory.js';
import { subtreeOf } from '../org/rules.js';
import { visibleUnitIds } from '../org/service.js';
import { demandCounts, placeCounts } from '../reports/rollup.js';
import { customersByUnit } from '../reports/service.js';
import * as repo from './repository.js';
import {
  callbackRate,
  checkSurveyRows,
  daysOf,
  demandRate,
  estimateElasticity,
  monthsOf,
  round,
  SCORE_COLUMNS,
  surveyColumns,
  whatIf,
  type FitPeriod,
  type PeriodKind,
  type Rejection,
  type SurveyCells,
} from './rules.js';
import { surveyTable } from './workbook.js';

// 客户满意度: the survey import (all or nothing, every bad row named), the
// surveys beside the period's demand rates, the elasticity (the seed's until
// the city has its own periods), the what-if, and the callbacks' satisfaction
// by channel and unit from the demand rollup. A unit's handlers see the city's
// rows and their own units'.

// ── the import ─────────────────────────────────────────────────────────────

/** POST /api/satisfaction/surveys: checks every row, then saves all or nothing (a period and unit imported before is replaced). */
export async function importSurveys(ctx: ServiceContext, body: Buffer | string, contentType: string, fileName: string | null): Promise<SurveyImportResult> {
  authorize(ctx.actor, 'report.manage');
  const table = await surveyTable(body, contentType);
  if ('refused' in table) throw new AppError('validation', `${fileName ?? 'the file'}: ${table.refused}`);
  const nonEmpty = table.rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonEmpty[0];
  if (!header)
    return refused([{ row: 1, problem: 'the file is empty: give the columns period (期间), unitId (单位), the eight dimensions and overall (总体)' }]);
  const found = surveyColumns(header.cells);
  if ('missing' in found) return refused([{ row: header.number, problem: `the header has no column ${found.missing.join(', ')}` }]);
  const { columns } = found;
  const cells: SurveyCells[] = nonEmpty.slice(1).map((r) => ({
    row: r.number,
    period: r.cells[columns.period] ?? '',
    unit: columns.unit === null ? '' : (r.cells[columns.unit] ?? ''),
    scores: Object.fromEntries(SCORE_COLUMNS.map((k) => [k, r.cells[columns[k]] ?? ''])) as SurveyCells['scores'],
  }));
  if (cells.length === 0) return refused([{ row: header.number, problem: 'the file has no rows under its header' }]);

  const units = await allUnits(ctx.db);
  const byText = new Map<string, number>();
  for (const u of units) {
    byText.set(String(u.id), u.id);
    byText.set(u.code.toLowerCase(), u.id);
    byText.set(u.name, u.id);
  }
  const checked = checkSurveyRows(cells, (text) => byText.get(text) ?? byText.get(text.toLowerCase()) ?? null, localDate(ctx.now(), ctx.timeZone));
  const rejected = [...checked.rejected];
  // A manager bounded by units (none today: report.manage is the centre's) imports only their units' rows.
  if (!isCityWide(ctx.actor.roles)) {
    const visible = await visibleUnitIds(ctx);
    for (const r of checked.rows)
      if (r.unitId === null || !visible.has(r.unitId))
        rejected.push({ row: r.row, problem: r.unitId === null ? 'only the centre imports the city’s survey' : 'the unit is not one of yours' });
  }
  if (rejected.length > 0) return refused(rejected);

  const rows = checked.rows.map((r) => ({ period: r.period, period_kind: r.kind, period_from: r.from, period_to: r.to, unit_id: r.unitId, scores: r.scores }));
  const at = ctx.now();
  await ctx.transact(async (trx) => {
    const importId = await repo.insertImport(trx, { file_name: fileName ?? 'survey', rows: rows.length, created_by: ctx.actor.userId, created_at: at });
    await repo.upsertSurveys(trx, rows, importId, at);
    await recordAudit(trx, ctx, {
      action: 'satisfaction.imported',
      entityType: 'satisfaction_import',
      entityId: importId,
      after: { fileName, rows: rows.length, periods: [...new Set(rows.map((r) => r.period))].sort() },
    });
  });
  return { imported: rows.length, rejected: [] };
}

const refused = (rejected: Rejection[]): SurveyImportResult => ({ imported: 0, rejected: rejected.sort((a, b) => a.row - b.row) });

// ── the demands beside the surveys ─────────────────────────────────────────

type Cases = Record<ElasticityCategory, number>;

/**
 * The counted demands (cases) per month × category over the local days
 * [fromDay, toDay), from the rollups: the city's every case; a unit's, the
 * cases of the customers its stations serve (the place: a county's outage and
 * supply-service demands are routed to the departments, but it is the
 * county's customers who made them, and whom its survey asked). The places
 * are read only `withUnits` (the city's model needs none).
 */
async function monthlyCases(ctx: ServiceContext, fromDay: string, toDay: string, withUnits: boolean) {
  const now = new Date(ctx.now());
  const [city, places] = await Promise.all([
    demandCounts(ctx.db, { fromDay, toDay, types: COUNTED_TYPES, groupBy: ['month', 'category'] }, now, ctx.timeZone),
    withUnits
      ? placeCounts(ctx.db, { fromDay, toDay, types: COUNTED_TYPES, categories: ELASTICITY_CATEGORIES, groupBy: ['month', 'category'] }, now, ctx.timeZone)
      : [],
  ]);
  return (months: readonly string[], units: ReadonlySet<number> | null): Cases => {
    const wanted = new Set(months);
    const cases: Cases = { outage_voltage: 0, supply_service: 0 };
    const counted = (category: string | undefined): category is ElasticityCategory => (ELASTICITY_CATEGORIES as readonly string[]).includes(category ?? '');
    if (units === null) {
      for (const r of city) if (wanted.has(r.month!) && counted(r.category)) cases[r.category] += r.cases;
    } else for (const r of places) if (wanted.has(r.month!) && units.has(r.stationId) && counted(r.category)) cases[r.category] += r.cases;
    return cases;
  };
}

const spanOf = (rows: readonly { period_from: string; period_to: string }[]) =>
  rows.length === 0
    ? null
    : {
        from: rows.reduce((m, r) => (r.period_from < m ? r.period_from : m), rows[0]!.period_from),
        to: rows.reduce((m, r) => (r.period_to > m ? r.period_to : m), rows[0]!.period_to),
      };

/** The elasticity from every city survey, and the latest city score the what-if starts from. */
async function cityModel(ctx: ServiceContext): Promise<{ elasticity: Elasticity; base: { period: string; overall: number } | null }> {
  const city = await repo.citySurveys(ctx.db);
  const today = localDate(ctx.now(), ctx.timeZone);
  const span = spanOf(city);
  const casesOf = span ? await monthlyCases(ctx, span.from, span.to, false) : null;
  const periods: FitPeriod[] = city.map((r) => {
    const p = { period: r.period, kind: r.period_kind as PeriodKind, from: r.period_from, to: r.period_to };
    return { ...p, overall: r.overall, cases: casesOf!(monthsOf(p), null) };
  });
  // The latest: the period that ends last, the shortest of those (a quarter's survey is newer news than its year's).
  const latest = [...city].sort((a, b) => b.period_to.localeCompare(a.period_to) || b.period_from.localeCompare(a.period_from))[0];
  return { elasticity: estimateElasticity(periods, today), base: latest ? { period: latest.period, overall: latest.overall } : null };
}

const changeOf = (q: { outageVoltage?: number | undefined; supplyService?: number | undefined }, fallback: Cases): Cases => ({
  outage_voltage: q.outageVoltage ?? fallback.outage_voltage,
  supply_service: q.supplyService ?? fallback.supply_service,
});

/** GET /api/satisfaction/what-if: the expected change of overall satisfaction for a change of each category's demand rate. */
export async function satisfactionWhatIf(ctx: ServiceContext, query: WhatIfQuery): Promise<WhatIf> {
  authorize(ctx.actor, 'report.read');
  const { elasticity, base } = await cityModel(ctx);
  return whatIf(elasticity, changeOf(query, { outage_voltage: 0, supply_service: 0 }), base);
}

/** GET /api/satisfaction. */
export async function satisfaction(ctx: ServiceContext, query: SatisfactionQuery): Promise<SatisfactionResponse> {
  authorize(ctx.actor, 'report.read');
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to)
    throw new AppError('validation', 'querystring.to: must be after from', [{ path: 'querystring.to', message: 'must be after from' }]);
  const today = localDate(ctx.now(), ctx.timeZone);
  const scope = isCityWide(ctx.actor.roles) ? null : await visibleUnitIds(ctx);
  const [surveys, units, tree, customers, model] = await Promise.all([
    repo.listSurveys(ctx.db, query),
    allUnits(ctx.db),
    unitTree(ctx.db),
    customersByUnit(ctx.db),
    cityModel(ctx),
  ]);
  const names = new Map(units.map((u) => [u.id, u.name]));
  const shown = surveys.filter((r) => r.unit_id === null || scope === null || scope.has(r.unit_id));
  const span = spanOf(shown);
  const casesOf = span
    ? await monthlyCases(
        ctx,
        span.from,
        span.to,
        shown.some((r) => r.unit_id !== null),
      )
    : null;
  const allCustomers = [...customers.values()].reduce((a, b) => a + b, 0);
  const periods: SurveyPeriod[] = shown.map((r) => {
    const subtree = r.unit_id === null ? null : subtreeOf(tree, r.unit_id);
    const served = subtree === null ? allCustomers : [...subtree].reduce((s, id) => s + (customers.get(id) ?? 0), 0);
    const p = { from: r.period_from, to: r.period_to };
    const cases = casesOf!(monthsOf(p), subtree);
    const rate = (c: ElasticityCategory) => {
      const v = demandRate(cases[c], daysOf(p), served);
      return v === null ? null : round(v, 4);
    };
    return {
      period: r.period,
      kind: r.period_kind as PeriodKind,
      from: r.period_from,
      to: r.period_to,
      unitId: r.unit_id,
      unitName: r.unit_id === null ? null : (names.get(r.unit_id) ?? null),
      overall: r.overall,
      dimensions: Object.fromEntries(SATISFACTION_DIMENSIONS.map((d) => [d, r[d]])) as SurveyPeriod['dimensions'],
      demands: cases,
      rates: { outage_voltage: rate('outage_voltage'), supply_service: rate('supply_service') },
    };
  });

  // The callbacks: by default the last twelve months, this one included.
  const from = query.from ?? `${addMonths(today.slice(0, 7), -11)}-01`;
  const to = query.to ?? addDays(today, 1);
  const unitIds = scope === null ? undefined : [...scope];
  const now = new Date(ctx.now());
  const [byChannel, byUnit] = await Promise.all([
    demandCounts(ctx.db, { fromDay: from, toDay: to, unitIds, groupBy: ['channel'] }, now, ctx.timeZone),
    demandCounts(ctx.db, { fromDay: from, toDay: to, unitIds, groupBy: ['unit'] }, now, ctx.timeZone),
  ]);
  const counts = (r: { satisfied: number; unsatisfied: number }) => ({
    satisfied: r.satisfied,
    unsatisfied: r.unsatisfied,
    rate: callbackRate(r.satisfied, r.unsatisfied),
  });
  const total = byChannel.reduce((t, r) => ({ satisfied: t.satisfied + r.satisfied, unsatisfied: t.unsatisfied + r.unsatisfied }), {
    satisfied: 0,
    unsatisfied: 0,
  });
  const worstFirst = (a: { rate: number | null }, b: { rate: number | null }) => (a.rate ?? 2) - (b.rate ?? 2);
  return {
    periods,
    elasticity: model.elasticity,
    whatIf: whatIf(model.elasticity, changeOf(query, { outage_voltage: -10, supply_service: 0 }), model.base),
    callbacks: {
      from,
      to,
      total: counts(total),
      byChannel: byChannel
        .filter((r) => r.satisfied + r.unsatisfied > 0)
        .map((r) => ({ channel: r.channel!, ...counts(r) }))
        .sort(worstFirst),
      byUnit: byUnit
        .filter((r) => r.satisfied + r.unsatisfied > 0)
        .map((r) => ({ unitId: r.unit!, unitName: names.get(r.unit!) ?? '', ...counts(r) }))
        .sort(worstFirst),
    },
    customers: scope === null ? allCustomers : [...scope].reduce((s, id) => s + (customers.get(id) ?? 0), 0),
  };
}
