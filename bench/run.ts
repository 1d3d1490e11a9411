// `npm run bench`: figures and ratios measured in the same run on this
// machine, on SQLite, or on PostgreSQL when DATABASE_URL is set (in a schema
// of the run's own, dropped at the end). Later modules add their sections here.
//
//   BENCH_CUSTOMERS (200000)  BENCH_DEMANDS (1000000)  the demo city the HTTP benchmarks run on
//   BENCH_SECONDS (10)  BENCH_CONNECTIONS (50)          the intake load
//   BENCH_ROUNDS (3)                                    alternating rounds of suqiu and the bare route
//   BENCH_LOOKUP_SECONDS (4)                            each lookup's run
//   BENCH_EXPLAIN=1                                     query plans of every lookup, not only of the missed ones
//   BENCH_CACHE_DIR (/tmp/suqiu-bench-cache)            where the SQLite city is kept between runs
//   BENCH_ARTICLES (100000)                             the knowledge base the search runs over
//   BENCH_OUTAGE_CUSTOMERS (1000000)                    the city the outages section runs over
//   BENCH_CUSTOMER_COUNT (200000), BENCH_CUSTOMER_DEMANDS (1000000)  the customers section's city and demands
//   BENCH_ONLY=lookups,intake                           some sections only (cache, lookups, evaluation, reports, pages, intake, knowledge, outages, customers)
//   BENCH_GENERATE_MAX (1000000)                        PostgreSQL: demands beyond it are the generated history copied into earlier years (replicate.ts)
//   BENCH_PAGES_DIR (/tmp/suqiu-bench-pages)            where the pages section keeps its screenshots
//
// The pages section drives Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH)
// over the built web app in dist/web, building it first when it is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareCity } from './dataset.js';
import { evaluationBenchmark } from './evaluation.js';
import { intakeBenchmark } from './intake.js';
import { knowledgeBenchmark } from './knowledge.js';
import { lookupBenchmark } from './lookups.js';
import { customersBenchmark } from './customers.js';
import { outagesBenchmark } from './outages.js';
import { pagesBenchmark } from './pages.js';
import { reportsBenchmark } from './reports.js';
import { section, verdicts } from './report.js';
import { statementCacheBenchmark } from './statement-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'suqiu-bench-'));
const started = performance.now();
process.stdout.write(
  `suqiu bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()[0]!.toFixed(2)} at the start\n`,
);
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string) => !only || only.includes(name);
try {
  if (wanted('cache')) await statementCacheBenchmark(dir);
  if (wanted('knowledge')) await knowledgeBenchmark(dir);
  if (wanted('outages')) await outagesBenchmark(dir);
  if (wanted('customers')) await customersBenchmark(dir);
  if (wanted('lookups') || wanted('pages') || wanted('intake') || wanted('evaluation') || wanted('reports')) {
    const city = await prepareCity(dir);
    try {
      if (wanted('lookups')) await lookupBenchmark(city);
      if (wanted('evaluation')) await evaluationBenchmark(city);
      if (wanted('reports')) await reportsBenchmark(city);
      if (wanted('pages')) await pagesBenchmark(city);
      if (wanted('intake')) await intakeBenchmark(city);
    } finally {
      await city.drop();
    }
  }
  section(`targets (${((performance.now() - started) / 1000).toFixed(0)} s in all, load average ${loadavg()[0]!.toFixed(2)} at the end)`);
  for (const v of verdicts) process.stdout.write(`${v.met ? 'met    ' : 'MISSED '} ${v.what}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
