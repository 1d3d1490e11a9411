import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createDatabase, openSqlite } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import type { DB } from '../src/server/db/types.js';
import { line, section } from './report.js';

// Kysely's SQLite driver prepares every statement anew; suqiu's driver keeps them (db/database.ts).

async function insertRate(db: Kysely<DB>, n: number, start: number): Promise<number> {
  const t0 = performance.now();
  for (let i = start; i < start + n; i++) {
    await db
      .insertInto('audit_log')
      .values({ at: new Date().toISOString(), actor_id: 1, actor_kind: 'user', action: 'bench', entity_type: 'bench', entity_id: String(i), unit_id: 1 })
      .execute();
  }
  return n / ((performance.now() - t0) / 1000);
}

export async function statementCacheBenchmark(dir: string): Promise<void> {
  section('Kysely over better-sqlite3: prepared-statement cache (single-row inserts, one at a time)');
  const file = join(dir, 'cache.db');
  const cached = createDatabase({ dialect: 'sqlite', filename: file });
  await migrateToLatest(cached);
  const raw = openSqlite(file) as BetterSqlite3.Database;
  const uncached = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  const n = 20_000;
  await insertRate(cached.db, 2000, 0); // warm-up
  await insertRate(uncached, 2000, 2000);
  const without = await insertRate(uncached, n, 10_000);
  const withCache = await insertRate(cached.db, n, 40_000);
  line('inserts/s, statements prepared anew (Kysely default)', without.toFixed(0));
  line('inserts/s, statements cached (suqiu)', withCache.toFixed(0));
  line('ratio cached / uncached', (withCache / without).toFixed(2));
  await uncached.destroy();
  await cached.close();
}
