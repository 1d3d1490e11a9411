import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { DEMO_DEMANDS_VERSION, seedDemands } from '../src/server/modules/demo/demands.js';
import { DEFAULT_SEED, seedDemo } from '../src/server/modules/demo/seed.js';
import { line, section } from './report.js';
import { replicateHistory } from './replicate.js';
import { freshDatabase, openSqliteFile, type BenchDatabase } from './target.js';

// The demo city the HTTP benchmarks run against: BENCH_CUSTOMERS customers
// (200,000) and BENCH_DEMANDS demands (1,000,000) from the demo generators.
// On SQLite the city with its demands is kept under /tmp between runs (same
// seed, counts and generator version: same file), and each run works on a
// copy of it; on PostgreSQL it is generated into a schema of the run's own.

export const DEMO_PASSWORD = 'suqiu-demo';

export interface City extends BenchDatabase {
  customers: number;
  demands: number;
}

const count = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
};

export async function prepareCity(dir: string): Promise<City> {
  const customers = count('BENCH_CUSTOMERS', 200_000);
  const demands = count('BENCH_DEMANDS', 1_000_000);
  const target = await freshDatabase('city', dir);
  section(`demo city generator on ${target.dialect}${target.schema ? ` (schema ${target.schema}, dropped at the end)` : ''}`);

  const t0 = performance.now();
  const report = await seedDemo(target.database, { customers, password: DEMO_PASSWORD });
  const seconds = (performance.now() - t0) / 1000;
  line('customers created', String(report.customersCreated));
  line('seconds', seconds.toFixed(1));
  line('customers/s', (report.customersCreated / seconds).toFixed(0));

  const cache = join(
    process.env.BENCH_CACHE_DIR ?? join(tmpdir(), 'suqiu-bench-cache'),
    `city-v${DEMO_DEMANDS_VERSION}-seed${DEFAULT_SEED}-c${customers}-d${demands}.db`,
  );
  if (target.dialect === 'sqlite' && existsSync(cache) && existsSync(`${cache}.json`)) {
    const made = JSON.parse(readFileSync(`${cache}.json`, 'utf8')) as { at: string; seconds: number; tasks: number };
    await target.drop();
    const file = join(dir, 'city-with-demands.db');
    copyFileSync(cache, file);
    line('demands', `${demands} from the cache ${cache}`);
    line('  generated on', `${made.at} in ${made.seconds.toFixed(1)} s (${(demands / made.seconds).toFixed(0)} demands/s, ${made.tasks} work orders)`);
    return { ...(await openSqliteFile(file)), customers, demands };
  }

  // Beyond BENCH_GENERATE_MAX (1,000,000) on PostgreSQL, the generated history is copied into the years before it (replicate.ts).
  const generateMax = count('BENCH_GENERATE_MAX', 1_000_000);
  const replicated = target.dialect === 'postgres' && demands > generateMax;
  const t1 = performance.now();
  const history = await seedDemands(target.database, { demands: replicated ? generateMax : demands, seed: DEFAULT_SEED, now: () => new Date().toISOString() });
  const generated = (performance.now() - t1) / 1000;
  line('demands created (two years of history)', String(history.demandsCreated));
  line('  with work orders / live deadlines', `${history.tasksCreated} / ${history.deadlinesCreated}`);
  line('  seconds', generated.toFixed(1));
  line('  demands/s', (history.demandsCreated / generated).toFixed(0));
  if (replicated) {
    line('  the generator would take for all of them (extrapolated)', `${(((demands / history.demandsCreated) * generated) / 60).toFixed(0)} min or more`);
    const copied = await replicateHistory(target.database, { demands, spanDays: 731 });
    line(`demands copied into the ${copied.copies} × 2 years before (closed cases, SQL)`, `${copied.demandsCreated} with ${copied.tasksCreated} work orders`);
    line('  seconds: copying / indexes rebuilt and ANALYZE', `${copied.copySeconds.toFixed(1)} / ${copied.indexSeconds.toFixed(1)}`);
  }
  if (target.dialect === 'sqlite' && target.file) {
    // Keep it for the next run: a consistent copy written by SQLite itself under another name, then renamed.
    // (Copying the file after a checkpoint was not enough: a checkpoint that another connection keeps
    // busy returns without an error, and the copy lacked the pages still in the WAL: "malformed".)
    mkdirSync(join(cache, '..'), { recursive: true });
    rmSync(`${cache}.partial`, { force: true });
    await sql`VACUUM INTO ${`${cache}.partial`}`.execute(target.database.db);
    renameSync(`${cache}.partial`, cache);
    writeFileSync(`${cache}.json`, JSON.stringify({ at: new Date().toISOString(), seconds: generated, tasks: history.tasksCreated }));
    line('  kept for the next runs in', cache);
  }
  return { ...target, customers, demands };
}
