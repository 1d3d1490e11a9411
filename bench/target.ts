import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabase, type Database } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';

// Where the benchmarks write: a SQLite file in the run's temporary folder, or,
// when DATABASE_URL is set, a schema of their own in that database, dropped at
// the end. The developer's tables are never read or written.

export interface BenchDatabase {
  database: Database;
  dialect: 'sqlite' | 'postgres';
  /** SQLite: the file. */
  file?: string;
  /** PostgreSQL: where the schema lives, for the bare route's own pool. */
  url?: string;
  schema?: string;
  /** Closes the database and throws it away. */
  drop(): Promise<void>;
}

export const postgresUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty, migrated database named `name` (a file in `dir`, or a schema). */
export async function freshDatabase(name: string, dir: string): Promise<BenchDatabase> {
  const url = postgresUrl();
  if (!url) {
    const file = join(dir, `${name}.db`);
    return openSqliteFile(file);
  }
  const schema = `suqiu_bench_${name}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const database = createDatabase({ dialect: 'postgres', url, searchPath: schema });
  await migrateToLatest(database);
  return {
    database,
    dialect: 'postgres',
    url,
    schema,
    async drop() {
      await database.close();
      await admin(url, (c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

/** A SQLite file opened as the server opens it, migrated. */
export async function openSqliteFile(file: string): Promise<BenchDatabase> {
  const database = createDatabase({ dialect: 'sqlite', filename: file });
  await migrateToLatest(database);
  return { database, dialect: 'sqlite', file, drop: () => database.close() };
}
