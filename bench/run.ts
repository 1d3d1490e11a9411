// `npm run bench`: figures and ratios measured in the same run on this machine.
// Later modules add their own benchmarks here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createDatabase, openSqlite } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import type { DB } from '../src/server/db/types.js';
import { seedDemo } from '../src/server/modules/demo/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'suqiu-bench-'));
const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);

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

async function statementCache(): Promise<void> {
  process.stdout.write('\n== Kysely over better-sqlite3: prepared-statement cache (single-row inserts, one at a time)\n');
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

async function seeding(): Promise<void> {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 200_000);
  const url = process.env.DATABASE_URL;
  const database = url ? createDatabase({ dialect: 'postgres', url }) : createDatabase({ dialect: 'sqlite', filename: join(dir, 'seed.db') });
  process.stdout.write(`\n== demo city generator on ${database.dialect}${url ? ' (DATABASE_URL: use an empty database)' : ''}\n`);
  await migrateToLatest(database);
  const t0 = performance.now();
  const report = await seedDemo(database, { customers, password: 'suqiu-demo' });
  const seconds = (performance.now() - t0) / 1000;
  line('customers created', String(report.customersCreated));
  line('seconds', seconds.toFixed(1));
  line('customers/s', (report.customersCreated / seconds).toFixed(0));
  await database.close();
}

try {
  await statementCache();
  await seeding();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
