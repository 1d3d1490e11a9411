import { sql } from 'kysely';
import { seedDemo } from '../src/server/modules/demo/seed.js';
import { DEMO_PASSWORD } from './dataset.js';
import { line, ms, section, target } from './report.js';
import { startServer } from './server.js';
import { freshDatabase } from './target.js';
import { outboxRate } from './outbox.js';

// Outages over a large city (issue 16): the customers a feeder outage cuts
// (what the outage's page reads: the count, the 台区 with their customers and
// the first page of customers) over BENCH_OUTAGE_CUSTOMERS customers
// (1,000,000), announcing an outage whose notices go to 100,000 customers, and
// the outbox's sending rate against a local SMS recorder.

const ROUNDS = 5;

export async function outagesBenchmark(dir: string): Promise<void> {
  const customers = Number(process.env.BENCH_OUTAGE_CUSTOMERS ?? 1_000_000);
  const target_ = await freshDatabase('outages', dir);
  section(`outages over ${customers} customers, ${target_.dialect}`);
  try {
    const t0 = performance.now();
    await seedDemo(target_.database, { customers, password: DEMO_PASSWORD });
    if (target_.dialect === 'postgres') await sql`ANALYZE customers`.execute(target_.database.db);
    line('customers created in', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const feeders = await target_.database.db
      .selectFrom('customers')
      .select((eb) => ['feeder_id', eb.fn.countAll<number>().as('n')])
      .groupBy('feeder_id')
      .orderBy('n', 'desc')
      .orderBy('feeder_id')
      .execute();
    line('feeders / customers on the largest', `${feeders.length} / ${feeders[0]!.n}`);

    const server = await startServer(target_.database);
    try {
      const headers = { ...(await server.login('team_lead')), 'content-type': 'application/json' };
      const base = `http://127.0.0.1:${server.port}`;
      const day = 86_400_000;
      const announce = async (feederIds: number[], cause: string) => {
        const t = performance.now();
        const res = await fetch(`${base}/api/outages`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            kind: 'planned',
            feederIds,
            startsAt: new Date(Date.now() + 8 * day).toISOString(),
            expectedEndAt: new Date(Date.now() + 8 * day + 8 * 3_600_000).toISOString(),
            cause,
          }),
        });
        if (res.status !== 201) throw new Error(`POST /api/outages: ${res.status} ${await res.text()}`);
        return { outage: (await res.json()) as { id: number; affectedCustomers: number; messages: { queued: number } }, ms: performance.now() - t };
      };

      // The largest feeder's outage, then its page read again and again.
      const one = await announce([feeders[0]!.feeder_id], '线路检修');
      line('a feeder outage announced (its notices queued) in', `${ms(one.ms)} for ${one.outage.affectedCustomers} customers`);
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t = performance.now();
        const [detail, page] = await Promise.all([
          fetch(`${base}/api/outages/${one.outage.id}`, { headers }),
          fetch(`${base}/api/outages/${one.outage.id}/customers?page=1&pageSize=50`, { headers }),
        ]);
        if (detail.status !== 200 || page.status !== 200) throw new Error(`GET the outage: ${detail.status} / ${page.status}`);
        const body = (await page.json()) as { total: number };
        if (body.total !== one.outage.affectedCustomers)
          throw new Error(`the customers' page counts ${body.total}, the outage ${one.outage.affectedCustomers}`);
        await detail.json();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      target(
        `  a feeder outage's customers over ${customers} (the page: count, 台区, first 50; median of ${ROUNDS})`,
        ms(times[Math.floor(ROUNDS / 2)]!),
        '< 200 ms',
        times[Math.floor(ROUNDS / 2)]! < 200,
      );

      // Enough feeders for 100,000 customers, announced at once.
      const picked: number[] = [];
      let sum = 0;
      for (const f of feeders.slice(1)) {
        if (sum >= 100_000) break;
        picked.push(f.feeder_id);
        sum += Number(f.n);
      }
      const many = await announce(picked, '主变增容改造');
      line('notices queued', `${many.outage.messages.queued} (to ${many.outage.affectedCustomers} customers on ${picked.length} feeders)`);
      target(
        `  announcing an outage with notices to ${many.outage.affectedCustomers} customers`,
        `${(many.ms / 1000).toFixed(2)} s`,
        many.outage.affectedCustomers >= 100_000 ? '< 10 s' : '< 10 s (fewer than 100,000 customers: raise BENCH_OUTAGE_CUSTOMERS)',
        many.ms < 10_000 && many.outage.affectedCustomers >= 100_000,
      );
    } finally {
      await server.close();
    }
    await outboxRate(target_.database);
  } finally {
    await target_.drop();
  }
}
