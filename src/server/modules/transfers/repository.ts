import type { Kysely } from 'kysely';
import { COUNTED_TYPES } from '../../../shared/codes.js';
import type { DB } from '../../db/types.js';
import type { TransferCandidate } from './rules.js';

// The transfer's SQL: the month's candidates (read from the demands and their
// deadlines), the batches and their items.

/**
 * Demands of the counted types open at the month's end that a unit reported
 * unresolved by then, or that had a deadline pass unmet before it; never
 * unfounded ones, never one raised before.
 */
export async function candidatesOf(db: Kysely<DB>, to: string): Promise<TransferCandidate[]> {
  const rows = await db
    .selectFrom('demands')
    .select([
      'demands.id',
      'demands.case_id',
      'demands.created_at',
      'demands.category',
      'demands.first_unit_id',
      'demands.unit_id',
      'demands.first_resolved',
      'demands.first_handled_at',
    ])
    .where('demands.type', 'in', COUNTED_TYPES)
    .where('demands.created_at', '<', to)
    .where((eb) => eb.or([eb('demands.closed_at', 'is', null), eb('demands.closed_at', '>=', to)]))
    .where((eb) => eb.or([eb('demands.verdict', 'is', null), eb('demands.verdict', '<>', 'unfounded')]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('transfer_items').select('transfer_items.id').whereRef('transfer_items.demand_id', '=', 'demands.id'))))
    .where((eb) =>
      eb.or([
        eb.and([eb('demands.first_resolved', '=', 0), eb('demands.first_handled_at', '<', to)]),
        eb.exists(
          eb
            .selectFrom('deadlines')
            .select('deadlines.id')
            .whereRef('deadlines.demand_id', '=', 'demands.id')
            .where('deadlines.due_at', '<', to)
            .where((d) => d.or([d('deadlines.met_at', 'is', null), d('deadlines.met_at', '>', d.ref('deadlines.due_at'))]))
            .where((d) => d.or([d('deadlines.cancelled_at', 'is', null), d('deadlines.cancelled_at', '>', d.ref('deadlines.due_at'))])),
        ),
      ]),
    )
    .orderBy('demands.id')
    .execute();
  return rows.map((r) => ({
    demandId: r.id,
    caseId: r.case_id ?? r.id,
    createdAt: r.created_at,
    category: r.category,
    fromUnitId: r.first_unit_id ?? r.unit_id,
    reason: r.first_resolved === 0 && r.first_handled_at !== null && r.first_handled_at < to ? 'unresolved' : 'overdue',
  }));
}

