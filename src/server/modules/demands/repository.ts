import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import { ftsPhrase } from '../../platform/text.js';
import type { ListDemandsQuery } from '../../../shared/schemas/demands.js';

// Demands, their tasks and timeline: the only place of this module that builds SQL.

export async function nextDemandSequence(db: Kysely<DB>, localDate: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name: `demand:${localDate}`, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}

export async function findCustomerByAccount(db: Kysely<DB>, accountNo: string) {
  return db.selectFrom('customers').selectAll().where('account_no', '=', accountNo).executeTakeFirst();
}

/** The customer behind a phone number, when exactly one has it. */
export async function findCustomerByPhone(db: Kysely<DB>, phone: string) {
  const rows = await db.selectFrom('customers').selectAll().where('phone', '=', phone).limit(2).execute();
  return rows.length === 1 ? rows[0] : undefined;
}

export async function routeOf(db: Kysely<DB>, category: string): Promise<number | undefined> {
  return (await db.selectFrom('category_routes').select('unit_id').where('category', '=', category).executeTakeFirst())?.unit_id;
}

/** The customer's demands that a new call could repeat: open ones, or closed since `since`. */
export async function earlierDemandsOf(db: Kysely<DB>, customer: { accountNo: string | null; phone: string }, since: string) {
  const columns = ['id', 'case_id', 'category', 'account_no', 'phone', 'status', 'created_at', 'closed_at', 'repeat_count', 'escalation_level'] as const;
  const recent = (qb: ReturnType<typeof base>) => qb.where((eb) => eb.or([eb('status', '!=', 'closed'), eb('closed_at', '>=', since)]));
  const base = () => db.selectFrom('demands').select(columns);
  const byPhone = await recent(base().where('phone', '=', customer.phone)).orderBy('created_at', 'desc').limit(50).execute();
  const byAccount = customer.accountNo ? await recent(base().where('account_no', '=', customer.accountNo)).orderBy('created_at', 'desc').limit(50).execute() : [];
  const seen = new Map([...byPhone, ...byAccount].map((d) => [d.id, d]));
  return [...seen.values()];
}

export async function findDemandByIdempotencyKey(db: Kysely<DB>, key: string) {
  return db.selectFrom('demands').select('id').where('idempotency_key', '=', key).executeTakeFirst();
}

export async function findDemand(db: Kysely<DB>, id: number) {
  return db.selectFrom('demands').innerJoin('units', 'units.id', 'demands.unit_id').selectAll('demands').select('units.name as unit_name').where('demands.id', '=', id).executeTakeFirst();
}
export type DemandRow = NonNullable<Awaited<ReturnType<typeof findDemand>>>;

/** Updates a demand only if nobody changed it since `version` was read; false when somebody did. */
export async function updateDemand(db: Kysely<DB>, id: number, version: number, changes: Partial<Omit<DemandRow, 'id' | 'version' | 'unit_name'>>): Promise<boolean> {
  const result = await db
    .updateTable('demands')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function unitsOfTasks(db: Kysely<DB>, demandId: number): Promise<number[]> {
  return (await db.selectFrom('tasks').select('unit_id').where('demand_id', '=', demandId).execute()).map((r) => r.unit_id);
}

export async function tasksOf(db: Kysely<DB>, demandId: number) {
  return db.selectFrom('tasks').innerJoin('units', 'units.id', 'tasks.unit_id').selectAll('tasks').select('units.name as unit_name').where('demand_id', '=', demandId).orderBy('tasks.id').execute();
}

export async function findTask(db: Kysely<DB>, id: number) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}
export type TaskRow = NonNullable<Awaited<ReturnType<typeof findTask>>>;

