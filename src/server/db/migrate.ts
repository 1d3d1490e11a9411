import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

export async function migrateToLatest(database: Database): Promise<string[]> {
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
