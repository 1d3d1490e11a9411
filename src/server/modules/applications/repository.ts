import { sql, type ExpressionBuilder, type Insertable, type Kysely, type SqlBool, type Expression } from 'kysely';
import type { ApplicationStageTable, ApplicationTable, DB } from '../../db/types.js';
import { nextCounter } from '../../db/counters.js';

// The green channel's SQL. The supervision's queue is the stages under way by
// due time (application_stages_running_idx); the list reads applications with
// the stage under way joined on (application_id, stage), the unique key.

export async function unitIdsByCode(db: Kysely<DB>, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('units')
    .select(['id', 'code'])
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** The customer with their station and its county bureau (the parent of a station; the unit itself otherwise). */
export async function customerForApplication(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('customers as c')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(['c.id', 'c.name', 'c.account_no', 'c.customer_class', 'c.unit_id', 'c.account_manager_id', 'u.kind as unit_kind', 'u.parent_id as unit_parent_id'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function insertApplication(db: Kysely<DB>, row: Insertable<ApplicationTable>): Promise<number> {
  const { id } = await db.insertInto('applications').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertStages(db: Kysely<DB>, rows: Insertable<ApplicationStageTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('application_stages').values(rows).execute();
}

export async function addEvent(
  db: Kysely<DB>,
  e: { applicationId: number; at: string; actorId: number | null; kind: string; stage?: string | null; note?: string | null },
): Promise<void> {
  await db
    .insertInto('application_events')
    .values({ application_id: e.applicationId, at: e.at, actor_id: e.actorId, kind: e.kind, stage: e.stage ?? null, note: e.note ?? null })
    .execute();
}

export async function nextSequence(db: Kysely<DB>, day: string): Promise<number> {
  return nextCounter(db, `application:${day}`);
}

const applicationColumns = (db: Kysely<DB>) =>
  db
    .selectFrom('applications as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .innerJoin('units as au', 'au.id', 'a.unit_id')
    .leftJoin('application_stages as s', (join) => join.onRef('s.application_id', '=', 'a.id').onRef('s.stage', '=', 'a.stage'))
    .leftJoin('units as su', 'su.id', 's.owner_unit_id')
    .leftJoin('users as m', 'm.id', 'a.account_manager_id')
    .leftJoin('users as cb', 'cb.id', 'a.created_by')
    .selectAll('a')
    .select([
      'c.name as customer_name',
      'c.account_no',
      'au.name as unit_name',
      's.owner_unit_id as stage_owner_unit_id',
      'su.name as stage_owner_unit_name',
      'm.name as account_manager_name',
      'cb.name as created_by_name',
    ]);

export async function findApplication(db: Kysely<DB>, id: number) {
  return applicationColumns(db).where('a.id', '=', id).executeTakeFirst();
}

export async function stagesOf(db: Kysely<DB>, applicationId: number) {
  return db
    .selectFrom('application_stages as s')
    .innerJoin('units as u', 'u.id', 's.owner_unit_id')
    .leftJoin('users as cu', 'cu.id', 's.completed_by')
    .selectAll('s')
    .select(['u.name as owner_unit_name', 'cu.name as completed_by_name'])
    .where('s.application_id', '=', applicationId)
    .orderBy('s.seq')
    .execute();
}

export async function eventsOf(db: Kysely<DB>, applicationId: number) {
  return db
    .selectFrom('application_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.at', 'e.kind', 'e.stage', 'e.note', 'u.name as actor_name'])
    .where('e.application_id', '=', applicationId)
    .orderBy('e.id')
    .execute();
}

/** Which units an application belongs to: its customer's station, and the owners of its stages. */
export async function stageOwners(db: Kysely<DB>, applicationId: number): Promise<number[]> {
  const rows = await db.selectFrom('application_stages').select('owner_unit_id').where('application_id', '=', applicationId).execute();
  return rows.map((r) => r.owner_unit_id);
}

export interface ApplicationFilter {
  status?: string | undefined;
  /** true: open and past due; false: open and on time. */
  late?: boolean | undefined;
  stage?: string | undefined;
  customerId?: number | undefined;
  accountManagerId?: number | undefined;
  /** The unit owning the stage under way. */
  ownerUnitId?: number | undefined;
  /** The caller's units: an application is theirs when its station, or the owner of any of its stages, is among them. */
  visible?: readonly number[] | undefined;
}

type From = ExpressionBuilder<DB & { a: DB['applications'] }, 'a'>;

function conditions(eb: From, f: ApplicationFilter, now: string, options: { stageAndLate: boolean }): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (f.status) parts.push(eb('a.status', '=', f.status));
  if (f.customerId !== undefined) parts.push(eb('a.customer_id', '=', f.customerId));
  if (f.accountManagerId !== undefined) parts.push(eb('a.account_manager_id', '=', f.accountManagerId));
  if (f.ownerUnitId !== undefined)
    parts.push(
      eb.exists(
        eb
          .selectFrom('application_stages as os')
          .select('os.id')
          .whereRef('os.application_id', '=', 'a.id')
          .whereRef('os.stage', '=', 'a.stage')
          .where('os.owner_unit_id', '=', f.ownerUnitId),
      ),
    );
  if (f.visible) {
    const units = [...f.visible, -1];
    parts.push(
      eb.or([
        eb('a.unit_id', 'in', units),
        eb.exists(eb.selectFrom('application_stages as vs').select('vs.id').whereRef('vs.application_id', '=', 'a.id').where('vs.owner_unit_id', 'in', units)),
      ]),
    );
  }
  if (options.stageAndLate) {
    if (f.stage) parts.push(eb('a.stage', '=', f.stage));
    if (f.late === true) parts.push(eb.and([eb('a.status', '=', 'open'), eb('a.stage_due_at', '<', now)]));
    if (f.late === false) parts.push(eb.and([eb('a.status', '=', 'open'), eb('a.stage_due_at', '>=', now)]));
  }
  return parts.length ? eb.and(parts) : sql<SqlBool>`1 = 1`;
}

export async function listApplications(db: Kysely<DB>, f: ApplicationFilter, now: string, page: { limit: number; offset: number }) {
  const [items, count, byStage] = await Promise.all([
    applicationColumns(db)
      .where((eb) => conditions(eb as unknown as From, f, now, { stageAndLate: true }))
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('applications as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => conditions(eb, f, now, { stageAndLate: true }))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('applications as a')
      .select((eb) => [
        'a.stage',
        eb.fn.countAll<number>().as('open'),
        eb.fn.sum<number>(eb.case().when('a.stage_due_at', '<', now).then(1).else(0).end()).as('late'),
      ])
      .where('a.status', '=', 'open')
      .where((eb) => conditions(eb, { ...f, status: undefined }, now, { stageAndLate: false }))
      .groupBy('a.stage')
      .execute(),
  ]);
  return {
    items,
    total: Number(count.n),
    byStage: byStage.map((r) => ({ stage: r.stage, open: Number(r.open), late: Number(r.late ?? 0) })),
  };
}

/** Every application the filter selects, up to `limit` (the export). */
export async function exportApplications(db: Kysely<DB>, f: ApplicationFilter, now: string, limit: number) {
  return applicationColumns(db)
    .where((eb) => conditions(eb as unknown as From, f, now, { stageAndLate: true }))
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

/** Moves the application on, if nobody did meanwhile (its version). */
export async function updateApplication(
  db: Kysely<DB>,
  id: number,
  version: number,
  changes: Partial<Pick<ApplicationTable, 'status' | 'stage' | 'stage_due_at' | 'updated_at' | 'completed_at' | 'cancelled_at' | 'cancel_reason'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('applications')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function completeStage(db: Kysely<DB>, stageId: number, by: { at: string; userId: number; note: string }): Promise<boolean> {
  const result = await db
    .updateTable('application_stages')
    .set({ completed_at: by.at, completed_by: by.userId, note: by.note })
    .where('id', '=', stageId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function startStage(db: Kysely<DB>, stageId: number, times: { startedAt: string; dueAt: string; remindAt: string }): Promise<void> {
  await db
    .updateTable('application_stages')
    .set({ started_at: times.startedAt, due_at: times.dueAt, remind_at: times.remindAt })
    .where('id', '=', stageId)
    .execute();
}

/** A cancelled application's stage under way stops: it leaves the supervision's queue (completed without a completer). */
export async function stopStages(db: Kysely<DB>, applicationId: number, at: string): Promise<void> {
  await db
    .updateTable('application_stages')
    .set({ completed_at: at })
    .where('application_id', '=', applicationId)
    .where('started_at', 'is not', null)
    .where('completed_at', 'is', null)
    .execute();
}

// ── supervision ──────────────────────────────────────────────────────────

const runningColumns = (db: Kysely<DB>) =>
  db
    .selectFrom('application_stages as s')
    .innerJoin('applications as a', 'a.id', 's.application_id')
    .innerJoin('units as u', 'u.id', 's.owner_unit_id')
    .select([
      's.id',
      's.application_id',
      's.stage',
      's.owner_unit_id',
      's.limit_wd',
      's.due_at',
      's.remind_at',
      's.reminded_at',
      's.escalation_level',
      'a.number',
      'a.account_manager_id',
      'a.customer_id',
      'u.name as owner_unit_name',
      'u.parent_id as owner_parent_id',
    ])
    .where('s.completed_at', 'is', null)
    .where('s.started_at', 'is not', null)
    .where('a.status', '=', 'open');

export type RunningStage = Awaited<ReturnType<typeof dueReminders>>[number];

/** Stages under way whose 80 % moment has come and that were not reminded yet. */
export async function dueReminders(db: Kysely<DB>, at: string, limit: number) {
  return runningColumns(db)
    .where('s.remind_at', '<=', at)
    .where('s.reminded_at', 'is', null)
    .where('s.escalation_level', '=', 0)
    .orderBy('s.remind_at')
    .limit(limit)
    .execute();
}

/** Stages under way past due, at escalation level `level` (0: not escalated yet; 1: waiting for the second level). */
export async function lateAtLevel(db: Kysely<DB>, at: string, level: number, limit: number) {
  return runningColumns(db).where('s.due_at', '<=', at).where('s.escalation_level', '=', level).orderBy('s.due_at').orderBy('s.id').limit(limit).execute();
}

/** Claims the reminder: true for the one pass that sets it. */
export async function claimReminder(db: Kysely<DB>, stageId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('application_stages')
    .set({ reminded_at: at })
    .where('id', '=', stageId)
    .where('reminded_at', 'is', null)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Claims the step from `from` to `from + 1`: true for the one pass that moves it. */
export async function claimEscalation(db: Kysely<DB>, stageId: number, from: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('application_stages')
    .set({ escalation_level: from + 1, escalated_at: at })
    .where('id', '=', stageId)
    .where('escalation_level', '=', from)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The head of a unit, or of the nearest unit above it that has one. */
export async function headOf(db: Kysely<DB>, unitId: number): Promise<number | null> {
  let id: number | null = unitId;
  for (let depth = 0; id !== null && depth < 10; depth++) {
    const unit: { head_user_id: number | null; parent_id: number | null } | undefined = await db
      .selectFrom('units')
      .select(['head_user_id', 'parent_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!unit) return null;
    if (unit.head_user_id !== null) return unit.head_user_id;
    id = unit.parent_id;
  }
  return null;
}

/** The units above a unit (its parent, the parent's parent …). */
export async function ancestorsOf(db: Kysely<DB>, unitId: number): Promise<number[]> {
  const above: number[] = [];
  let id: number | null = unitId;
  for (let depth = 0; id !== null && depth < 10; depth++) {
    const unit: { parent_id: number | null } | undefined = await db.selectFrom('units').select('parent_id').where('id', '=', id).executeTakeFirst();
    id = unit?.parent_id ?? null;
    if (id !== null) above.push(id);
  }
  return above;
}