export async function updateTask(db: Kysely<DB>, id: number, version: number, changes: Partial<Omit<TaskRow, 'id' | 'version'>>): Promise<boolean> {
  const result = await db.updateTable('tasks').set({ ...changes, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function timelineOf(db: Kysely<DB>, demandId: number) {
  return db
    .selectFrom('timeline')
    .leftJoin('users', 'users.id', 'timeline.actor_id')
    .selectAll('timeline')
    .select('users.name as actor_name')
    .where('timeline.demand_id', '=', demandId)
    .orderBy('timeline.id')
    .execute();
}

export interface TimelineEntry {
  demandId: number;
  taskId?: number | null;
  at: string;
  actorId: number | null;
  kind: string;
  note?: string | null;
  data?: unknown;
}

export async function addTimeline(db: Kysely<DB>, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('timeline')
    .values(
      entries.map((e) => ({
        demand_id: e.demandId,
        task_id: e.taskId ?? null,
        at: e.at,
        actor_id: e.actorId,
        kind: e.kind,
        note: e.note ?? null,
        data_json: e.data === undefined ? null : JSON.stringify(e.data),
      })),
    )
    .execute();
}

/** Keeps the demand's search tokens in the SQLite full-text index (PostgreSQL indexes the column itself). */
export async function indexDemandText(db: Kysely<DB>, dialect: Dialect, id: number, tokens: string): Promise<void> {
  if (dialect === 'sqlite' && tokens) await sql`INSERT INTO demands_fts (rowid, tokens) VALUES (${id}, ${tokens})`.execute(db);
}

export interface DemandFilter extends ListDemandsQuery {
  dialect: Dialect;
  /** The query's words (jieba), matched as a phrase. */
  words: string[] | undefined;
  /** The caller's units; undefined when the caller sees the whole organisation. */
  unitIds: number[] | undefined;
  now: string;
}

export async function listDemands(db: Kysely<DB>, f: DemandFilter) {
  let query = db.selectFrom('demands');
  if (f.unitIds) {
    const units = f.unitIds.length > 0 ? f.unitIds : [-1];
    query = query.where((eb) =>
      eb.or([
        eb('demands.unit_id', 'in', units),
        eb.exists(eb.selectFrom('tasks').select('tasks.id').whereRef('tasks.demand_id', '=', 'demands.id').where('tasks.unit_id', 'in', units)),
      ]),
    );
  }
  query = query
    .$if(f.status !== undefined, (q) => q.where('demands.status', '=', f.status!))
    .$if(f.type !== undefined, (q) => q.where('demands.type', '=', f.type!))
    .$if(f.category !== undefined, (q) => q.where('demands.category', '=', f.category!))
    .$if(f.channel !== undefined, (q) => q.where('demands.channel', '=', f.channel!))
    .$if(f.unitId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('demands.unit_id', '=', f.unitId!),
          eb.exists(eb.selectFrom('tasks').select('tasks.id').whereRef('tasks.demand_id', '=', 'demands.id').where('tasks.unit_id', '=', f.unitId!)),
        ]),
      ),
    )
    .$if(f.phone !== undefined, (q) => q.where('demands.phone', '=', f.phone!))
    .$if(f.accountNo !== undefined, (q) => q.where('demands.account_no', '=', f.accountNo!))
    .$if(f.number !== undefined, (q) => q.where('demands.number', '=', f.number!))
    .$if(f.words !== undefined, (q) =>
      f.words!.length === 0
        ? q.where(sql<boolean>`1 = 0`)
        : f.dialect === 'sqlite'
          ? q.where('demands.id', 'in', sql<number>`(SELECT rowid FROM demands_fts WHERE demands_fts MATCH ${ftsPhrase(f.words!)})`)
          : q.where(sql<boolean>`to_tsvector('simple', coalesce(demands.search_text, '')) @@ phraseto_tsquery('simple', ${f.words!.join(' ')})`),
    )
    .$if(f.from !== undefined, (q) => q.where('demands.created_at', '>=', new Date(f.from!).toISOString()))
    .$if(f.to !== undefined, (q) => q.where('demands.created_at', '<', new Date(f.to!).toISOString()))
    .$if(f.escalated === 'true', (q) => q.where('demands.escalation_level', '>', 0))
    .$if(f.repeated === 'true', (q) => q.where('demands.repeat_count', '>', 0))
    .$if(f.open === 'true', (q) => q.where('demands.status', '!=', 'closed'))
    .$if(f.open === 'false', (q) => q.where('demands.status', '=', 'closed'))
    .$if(f.overdue === 'true', (q) =>
      q.where('demands.id', 'in', (eb) =>
        eb.selectFrom('deadlines').select('deadlines.demand_id').where('deadlines.due_at', '<=', f.now).where('deadlines.met_at', 'is', null).where('deadlines.cancelled_at', 'is', null),
      ),
    );
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .innerJoin('units', 'units.id', 'demands.unit_id')
    .selectAll('demands')
    .select('units.name as unit_name')
    .orderBy('demands.created_at', 'desc')
    .orderBy('demands.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { rows, total: Number(total.n) };
}
