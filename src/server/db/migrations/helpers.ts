import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

// Migrations use Kysely's portable schema builder. The two places where
// SQLite and PostgreSQL cannot share a spelling are kept here.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer surrogate key: SQLite's rowid alias or a PostgreSQL identity column. */
export function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
