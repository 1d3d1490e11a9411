import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

/**
 * PostgreSQL: migrations of every schema of the database take turns. Kysely's
 * migrator first lists the tables of the whole database (its introspector
 * reads the catalog of every schema), and that read fails when another schema
 * is being migrated or dropped at the same moment ("schema … does not exist",
 * "column … does not exist"): one database holding several deployments in
 * schemas of their own, or the test suite's schemas. Whoever drops such a
 * schema takes the same lock (test/helpers/databases.ts). Two arguments: a key
 * space apart from the scheduler's lock and the customers' locks.
 */
export const MIGRATION_LOCK = [95599, 1] as const;

export async function migrateToLatest(database: Database): Promise<string[]> {
  if (!database.pool) return migrate(database);
  const lock = await database.pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    try {
      return await migrate(database);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
    }
  } finally {
    lock.release();
  }
}

async function migrate(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    ...(database.schema && { migrationTableSchema: database.schema }),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The migrations of this code that the database has not applied, read from
 * Kysely's table directly: the Migrator would create its tables and take its
 * lock to answer, and another server may be holding that lock to migrate.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const table = database.schema ? `${database.schema}.${DEFAULT_MIGRATION_TABLE}` : DEFAULT_MIGRATION_TABLE;
  let applied: Set<string>;
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(database.db);
    applied = new Set(rows.map((r) => r.name));
  } catch {
    // No table yet (nothing migrated) if the database answers otherwise; if it does not, that error is the answer.
    await sql`select 1`.execute(database.db);
    applied = new Set();
  }
  return Object.keys(migrations).filter((name) => !applied.has(name));
}
