import type {
  CreateEvaluationBody,
  CreateEvaluationEventBody,
  EvaluationDoc,
  EvaluationEvent,
  EvaluationResponse,
  EvaluationSummary,
  EvaluationTrend,
  EvaluationUnitRow,
} from '../../../shared/schemas/evaluation.js';
import type { EvaluationRowTable } from '../../db/types.js';
import { recordAudit } from '../../platform/audit.js';
import type { ServiceContext } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { authorize, can, isCityWide } from '../../platform/policy.js';
import { localDate } from '../../../shared/time.js';
import { notify } from '../../platform/notify.js';
import { findUnit } from '../org/directory.js';
import { visibleUnitIds } from '../org/service.js';
import * as repo from './repository.js';
import { countyOf, evaluate, instantOf, quarterPeriod, type EvaluationResult, type Period } from './rules.js';

// The evaluation: the centre's events, any period's scores, and the quarters
// computed as drafts and published (frozen; corrected by a revision with its
// reason). The centre sees every row; a unit's handlers their own unit's.

/** The units whose rows the caller sees: all for the centre, else their units and the county bureau they belong to. */
async function rowScope(ctx: ServiceContext): Promise<Set<number> | null> {
  if (isCityWide(ctx.actor.roles)) return null;
  const visible = new Set(await visibleUnitIds(ctx));
  const units = await repo.evaluationUnits(ctx.db);
  const county = countyOf(new Map(units.map((u) => [u.id, u])), ctx.actor.unitId);
  if (county !== null) visible.add(county);
  return visible;
}

const inScope = (scope: Set<number> | null) => (row: { unitId: number }) => scope === null || scope.has(row.unitId);

/** Computes every department's and county bureau's terms and score for a period; events carry local dates of the company's zone. */
export async function computeEvaluation(db: ServiceContext['db'], period: Period, timeZone: string): Promise<EvaluationResult> {
  const [units, routes, calls, events] = await Promise.all([
    repo.evaluationUnits(db),
    repo.categoryRoutes(db),
    repo.callsOfPeriod(db, period),
    repo.eventsBetween(db, localDate(period.from, timeZone), localDate(period.to, timeZone)),
  ]);
  return evaluate({ period, units, routes, calls, events, timeZone });
}

/** A period asked for in a query string (instants, or dates meaning their local midnight), checked: `to` after `from`, at most `maxYears` long. */
export function periodOfQuery(query: { from: string; to: string }, maxYears: number, timeZone: string): Period {
  const period = { from: instantOf(query.from, timeZone), to: instantOf(query.to, timeZone) };
  const refuse = (message: string) => new AppError('validation', `querystring.to: ${message}`, [{ path: 'querystring.to', message }]);
  if (period.from >= period.to) throw refuse('must be after from');
  if (Date.parse(period.to) - Date.parse(period.from) > maxYears * 366 * 86_400_000)
    throw refuse(maxYears === 1 ? 'a period is at most a year' : `a period is at most ${maxYears} years`);
  return period;
}

export async function evaluationOfPeriod(ctx: ServiceContext, query: { from: string; to: string }): Promise<EvaluationResponse> {
  authorize(ctx.actor, 'evaluation.read');
  const result = await computeEvaluation(ctx.db, periodOfQuery(query, 5, ctx.timeZone), ctx.timeZone);
  const scope = await rowScope(ctx);
  return { ...result, units: result.units.filter(inScope(scope)) };
}

// ── events ───────────────────────────────────────────────────────────────
function presentEvent(r: repo.EventRow): EvaluationEvent {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    kind: r.kind as EvaluationEvent['kind'],
    occurredOn: r.occurred_on,
    description: r.description,
    createdById: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
  };
}

