import type { Kysely, Selectable } from 'kysely';
import type { DB, DemandExportTable } from '../../db/types.js';

// The demand list's exports (demand_exports): the only place that builds their SQL.

export type ExportRow = Selectable<DemandExportTable>;

export async function insertExport(db: Kysely<DB>, row: { userId: number; filtersJson: string; total: number; at: string }): Promise<number> {
  const inserted = await db
    .insertInto('demand_exports')
    .values({ user_id: row.userId, filters_json: row.filtersJson, total: row.total, done: 0, status: 'running', created_at: row.at, updated_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findExport(db: Kysely<DB>, id: number): Promise<ExportRow | undefined> {
  return db.selectFrom('demand_exports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user's exports still being written (at most one at a time). */
export async function runningExportsOf(db: Kysely<DB>, userId: number): Promise<ExportRow[]> {
  return db.selectFrom('demand_exports').selectAll().where('user_id', '=', userId).where('status', '=', 'running').execute();
}

/** The progress of a running export: its heartbeat too. */
export async function recordProgress(db: Kysely<DB>, id: number, done: number, at: string): Promise<void> {
  await db.updateTable('demand_exports').set({ done, updated_at: at }).where('id', '=', id).where('status', '=', 'running').execute();
}

/** A running export ends: done with its file, or failed. False when it had ended already. */
export async function finishExport(
  db: Kysely<DB>,
  id: number,
  end: { status: 'done' | 'failed'; done?: number; error?: string | null; file?: string | null; size?: number | null; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('demand_exports')
    .set({
      status: end.status,
      ...(end.done !== undefined && { done: end.done }),
      error: end.error ?? null,
      file: end.file ?? null,
      size: end.size ?? null,
      updated_at: end.at,
      finished_at: end.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The finished exports whose file was written before `before`: their files are deleted. */
export async function exportsToExpire(db: Kysely<DB>, before: string): Promise<{ id: number; file: string | null }[]> {
  return db.selectFrom('demand_exports').select(['id', 'file']).where('status', '=', 'done').where('finished_at', '<', before).limit(100).execute();
}

export async function markExpired(db: Kysely<DB>, id: number, at: string): Promise<void> {
  await db.updateTable('demand_exports').set({ status: 'expired', file: null, updated_at: at }).where('id', '=', id).execute();
}
