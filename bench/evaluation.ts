import { callsOfPeriod, categoryRoutes, evaluationUnits, eventsBetween } from '../src/server/modules/evaluation/repository.js';
import { evaluate, quarterPeriod } from '../src/server/modules/evaluation/rules.js';
import { hotIssuesOf } from '../src/server/modules/hot-issues/service.js';
import { candidatesOf } from '../src/server/modules/transfers/repository.js';
import { monthPeriod, previousMonth } from '../src/server/modules/transfers/rules.js';
import { DEFAULT_TIME_ZONE, localDate } from '../src/shared/time.js';
import type { City } from './dataset.js';
import { line, ms, section, target } from './report.js';
import { startServer } from './server.js';

// The management loop over the whole history: one quarter's evaluation
// through the server (the analyst's GET /api/evaluation), the time split into
// the read and the formula, then the month's transfer candidates and the hot
// issues of a month, the two other computations a meeting's pack needs.

const ROUNDS = 5;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await run();
  return { value, ms: performance.now() - t0 };
}

export async function evaluationBenchmark(city: City): Promise<void> {
  // The last quarter that has ended, and the month before this one: what the centre computes.
  const today = localDate(new Date(), DEFAULT_TIME_ZONE);
  const [year, month] = today.split('-').map(Number) as [number, number];
  const thisQuarter = Math.floor((month - 1) / 3) + 1;
  const quarter = thisQuarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: thisQuarter - 1 };
  const period = quarterPeriod(quarter.year, quarter.quarter);
  section(
    `the management loop over ${city.demands} demands, ${city.dialect}: ${quarter.year} Q${quarter.quarter}'s evaluation, a month's transfer and hot issues`,
  );

  const server = await startServer(city.database);
  try {
    const headers = await server.login('analyst');
    const url = `http://127.0.0.1:${server.port}/api/evaluation?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
    const times: number[] = [];
    let body: { total: number; units: { score: number }[] } | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      const { value, ms: took } = await timed(async () => {
        const res = await fetch(url, { headers });
        if (res.status !== 200) throw new Error(`GET /api/evaluation: ${res.status} ${await res.text()}`);
        return (await res.json()) as typeof body;
      });
      body = value;
      times.push(took);
    }
    times.sort((a, b) => a - b);
    line('counted demands in the quarter (once per case)', String(body!.total));
    line('units scored', String(body!.units.length));
    line(`GET /api/evaluation, ${ROUNDS} rounds: fastest / median`, `${ms(times[0]!)} / ${ms(times[Math.floor(ROUNDS / 2)]!)}`);
    target(
      '  one quarter’s evaluation (median, through the server)',
      ms(times[Math.floor(ROUNDS / 2)]!),
      city.dialect === 'sqlite' ? '< 1000 ms' : '< 1000 ms (SQLite’s target, for comparison)',
      times[Math.floor(ROUNDS / 2)]! < 1000,
    );

    const db = city.database.db;
    const read = await timed(() =>
      Promise.all([
        evaluationUnits(db),
        categoryRoutes(db),
        callsOfPeriod(db, period),
        eventsBetween(db, localDate(period.from, DEFAULT_TIME_ZONE), localDate(period.to, DEFAULT_TIME_ZONE)),
      ]),
    );
    const [units, routes, calls, events] = read.value;
    const formula = await timed(async () => evaluate({ period, units, routes, calls, events }));
    line('  of which: reading the calls of the quarter’s cases', `${ms(read.ms)} (${calls.length} rows)`);
    line('  the counting and the formula over them', ms(formula.ms));

    const lastMonth = previousMonth(today.slice(0, 7));
    const candidates = await timed(() => candidatesOf(city.database.db, monthPeriod(lastMonth).to));
    line(`transfer candidates of ${lastMonth} (unresolved or overdue at its end)`, `${ms(candidates.ms)} (${candidates.value.length} demands)`);
    const hot = await timed(() => hotIssuesOf(city.database.db, monthPeriod(lastMonth), DEFAULT_TIME_ZONE));
    line(`hot issues of ${lastMonth} against the month before (jieba)`, `${ms(hot.ms)} (${hot.value.total} + ${hot.value.previousTotal} cases)`);
  } finally {
    await server.close();
  }
}
