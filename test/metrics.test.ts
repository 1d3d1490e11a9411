import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, timersPass, type Client, type TestApp } from './helpers/app.js';

// GET /metrics as Prometheus reads it: the requests by route, the open cases
// and orders as the database has them, the scheduler's backlog and lag, and
// on SQLite the group commit's figures; only from this machine or with the token.

/** A sample's value from the text format, by its name and labels as written. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const target of testDatabases()) {
  describe(`metrics (${target.name})`, () => {
    let t: TestApp;
    let agent: Client;
    let now = new Date('2026-11-23T01:00:00.000Z');
    const scrape = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return res.body;
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now });
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('requests are counted by their route, not their ids; the open cases match the database', async () => {
      const made = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { phone: '13755550001' },
        content: '家里停电了',
      });
      assert.equal(made.statusCode, 201);
      await agent.get(`/api/demands/${made.json().id}`);
      const text = await scrape();
      assert.ok((sample(text, 'suqiu_http_request_duration_seconds_count{method="POST",route="/api/demands",status="201"}') ?? 0) >= 1);
      assert.ok(
        (sample(text, 'suqiu_http_request_duration_seconds_count{method="GET",route="/api/demands/:id",status="200"}') ?? 0) >= 1,
        'the pattern, not the id',
      );
      assert.ok(!text.includes(`/api/demands/${made.json().id}"`));
      const open = await t.database.db
        .selectFrom('demands')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'open')
        .whereRef('case_id', '=', 'id')
        .executeTakeFirstOrThrow();
      assert.equal(sample(text, 'suqiu_open_cases{status="open"}'), Number(open.n));
      assert.match(text, /^suqiu_process_resident_memory_bytes \d+/m);
    });

    test("the scheduler's backlog and lag grow while no pass runs, and fall to zero after one", async () => {
      await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { phone: '13755550002' },
        content: '整栋楼没电',
      });
      now = new Date(now.getTime() + 3 * 3600_000);
      const late = await scrape();
      assert.ok((sample(late, 'suqiu_scheduler_backlog') ?? 0) >= 1, "the repair's dispatch clock is past its limit");
      assert.ok((sample(late, 'suqiu_scheduler_lag_seconds') ?? 0) > 3600, 'waiting for hours');
      await timersPass(t.database.db, now);
      const caughtUp = await scrape();
      assert.equal(sample(caughtUp, 'suqiu_scheduler_backlog'), 0);
      assert.equal(sample(caughtUp, 'suqiu_scheduler_lag_seconds'), 0);
      agent = await t.login('agent');
    });

    test("SQLite: the group commit's commits and transactions", { skip: target.name !== 'sqlite' }, async () => {
      const text = await scrape();
      const commits = sample(text, 'suqiu_sqlite_commits_total') ?? 0;
      const transactions = sample(text, 'suqiu_sqlite_transactions_total') ?? 0;
      assert.ok(commits > 0 && transactions >= commits, `${commits} commits, ${transactions} transactions`);
      assert.notEqual(sample(text, 'suqiu_sqlite_wal_bytes'), undefined);
    });

    test('another machine may scrape only with the token', async () => {
      const away = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.3.3.3' });
      assert.equal(away.statusCode, 403);
      const guarded = await startTestApp(target, { seed: false, config: { metricsToken: 'a-long-scrape-token-0001' } });
      try {
        assert.equal(
          (
            await guarded.app.inject({
              method: 'GET',
              url: '/metrics',
              remoteAddress: '10.3.3.3',
              headers: { authorization: 'Bearer a-long-scrape-token-0001' },
            })
          ).statusCode,
          200,
        );
        assert.equal(
          (await guarded.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.3.3.3', headers: { authorization: 'Bearer wrong' } })).statusCode,
          403,
        );
        assert.equal((await guarded.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 403, 'with a token set, this machine needs it too');
      } finally {
        await guarded.close();
      }
    });
  });
}
