import { sql } from 'kysely';
import { seedDemo } from '../src/server/modules/demo/seed.js';
import { importConsumptionTable } from '../src/server/modules/customers/consumption.js';
import { DEMO_PASSWORD } from './dataset.js';
import { line, ms, section, target } from './report.js';
import { startServer } from './server.js';
import { freshDatabase } from './target.js';

// Customers and key accounts (issue 17): the customer record of a customer
// with 200 demands among BENCH_CUSTOMER_DEMANDS (1,000,000), p50/p99 over a
// few hundred requests (target p99 < 50 ms); a year of consumption (12 months
// × BENCH_CUSTOMER_COUNT customers, 200,000) imported through the endpoint's
// code, and the key-account list over it (target < 1 s).

const RECORD_REQUESTS = 300;
const LIST_REQUESTS = 10;
const CHANNELS = ['phone', 'phone', 'phone', 'wechat', 'app', 'web'];
const TYPES = ['consultation', 'fault_repair', 'fault_repair', 'business', 'opinion', 'complaint'];
const CATEGORIES = ['outage_voltage', 'supply_service', 'supply_service', 'grid_construction'];

const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

export async function customersBenchmark(dir: string): Promise<void> {
  const customers = Number(process.env.BENCH_CUSTOMER_COUNT ?? 200_000);
  const demands = Number(process.env.BENCH_CUSTOMER_DEMANDS ?? 1_000_000);
  const bench = await freshDatabase('customers', dir);
  const { db } = bench.database;
  section(`customers and key accounts: ${customers} customers, ${demands} demands, ${bench.dialect}`);
  try {
    let t0 = performance.now();
    await seedDemo(bench.database, { customers, password: DEMO_PASSWORD });
    line('customers created in', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const people = await db.selectFrom('customers').select(['id', 'account_no', 'phone', 'unit_id', 'area_class']).orderBy('id').execute();
    const agentId = (await db.selectFrom('users').select('id').where('username', '=', 'agent').executeTakeFirstOrThrow()).id;
    // The customer with 200 demands (by their 户号), and 5 calls from their phone before they were known.
    const star = people[Math.floor(people.length / 2)]!;

    // The demands: written directly in batches (the intake's own path is measured by BENCH_ONLY=intake).
    t0 = performance.now();
    const start = Date.parse('2024-12-01T00:00:00Z');
    const span = 730 * 86_400_000;
    const batch = 1000;
    for (let from = 0; from < demands; from += 50_000) {
      await bench.database.transact(async (trx) => {
        for (let b = from; b < Math.min(demands, from + 50_000); b += batch) {
          const rows = [];
          for (let i = b; i < Math.min(demands, from + 50_000, b + batch); i++) {
            const own = i % Math.floor(demands / 200) === 0 && i / Math.floor(demands / 200) < 200;
            const early = !own && i % Math.floor(demands / 5) === 1;
            const c = own || early ? star : people[(i * 7919) % people.length]!;
            const at = new Date(start + Math.floor((i / demands) * span)).toISOString();
            rows.push({
              number: `B${String(i).padStart(9, '0')}`,
              channel: CHANNELS[i % CHANNELS.length]!,
              type: TYPES[i % TYPES.length]!,
              category: CATEGORIES[i % CATEGORIES.length]!,
              source: 'direct',
              priority: 'normal',
              customer_id: early ? null : c.id,
              account_no: early ? null : c.account_no,
              phone: c.phone,
              area_class: c.area_class,
              unit_id: c.unit_id,
              content: '基准测试诉求',
              status: i > demands - 20_000 ? 'open' : 'closed',
              closed_at: i > demands - 20_000 ? null : at,
              created_by: agentId,
              created_at: at,
              updated_at: at,
            });
          }
          await trx.insertInto('demands').values(rows).execute();
        }
      });
    }
    await db
      .updateTable('demands')
      .set({ case_id: sql.ref('id') })
      .where('case_id', 'is', null)
      .execute();
    if (bench.dialect === 'postgres') await sql`ANALYZE demands`.execute(db);
    line('demands written in', `${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // A year of consumption, through the import's own code (checks, batches, yearly sums, key accounts).
    t0 = performance.now();
    const table = [{ number: 1, cells: ['户号', '月份', '电量'] }];
    let row = 1;
    for (const c of people)
      for (let m = 1; m <= 12; m++)
        table.push({ number: ++row, cells: [c.account_no, `2025-${String(m).padStart(2, '0')}`, String(100 + ((c.id * 31 + m) % 5000))] });
    const imported = await importConsumptionTable(db, bench.database.transact, table, { fileName: 'bench.csv', userId: null, at: new Date().toISOString() });
    if (imported.rejected.length > 0) throw new Error(`consumption refused: ${JSON.stringify(imported.rejected.slice(0, 3))}`);
    const importMs = performance.now() - t0;
    if (bench.dialect === 'postgres') await sql`ANALYZE`.execute(db);

    const count = async (table: 'customers' | 'demands' | 'consumption' | 'consumption_years') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const ofStar = Number(
      (
        await db
          .selectFrom('demands')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('account_no', '=', star.account_no)
          .executeTakeFirstOrThrow()
      ).n,
    );
    line('data set: customers / demands', `${await count('customers')} / ${await count('demands')}`);
    line(
      '  the customer’s demands (by 户号) / consumption rows / yearly rows',
      `${ofStar} / ${await count('consumption')} / ${await count('consumption_years')}`,
    );
    line(`a year of consumption imported (${imported.imported} rows) in`, `${(importMs / 1000).toFixed(1)} s`);

    const server = await startServer(bench.database);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const headers = await server.login('agent');
      const times: number[] = [];
      let demandsShown = 0;
      for (let i = 0; i < RECORD_REQUESTS + 10; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/customers/${star.id}`, { headers });
        if (res.status !== 200) throw new Error(`GET /api/customers/${star.id}: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { demands: unknown[] };
        demandsShown = body.demands.length;
        if (i >= 10) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      line('the record’s demands and calls', String(demandsShown));
      line(`GET /api/customers/:id p50 (${RECORD_REQUESTS} requests)`, ms(pct(times, 50)));
      target(`  the record of a customer with ${ofStar} demands over ${demands}, p99`, ms(pct(times, 99)), '< 50 ms', pct(times, 99) < 50);

      const lists: number[] = [];
      let listed = 0;
      for (let i = 0; i < LIST_REQUESTS + 1; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/key-accounts?top=100`, { headers });
        if (res.status !== 200) throw new Error(`GET /api/key-accounts: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { items: unknown[]; topShare: number };
        listed = body.items.length;
        if (i >= 1) lists.push(performance.now() - t);
      }
      lists.sort((a, b) => a - b);
      line(`the key-account list (top ${listed}) median / max of ${LIST_REQUESTS}`, `${ms(pct(lists, 50))} / ${ms(lists.at(-1)!)}`);
      target(`  the key-account list from 12 months × ${customers} customers`, ms(lists.at(-1)!), '< 1 s', lists.at(-1)! < 1000);
    } finally {
      await server.close();
    }
  } finally {
    await bench.drop();
  }
}