/** 客服事件, 上级通报批评, 上级表扬: entered by the centre for a department or a county bureau, counted by their date. */
export async function recordEvent(ctx: ServiceContext, body: CreateEvaluationEventBody): Promise<EvaluationEvent> {
  authorize(ctx.actor, 'evaluation.manage');
  const unit = await findUnit(ctx.db, body.unitId);
  if (!unit || unit.active !== 1) throw invalid('unitId', `no active unit with id ${body.unitId}`);
  if (unit.kind !== 'department' && unit.kind !== 'county')
    throw invalid('unitId', `${unit.name} is not evaluated: events are entered for a department or a county bureau`);
  if (body.occurredOn > localDate(ctx.now(), ctx.timeZone)) throw invalid('occurredOn', 'must not be in the future');
  const id = await ctx.transact(async (trx) => {
    const id = await repo.insertEvent(trx, { ...body, createdBy: ctx.actor.userId, at: ctx.now() });
    await recordAudit(trx, ctx, { action: 'evaluation.event_recorded', entityType: 'evaluation_event', entityId: id, unitId: body.unitId, after: body });
    return id;
  });
  const [row] = await repo.listEvents(ctx.db, { id });
  return presentEvent(row!);
}

export async function listEvents(
  ctx: ServiceContext,
  query: { from?: string | undefined; to?: string | undefined; unitId?: number | undefined },
): Promise<EvaluationEvent[]> {
  authorize(ctx.actor, 'evaluation.read');
  const scope = await rowScope(ctx);
  let unitIds = scope === null ? undefined : [...scope];
  if (query.unitId !== undefined) unitIds = unitIds === undefined || unitIds.includes(query.unitId) ? [query.unitId] : [];
  return (await repo.listEvents(ctx.db, { from: query.from, to: query.to, unitIds })).map(presentEvent);
}

// ── the quarters ─────────────────────────────────────────────────────────
function presentSummary(r: repo.EvaluationDocRow): EvaluationSummary {
  return {
    id: r.id,
    year: r.year,
    quarter: r.quarter,
    revision: r.revision,
    status: r.status as EvaluationSummary['status'],
    from: r.period_from,
    to: r.period_to,
    total: r.total,
    reason: r.reason,
    computedAt: r.computed_at,
    publishedAt: r.published_at,
    publishedByName: r.published_by_name,
  };
}

export function presentRow(r: EvaluationRowTable): EvaluationUnitRow {
  return {
    unitId: r.unit_id,
    unitName: r.unit_name,
    kind: r.kind as EvaluationUnitRow['kind'],
    demands: r.demands,
    share: Number(r.share),
    unresolved: r.unresolved,
    unresolvedRate: Number(r.unresolved_rate),
    serviceEvents: r.service_events,
    repeated: r.repeated,
    criticisms: r.criticisms,
    praises: r.praises,
    score: Number(r.score),
    rank: r.rank,
  };
}

/** Drafts are the centre's working papers: a unit's handlers see published tables only. */
const seesDrafts = (ctx: ServiceContext) => can(ctx.actor, 'evaluation.manage') || isCityWide(ctx.actor.roles);

export async function getEvaluation(ctx: ServiceContext, id: number): Promise<EvaluationDoc> {
  authorize(ctx.actor, 'evaluation.read');
  const doc = await repo.findEvaluation(ctx.db, id);
  if (!doc || (doc.status === 'draft' && !seesDrafts(ctx))) throw notFound('evaluation');
  const scope = await rowScope(ctx);
  const rows = (await repo.rowsOf(ctx.db, [id])).map(presentRow).filter(inScope(scope));
  return { ...presentSummary(doc), units: rows };
}

export async function listEvaluations(ctx: ServiceContext, year?: number): Promise<EvaluationSummary[]> {
  authorize(ctx.actor, 'evaluation.read');
  const drafts = seesDrafts(ctx);
  return (await repo.listEvaluations(ctx.db, year)).filter((d) => drafts || d.status !== 'draft').map(presentSummary);
}

/**
 * Computes a quarter as a draft (201), or computes its draft again (200). A
 * published quarter is frozen: a correction is a new revision, computed as a
 * draft with its reason and published in its turn.
 */
