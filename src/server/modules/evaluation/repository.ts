import { sql, type Kysely } from 'kysely';
import { COUNTED_TYPES } from '../../../shared/codes.js';
import type { DB, EvaluationRowTable } from '../../db/types.js';
import type { EvaluationDemand, EvaluationEvent, EvaluationRow, EvaluationUnit, Period } from './rules.js';

// The evaluation's SQL: the calls of the cases a period touches, the centre's
// events, and the quarters' stored tables.

/**
 * Every call of each case that has a call of a counted type registered in
 * the period (earlier and later calls of those cases included: the rules
 * decide which call counts and how many calls the case had by the period's end).
 * Reads the period's counted calls by (type, created_at), then their cases by case_id.
 */
export async function callsOfPeriod(db: Kysely<DB>, period: Period): Promise<EvaluationDemand[]> {
  const rows = await db
    .selectFrom('demands')
    .select(['id', 'case_id', 'type', 'category', 'created_at', 'verdict', 'first_unit_id', 'unit_id', 'first_resolved', 'first_handled_at', 'closed_at'])
    .where(
      'case_id',
      'in',
      db.selectFrom('demands').select('case_id').where('type', 'in', COUNTED_TYPES).where('created_at', '>=', period.from).where('created_at', '<', period.to),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id ?? r.id,
    type: r.type,
    category: r.category,
    createdAt: r.created_at,
    verdict: r.verdict,
    firstUnitId: r.first_unit_id ?? r.unit_id,
    firstResolved: r.first_resolved === null ? null : r.first_resolved === 1,
    firstHandledAt: r.first_handled_at,
    closedAt: r.closed_at,
  }));
}

export async function evaluationUnits(db: Kysely<DB>): Promise<EvaluationUnit[]> {
  const rows = await db.selectFrom('units').select(['id', 'name', 'kind', 'parent_id']).where('active', '=', 1).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, parentId: r.parent_id }));
}

export async function categoryRoutes(db: Kysely<DB>): Promise<{ category: string; unitId: number }[]> {
  return (await db.selectFrom('category_routes').select(['category', 'unit_id']).execute()).map((r) => ({ category: r.category, unitId: r.unit_id }));
}

/** Events dated within the local dates a period spans (the rules cut at its exact bounds). */
export async function eventsBetween(db: Kysely<DB>, fromDate: string, toDate: string): Promise<EvaluationEvent[]> {
  const rows = await db
    .selectFrom('evaluation_events')
    .select(['unit_id', 'kind', 'occurred_on'])
    .where('occurred_on', '>=', fromDate)
    .where('occurred_on', '<=', toDate)
    .execute();
  return rows.map((r) => ({ unitId: r.unit_id, kind: r.kind as EvaluationEvent['kind'], occurredOn: r.occurred_on }));
}

