import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../src/server/db/database.js';

// A city larger than the generator writes in a run's time (10,000,000
// demands on PostgreSQL): the generator's history (two years, BENCH_GENERATE_MAX
// demands) copied into the years before it, in SQL (INSERT … SELECT). Copy k
// is the history's closed cases, whole (every call of a case), k × span days
// earlier (the span counts the generator's first, partial day: 731): new ids, case ids and numbers (the number's date moves with the
// day), every time shifted by whole days so that the hour of the day and the
// deadlines' positions stay as the generator made them, and their work
// orders. Open cases are not copied: a case still open two years ago would be
// a backlog no centre has. The day counters of the copied days are written too.
// The secondary indexes are dropped for the copy and built again after it.

export interface Replicated {
  copies: number;
  demandsCreated: number;
  tasksCreated: number;
  copySeconds: number;
  indexSeconds: number;
}

async function columnsOf(database: Database, table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table} ORDER BY ordinal_position`.execute(database.db);
  return rows.rows.map((r) => r.column_name);
}

export async function replicateHistory(database: Database, options: { demands: number; spanDays: number }): Promise<Replicated> {
  if (database.dialect !== 'postgres') throw new Error('the history is replicated on PostgreSQL only');
  const { db } = database;
  const one = async (query: RawBuilder<unknown>) => Number(((await query.execute(db)).rows[0] as { n?: unknown } | undefined)?.n ?? 0);
  const have = await one(sql`SELECT COUNT(*) AS n FROM demands`);
  const maxDemand = await one(sql`SELECT MAX(id) AS n FROM demands`);
  const maxTask = await one(sql`SELECT MAX(id) AS n FROM tasks`);
  const closed = await one(sql`SELECT COUNT(*) AS n FROM demands WHERE status = 'closed'`);
  const out: Replicated = { copies: 0, demandsCreated: 0, tasksCreated: 0, copySeconds: 0, indexSeconds: 0 };
  if (options.demands <= have || closed === 0) return out;

  const indexes = (
    await sql<{ indexname: string; indexdef: string }>`SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename IN ('demands', 'tasks')
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)`.execute(db)
  ).rows;
  const t0 = performance.now();
  for (const i of indexes) await sql.raw(`DROP INDEX ${i.indexname}`).execute(db);

  const demandColumns = await columnsOf(database, 'demands');
  const taskColumns = await columnsOf(database, 'tasks');
  const shifted = (column: string, days: number) =>
    `to_char((${column}::timestamptz AT TIME ZONE 'UTC') - interval '${days} days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const demandExpression = (c: string, k: number, days: number) => {
    if (c === 'id' || c === 'case_id' || c === 'repeat_of') return `${c} + ${k * maxDemand}`;
    if (c === 'number') return `to_char(to_date(left(number, 8), 'YYYYMMDD') - ${days}, 'YYYYMMDD') || substr(number, 9)`;
    if (c === 'idempotency_key') return 'NULL';
    if (c.endsWith('_at')) return shifted(c, days);
    return c;
  };
  const taskExpression = (c: string, k: number, days: number) => {
    if (c === 'id') return `t.id + ${k * maxTask}`;
    if (c === 'demand_id') return `t.demand_id + ${k * maxDemand}`;
    if (c.endsWith('_at')) return shifted(`t.${c}`, days);
    return `t.${c}`;
  };

  let total = have;
  for (let k = 1; total < options.demands; k++) {
    const days = k * options.spanDays;
    // The last copy stops at the case where the count is reached (whole cases, so a little over).
    const remaining = options.demands - total;
    const cutoff =
      remaining < closed
        ? await one(sql`SELECT case_id AS n FROM demands WHERE status = 'closed' AND id <= ${maxDemand} ORDER BY case_id OFFSET ${remaining - 1} LIMIT 1`)
        : null;
    const which = `d.status = 'closed' AND d.id <= ${maxDemand}${cutoff === null ? '' : ` AND d.case_id <= ${cutoff}`}`;
    const inserted = await db.transaction().execute(async (trx) => {
      const demands = await sql
        .raw(
          `INSERT INTO demands (${demandColumns.join(', ')}) SELECT ${demandColumns.map((c) => demandExpression(c, k, days)).join(', ')} FROM demands d WHERE ${which}`,
        )
        .execute(trx);
      const tasks = await sql
        .raw(
          `INSERT INTO tasks (${taskColumns.join(', ')}) SELECT ${taskColumns.map((c) => taskExpression(c, k, days)).join(', ')}
             FROM tasks t JOIN demands d ON d.id = t.demand_id WHERE ${which}`,
        )
        .execute(trx);
      await sql
        .raw(
          `INSERT INTO counters (name, value)
             SELECT 'demand:' || to_char(to_date(substr(name, 8), 'YYYY-MM-DD') - ${days}, 'YYYY-MM-DD'), value FROM counters
              WHERE name LIKE 'demand:____-__-__' AND substr(name, 8) >= to_char(now() - interval '${options.spanDays + 2} days', 'YYYY-MM-DD')
           ON CONFLICT (name) DO UPDATE SET value = GREATEST(counters.value, excluded.value)`,
        )
        .execute(trx);
      return { demands: Number(demands.numAffectedRows ?? 0), tasks: Number(tasks.numAffectedRows ?? 0) };
    });
    out.copies = k;
    out.demandsCreated += inserted.demands;
    out.tasksCreated += inserted.tasks;
    total += inserted.demands;
    if (inserted.demands === 0) break;
  }
  await sql`SELECT setval(pg_get_serial_sequence('demands', 'id'), (SELECT MAX(id) FROM demands))`.execute(db);
  await sql`SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT MAX(id) FROM tasks))`.execute(db);
  out.copySeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  await db.connection().execute(async (c) => {
    await sql`SET maintenance_work_mem = '512MB'`.execute(c);
    for (const i of indexes) await sql.raw(i.indexdef).execute(c);
    await sql`RESET maintenance_work_mem`.execute(c);
  });
  await sql`VACUUM ANALYZE demands, tasks, counters`.execute(db);
  out.indexSeconds = (performance.now() - t1) / 1000;
  return out;
}