/** The cases (of these) that have been raised in an earlier batch. */
export async function casesRaised(db: Kysely<DB>, caseIds: number[]): Promise<Set<number>> {
  if (caseIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('transfer_items')
    .innerJoin('demands', 'demands.id', 'transfer_items.demand_id')
    .select('demands.case_id')
    .where('demands.case_id', 'in', caseIds)
    .execute();
  return new Set(rows.map((r) => r.case_id!));
}

export async function findBatchByMonth(db: Kysely<DB>, month: string) {
  return db.selectFrom('transfer_batches').selectAll().where('month', '=', month).executeTakeFirst();
}

export async function insertBatch(db: Kysely<DB>, b: { month: string; from: string; to: string; createdBy: number | null; at: string }): Promise<number> {
  const row = await db
    .insertInto('transfer_batches')
    .values({ month: b.month, period_from: b.from, period_to: b.to, created_by: b.createdBy, created_at: b.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertItem(
  db: Kysely<DB>,
  i: { batchId: number; demandId: number; fromUnitId: number; toUnitId: number; reason: string; dueAt: string },
): Promise<number> {
  const row = await db
    .insertInto('transfer_items')
    .values({
      batch_id: i.batchId,
      demand_id: i.demandId,
      from_unit_id: i.fromUnitId,
      to_unit_id: i.toUnitId,
      reason: i.reason,
      status: 'open',
      due_at: i.dueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listBatches(db: Kysely<DB>, month?: string) {
  return db
    .selectFrom('transfer_batches as b')
    .leftJoin('users', 'users.id', 'b.created_by')
    .select(['b.id', 'b.month', 'b.period_from', 'b.period_to', 'b.created_at', 'users.name as created_by_name'])
    .$if(month !== undefined, (q) => q.where('b.month', '=', month!))
    .orderBy('b.month', 'desc')
    .execute();
}

export async function findBatch(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('transfer_batches as b')
    .leftJoin('users', 'users.id', 'b.created_by')
    .select(['b.id', 'b.month', 'b.period_from', 'b.period_to', 'b.created_at', 'users.name as created_by_name'])
    .where('b.id', '=', id)
    .executeTakeFirst();
}
export type BatchRow = NonNullable<Awaited<ReturnType<typeof findBatch>>>;

export interface ItemFilter {
  id?: number;
  batchIds?: number[];
  status?: string | undefined;
  toUnitId?: number | undefined;
  demandId?: number | undefined;
  /** Only items raised to or from these units. */
  unitIds?: number[] | undefined;
}

export async function listItems(db: Kysely<DB>, filter: ItemFilter) {
  return db
    .selectFrom('transfer_items as i')
    .innerJoin('transfer_batches as b', 'b.id', 'i.batch_id')
    .innerJoin('demands as d', 'd.id', 'i.demand_id')
    .innerJoin('units as fu', 'fu.id', 'i.from_unit_id')
    .innerJoin('units as tu', 'tu.id', 'i.to_unit_id')
    .leftJoin('users as au', 'au.id', 'i.answered_by')
    .select([
      'i.id',
      'i.batch_id',
      'b.month',
      'i.demand_id',
      'd.number',
      'd.type',
      'd.category',
      'd.content',
      'd.customer_name',
      'd.status as demand_status',
      'd.unresolved_reason',
      // The first handling's report (its findings), from the order that made it.
      (eb) =>
        eb
          .selectFrom('tasks as ft')
          .select('ft.report_json')
          .whereRef('ft.demand_id', '=', 'd.id')
          .where('ft.kind', '=', 'work_order')
          .whereRef('ft.handled_at', '=', 'd.first_handled_at')
          .orderBy('ft.id')
          .limit(1)
          .as('first_report_json'),
      'i.from_unit_id',
      'fu.name as from_unit_name',
      'i.to_unit_id',
      'tu.name as to_unit_name',
      'i.reason',
      'i.status',
      'i.due_at',
      'i.measures',
      'i.owner',
      'i.resolved',
      'i.expected_by',
      'i.answered_at',
      'au.name as answered_by_name',
      'i.version',
    ])
    .$if(filter.id !== undefined, (q) => q.where('i.id', '=', filter.id!))
    .$if(filter.batchIds !== undefined, (q) => q.where('i.batch_id', 'in', filter.batchIds!.length > 0 ? filter.batchIds! : [-1]))
    .$if(filter.status !== undefined, (q) => q.where('i.status', '=', filter.status!))
    .$if(filter.toUnitId !== undefined, (q) => q.where('i.to_unit_id', '=', filter.toUnitId!))
    .$if(filter.demandId !== undefined, (q) => q.where('i.demand_id', '=', filter.demandId!))
    .$if(filter.unitIds !== undefined, (q) => {
      const ids = filter.unitIds!.length > 0 ? filter.unitIds! : [-1];
      return q.where((eb) => eb.or([eb('i.to_unit_id', 'in', ids), eb('i.from_unit_id', 'in', ids)]));
    })
    .orderBy('i.batch_id', 'desc')
    .orderBy('i.to_unit_id')
    .orderBy('i.id')
    .limit(5000)
    .execute();
}
export type ItemRow = Awaited<ReturnType<typeof listItems>>[number];

export async function answerItem(
  db: Kysely<DB>,
  id: number,
  version: number,
  a: { measures: string; owner: string | null; resolved: boolean; expectedBy: string | null; by: number; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('transfer_items')
    .set({
      status: 'answered',
      measures: a.measures,
      owner: a.owner,
      resolved: a.resolved ? 1 : 0,
      expected_by: a.expectedBy,
      answered_by: a.by,
      answered_at: a.at,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The item's answer is due then (the department's deadline, started when it was raised). */
export async function setItemDue(db: Kysely<DB>, itemId: number, dueAt: string): Promise<void> {
  await db.updateTable('transfer_items').set({ due_at: dueAt }).where('id', '=', itemId).execute();
}