export async function insertEvent(
  db: Kysely<DB>,
  e: { unitId: number; kind: string; occurredOn: string; description: string; createdBy: number; at: string },
): Promise<number> {
  const row = await db
    .insertInto('evaluation_events')
    .values({ unit_id: e.unitId, kind: e.kind, occurred_on: e.occurredOn, description: e.description, created_by: e.createdBy, created_at: e.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listEvents(db: Kysely<DB>, filter: { from?: string | undefined; to?: string | undefined; unitIds?: number[] | undefined; id?: number }) {
  return db
    .selectFrom('evaluation_events as e')
    .innerJoin('units', 'units.id', 'e.unit_id')
    .innerJoin('users', 'users.id', 'e.created_by')
    .select([
      'e.id',
      'e.unit_id',
      'units.name as unit_name',
      'e.kind',
      'e.occurred_on',
      'e.description',
      'e.created_by',
      'users.name as created_by_name',
      'e.created_at',
    ])
    .$if(filter.id !== undefined, (q) => q.where('e.id', '=', filter.id!))
    .$if(filter.from !== undefined, (q) => q.where('e.occurred_on', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('e.occurred_on', '<', filter.to!))
    .$if(filter.unitIds !== undefined, (q) => q.where('e.unit_id', 'in', filter.unitIds!.length > 0 ? filter.unitIds! : [-1]))
    .orderBy('e.occurred_on', 'desc')
    .orderBy('e.id', 'desc')
    .limit(1000)
    .execute();
}
export type EventRow = Awaited<ReturnType<typeof listEvents>>[number];

// ── stored quarters ──────────────────────────────────────────────────────
const SUMMARY = [
  'evaluations.id',
  'year',
  'quarter',
  'revision',
  'status',
  'period_from',
  'period_to',
  'total',
  'reason',
  'computed_at',
  'published_at',
  'published_by',
  'users.name as published_by_name',
] as const;

export async function findEvaluation(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('evaluations')
    .leftJoin('users', 'users.id', 'evaluations.published_by')
    .select(SUMMARY)
    .where('evaluations.id', '=', id)
    .executeTakeFirst();
}
export type EvaluationDocRow = NonNullable<Awaited<ReturnType<typeof findEvaluation>>>;

export async function listEvaluations(db: Kysely<DB>, year?: number) {
  return db
    .selectFrom('evaluations')
    .leftJoin('users', 'users.id', 'evaluations.published_by')
    .select(SUMMARY)
    .$if(year !== undefined, (q) => q.where('year', '=', year!))
    .orderBy('year', 'desc')
    .orderBy('quarter', 'desc')
    .orderBy('revision', 'desc')
    .execute();
}

/** The quarter's newest revision, whatever its status. */
export async function latestOfQuarter(db: Kysely<DB>, year: number, quarter: number) {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('year', '=', year)
    .where('quarter', '=', quarter)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertEvaluation(
  db: Kysely<DB>,
  e: { year: number; quarter: number; revision: number; period: Period; total: number; reason: string | null; at: string; createdBy: number },
): Promise<number> {
  const row = await db
    .insertInto('evaluations')
    .values({
      year: e.year,
      quarter: e.quarter,
      revision: e.revision,
      status: 'draft',
      period_from: e.period.from,
      period_to: e.period.to,
      total: e.total,
      reason: e.reason,
      computed_at: e.at,
      created_by: e.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function replaceRows(db: Kysely<DB>, evaluationId: number, rows: EvaluationRow[]): Promise<void> {
  await db.deleteFrom('evaluation_rows').where('evaluation_id', '=', evaluationId).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('evaluation_rows')
    .values(
      rows.map((r) => ({
        evaluation_id: evaluationId,
        unit_id: r.unitId,
        unit_name: r.unitName,
        kind: r.kind,
        demands: r.demands,
        share: r.share,
        unresolved: r.unresolved,
        unresolved_rate: r.unresolvedRate,
        service_events: r.serviceEvents,
        repeated: r.repeated,
        criticisms: r.criticisms,
        praises: r.praises,
        score: r.score,
        rank: r.rank,
      })),
    )
    .execute();
}

/** Recomputes a draft in place: only while it is a draft (the guard makes a concurrent publish win). */
export async function refreshDraft(db: Kysely<DB>, id: number, total: number, at: string): Promise<boolean> {
  const result = await db.updateTable('evaluations').set({ total, computed_at: at }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function publishDraft(db: Kysely<DB>, id: number, by: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('evaluations')
    .set({ status: 'published', published_at: at, published_by: by })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function supersedeEarlier(db: Kysely<DB>, year: number, quarter: number, exceptId: number, at: string): Promise<void> {
  await db
    .updateTable('evaluations')
    .set({ status: 'superseded', superseded_at: at })
    .where('year', '=', year)
    .where('quarter', '=', quarter)
    .where('status', '=', 'published')
    .where('id', '<>', exceptId)
    .execute();
}

export async function rowsOf(db: Kysely<DB>, evaluationIds: number[]): Promise<EvaluationRowTable[]> {
  if (evaluationIds.length === 0) return [];
  return db
    .selectFrom('evaluation_rows')
    .selectAll()
    .where('evaluation_id', 'in', evaluationIds)
    .orderBy(sql`case kind when 'department' then 0 else 1 end`)
    .orderBy('rank')
    .orderBy('unit_id')
    .execute();
}

/** The published tables (the current revision of each quarter), oldest quarter first. */
export async function publishedQuarters(db: Kysely<DB>) {
  return db.selectFrom('evaluations').select(['id', 'year', 'quarter']).where('status', '=', 'published').orderBy('year').orderBy('quarter').execute();
}