export async function computeQuarter(ctx: ServiceContext, body: CreateEvaluationBody): Promise<{ doc: EvaluationDoc; created: boolean }> {
  authorize(ctx.actor, 'evaluation.manage');
  const period = quarterPeriod(body.year, body.quarter, ctx.timeZone);
  if (period.from > ctx.now()) throw invalid('quarter', `${body.year} Q${body.quarter} has not begun`);
  const result = await computeEvaluation(ctx.db, period, ctx.timeZone);
  const at = ctx.now();
  const { id, created } = await ctx.transact(async (trx) => {
    const latest = await repo.latestOfQuarter(trx, body.year, body.quarter);
    if (latest?.status === 'draft') {
      if (!(await repo.refreshDraft(trx, latest.id, result.total, at))) throw conflict('the draft was published meanwhile; reload it');
      await repo.replaceRows(trx, latest.id, result.units);
      await recordAudit(trx, ctx, {
        action: 'evaluation.recomputed',
        entityType: 'evaluation',
        entityId: latest.id,
        after: { year: body.year, quarter: body.quarter, total: result.total },
      });
      return { id: latest.id, created: false };
    }
    if (latest && !body.reason)
      throw invalid('reason', `${body.year} Q${body.quarter} is published and frozen; a correction is a new revision and needs its reason`);
    const revision = (latest?.revision ?? 0) + 1;
    const id = await repo.insertEvaluation(trx, {
      year: body.year,
      quarter: body.quarter,
      revision,
      period,
      total: result.total,
      reason: latest ? body.reason! : (body.reason ?? null),
      at,
      createdBy: ctx.actor.userId,
    });
    await repo.replaceRows(trx, id, result.units);
    await recordAudit(trx, ctx, {
      action: 'evaluation.drafted',
      entityType: 'evaluation',
      entityId: id,
      after: { year: body.year, quarter: body.quarter, revision, total: result.total, reason: body.reason ?? null },
    });
    return { id, created: true };
  });
  return { doc: await getEvaluation(ctx, id), created };
}

/** Publishes a draft: its table is frozen, an earlier published revision of the quarter is superseded, and every unit is told. */
export async function publishEvaluation(ctx: ServiceContext, id: number): Promise<EvaluationDoc> {
  authorize(ctx.actor, 'evaluation.manage');
  const doc = await repo.findEvaluation(ctx.db, id);
  if (!doc) throw notFound('evaluation');
  if (doc.status !== 'draft') throw conflict(`this table is ${doc.status}; only a draft is published`);
  if (doc.period_to > ctx.now()) throw conflict(`${doc.year} Q${doc.quarter} has not ended; it is published once it is over`);
  const at = ctx.now();
  const rows = await repo.rowsOf(ctx.db, [id]);
  await ctx.transact(async (trx) => {
    if (!(await repo.publishDraft(trx, id, ctx.actor.userId, at))) throw conflict('the draft was published meanwhile');
    await repo.supersedeEarlier(trx, doc.year, doc.quarter, id, at);
    await notify(
      trx,
      at,
      rows.map((r) => ({
        role: 'handler',
        unitId: r.unit_id,
        kind: 'evaluation_published',
        title: `${doc.year}年第${doc.quarter}季度诉求处理评价已发布：${r.unit_name} ${Number(r.score).toFixed(2)} 分，第 ${r.rank} 名`,
      })),
    );
    await recordAudit(trx, ctx, {
      action: 'evaluation.published',
      entityType: 'evaluation',
      entityId: id,
      after: { year: doc.year, quarter: doc.quarter, revision: doc.revision },
    });
  });
  return getEvaluation(ctx, id);
}

/** Each unit's published score over the quarters: the chart beside the table. */
export async function evaluationTrend(ctx: ServiceContext): Promise<EvaluationTrend> {
  authorize(ctx.actor, 'evaluation.read');
  const published = await repo.publishedQuarters(ctx.db);
  const quarters = published.map((p) => `${p.year}-Q${p.quarter}`);
  const rows = await repo.rowsOf(
    ctx.db,
    published.map((p) => p.id),
  );
  const scope = await rowScope(ctx);
  const index = new Map(published.map((p, i) => [p.id, i]));
  const units = new Map<number, EvaluationTrend['units'][number]>();
  for (const r of rows) {
    if (scope !== null && !scope.has(r.unit_id)) continue;
    const unit = units.get(r.unit_id) ?? {
      unitId: r.unit_id,
      unitName: r.unit_name,
      kind: r.kind as 'department' | 'county',
      scores: quarters.map(() => null),
    };
    unit.scores[index.get(r.evaluation_id)!] = Number(r.score);
    units.set(r.unit_id, unit);
  }
  return { quarters, units: [...units.values()].sort((a, b) => (a.kind === b.kind ? a.unitId - b.unitId : a.kind === 'department' ? -1 : 1)) };
}
