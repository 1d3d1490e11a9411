import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openSqlite, preparingPool, withStatementCache, type Database } from '../src/server/db/database.js';
import { groupCommit } from '../src/server/db/group-commit.js';
import { BATCH_MARK, type BatchWire } from '../src/server/db/statements.js';
import type { DB } from '../src/server/db/types.js';
import type { App } from '../src/server/platform/context.js';
import type { City } from './dataset.js';
import type { DemandCustomer } from './http-client.js';
import { line, ms } from './report.js';

// Why a request is slow: the same requests through an app whose Kysely logs
// every statement with its time (one request at a time, injected, no
// network), the statements that cost most, and how the database runs them
// (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).

interface Timed {
  sql: string;
  parameters: readonly unknown[];
  ms: number[];
}

interface Profiler {
  app: App;
  statements: Map<string, Timed>;
  plan(t: Timed): Promise<string[]>;
  close(): Promise<void>;
}

async function profiler(city: City): Promise<Profiler> {
  const statements = new Map<string, Timed>();
  const log = (event: LogEvent) => {
    // A batch carries its values as literals: counted by its statements' shape, shown by their openings.
    const batch = event.query.sql.startsWith(BATCH_MARK) ? (JSON.parse(event.query.sql.slice(BATCH_MARK.length)) as BatchWire) : undefined;
    const key = batch
      ? `batch of ${batch.items.length}${batch.commit ? ' and COMMIT' : ''}: ${batch.items.map((t) => t.text.replace(/\s+/g, ' ').slice(0, 28)).join(' | ')}`
      : event.query.sql;
    const entry = statements.get(key) ?? { sql: key, parameters: event.query.parameters, ms: [] };
    entry.ms.push(event.queryDurationMillis);
    statements.set(key, entry);
  };
  const sqlite = city.dialect === 'sqlite' ? openSqlite(city.file!) : undefined;
  const pool = sqlite ? undefined : new pg.Pool({ connectionString: city.url, max: 2, options: `-c search_path=${city.schema}` });
  const db = new Kysely<DB>({
    dialect: sqlite ? new SqliteDialect({ database: withStatementCache(sqlite) }) : new PostgresDialect({ pool: preparingPool(pool!) }),
    log,
  });
  const database: Database = {
    db,
    dialect: city.dialect,
    transact: sqlite ? groupCommit(db) : (work) => db.transaction().execute(work),
    ...(pool && { pool, schema: city.schema! }),
    close: () => db.destroy(),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-bench-data-'));
  const config = { ...loadConfig({ SUQIU_DATA_DIR: dataDir }), schedulerIntervalSeconds: 0 };
  const app = await buildApp({ config, database, logLevel: 'silent' });
  return {
    app,
    statements,
    async plan(t) {
      if (sqlite) return (sqlite.prepare(`EXPLAIN QUERY PLAN ${t.sql}`).all(...(t.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail);
      return (await pool!.query(`EXPLAIN (ANALYZE, BUFFERS) ${t.sql}`, t.parameters as unknown[])).rows.map((r: Record<string, string>) => r['QUERY PLAN']!);
    },
    async close() {
      await app.close();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function explainSlowest(city: City, headers: Record<string, string>, label: string, paths: string[], top = 2): Promise<void> {
  const p = await profiler(city);
  try {
    for (const url of paths.slice(0, 20)) await p.app.inject({ method: 'GET', url, headers });
    const slowest = [...p.statements.values()].sort((a, b) => median(b.ms) - median(a.ms));
    process.stdout.write(`\n-- why: ${label} — its slowest statements (median of ${Math.min(20, paths.length)} requests)\n`);
    for (const t of slowest.slice(0, top)) {
      process.stdout.write(`  ${ms(median(t.ms))}  ${t.sql}\n  params ${JSON.stringify(t.parameters)}\n`);
      for (const step of (await p.plan(t)).slice(0, 30)) process.stdout.write(`    | ${step}\n`);
    }
  } finally {
    await p.close();
  }
}

/** Where the time of one POST /api/demands goes: in the database, or around it. */
export async function explainIntake(city: City, headers: Record<string, string>, customers: DemandCustomer[], n = 200): Promise<void> {
  const p = await profiler(city);
  try {
    const post = (i: number) => {
      const c = customers[(i * 7919) % customers.length]!;
      return p.app.inject({
        method: 'POST',
        url: '/api/demands',
        headers: { ...headers, 'idempotency-key': `explain-${Date.now()}-${i}` },
        payload: {
          channel: 'phone',
          type: 'fault_repair',
          category: 'outage_voltage',
          customer: { accountNo: c.accountNo, phone: c.phone, name: c.name },
          content: '家中停电，全户无电，请尽快派人处理。',
        },
      });
    };
    for (let i = 0; i < 30; i++) await post(i);
    p.statements.clear();
    const t0 = performance.now();
    for (let i = 30; i < 30 + n; i++) await post(i);
    const each = (performance.now() - t0) / n;
    const all = [...p.statements.values()];
    const count = all.reduce((sum, t) => sum + t.ms.length, 0) / n;
    const inDatabase = all.reduce((sum, t) => sum + t.ms.reduce((a, b) => a + b, 0), 0) / n;
    process.stdout.write(`\n-- why: one POST /api/demands at a time (${n}, injected, no network, no logs)\n`);
    line('  time of one POST', ms(each));
    line('  statements per POST', count.toFixed(1));
    line('  of which in the database (statements run by the driver)', `${ms(inDatabase)}  (${((100 * inDatabase) / each).toFixed(0)} %)`);
    line('  the rest: Kysely building the SQL, Zod, Fastify, the code', ms(each - inDatabase));
    for (const t of all.sort((a, b) => b.ms.reduce((x, y) => x + y, 0) - a.ms.reduce((x, y) => x + y, 0)).slice(0, Number(process.env.BENCH_STATEMENTS ?? 6))) {
      process.stdout.write(
        `    ${ms(t.ms.reduce((a, b) => a + b, 0) / n).padStart(9)} per POST  ${t.sql.slice(0, 150)}  (${(t.ms.length / n).toFixed(2)} ×)\n`,
      );
    }
  } finally {
    await p.close();
  }
}
