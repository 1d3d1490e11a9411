import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { seedDemands } from '../src/server/modules/demo/demands.js';
import { pendingRows, refreshDemandRollups } from '../src/server/modules/reports/rollup.js';
import { cellText, readWorkbook } from '../src/server/platform/xlsx.js';
import { localDate } from '../src/shared/time.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';

// The demand list beyond 1,000 (issue 18): its exact total where the rollups
// count what it shows, counted here by the test itself before and after the
// scheduler's refresh; and its export: the list as filtered, the caller's
// units only, progress as rows written of the total, read back in words,
// refused past 100,000, audited.

const at = (local: string) => new Date(`${local}+08:00`);

for (const target of testDatabases()) {
  describe(`demand list totals and export (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-12-09T10:00:00');
    let agent: Client;
    const db = () => t.database.db;

    /** COUNT(*) of the cases (first calls) the test chooses: what the list's total must be. */
    const casesWhere = async (where: (q: any) => any = (q) => q) => {
      const row = await where(
        db()
          .selectFrom('demands')
          .where(sql<boolean>`case_id = id`),
      )
        .select((eb: any) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const list = async (client: Client, query: string) => {
      const res = await client.get(`/api/demands?pageSize=200${query ? `&${query}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: { number: string }[]; total: number; totalCapped: boolean };
    };
    /** Begins an export and polls it until it ends: the answers seen on the way. */
    const exportOf = async (client: Client, filters: object) => {
      const res = await client.post('/api/demands/exports', filters);
      assert.equal(res.statusCode, 202, res.body);
      const seen = [res.json()];
      while (seen.at(-1).status === 'running') {
        await new Promise((r) => setTimeout(r, 20));
        const poll = await client.get(`/api/demands/exports/${seen[0].id}`);
        assert.equal(poll.statusCode, 200, poll.body);
        seen.push(poll.json());
      }
      return seen;
    };
    const rowsOf = async (client: Client, id: number) => {
      const file = await client.get(`/api/demands/exports/${id}/file`);
      assert.equal(file.statusCode, 200, file.body);
      assert.match(String(file.headers['content-type']), /spreadsheetml/);
      assert.match(String(file.headers['content-disposition']), /filename\*=UTF-8''%E8%AF%89%E6%B1%82%E6%B8%85%E5%8D%95/);
      const read = await readWorkbook(file.rawPayload);
      assert.ok('sheets' in read, JSON.stringify(read));
      return read.sheets[0]!.rows.map((r) => r.cells.map((c) => cellText(c)));
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 400 });
      // 1,400 demands over the last 20 days, on the app's clock.
      await seedDemands(t.database, { demands: 1400, seed: 18, now: () => now.toISOString(), spanDays: 20 });
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('the list says its true total past 1,000 where the rollup counts what it shows, before and after the refresh', async () => {
      const day = (d: string) => at(`${d}T00:00:00`).toISOString();
      const checks: [string, (q: any) => any][] = [
        ['', (q) => q],
        ['open=true', (q) => q.where('status', '<>', 'closed')],
        ['open=false', (q) => q.where('status', '=', 'closed')],
        ['type=fault_repair', (q) => q.where('type', '=', 'fault_repair')],
        ['category=supply_service&channel=phone', (q) => q.where('category', '=', 'supply_service').where('channel', '=', 'phone')],
        ['repeated=true', (q) => q.where('call_count', '>=', 2)],
        [
          `from=${encodeURIComponent(day('2026-11-25'))}&to=${encodeURIComponent(day('2026-12-08'))}`,
          (q) => q.where('created_at', '>=', day('2026-11-25')).where('created_at', '<', day('2026-12-08')),
        ],
      ];
      const checkAll = async (when: string) => {
        for (const [query, where] of checks) {
          const expected = await casesWhere(where);
          const got = await list(agent, query);
          assert.deepEqual({ total: got.total, capped: got.totalCapped }, { total: expected, capped: false }, `${when}: ${query || 'the whole list'}`);
        }
      };
      assert.ok((await casesWhere()) > 1000, 'more than 1,000 cases');
      await checkAll('before the first refresh');
      assert.ok((await refreshDemandRollups(db(), now, t.config.timeZone)) > 0);
      await checkAll('after the refresh');

      // A change after the refresh (a second later: a change stamped at the refresh's own moment is the next
      // refresh's, db/rollups.ts): a demand registered now and one closed; exact at once, and after the next refresh.
      now = new Date(now.getTime() + 1000);
      const customer = await db().selectFrom('customers').select(['account_no', 'phone']).orderBy('id').executeTakeFirstOrThrow();
      const made = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { accountNo: customer.account_no, phone: customer.phone },
        content: '咨询电费缴纳方式',
      });
      assert.equal(made.statusCode, 201, made.body);
      const open = await db()
        .selectFrom('demands')
        .select('id')
        .where('status', '<>', 'closed')
        .where(sql<boolean>`case_id = id`)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await db()
        .updateTable('demands')
        .set({ status: 'closed', closed_at: now.toISOString(), updated_at: now.toISOString() })
        .where('id', '=', open.id)
        .execute();
      // A few demands of days of some seventy (the two, and a case the new call may have joined): recounted one by
      // one, each day's rows kept.
      const pending = (await pendingRows(db(), { fromDay: '2026-01-01', toDay: '2027-01-01' }, now, t.config.timeZone))!;
      assert.ok(pending.demands >= 2 && pending.demands <= 3, String(pending.demands));
      assert.deepEqual(pending.wholeDays, []);
      await checkAll('with changes since the refresh');
      await refreshDemandRollups(db(), now, t.config.timeZone);
      await checkAll('after the next refresh');

      // Where the rollup does not count what the list shows, the list still counts up to 1,000.
      const words = await list(agent, `q=${encodeURIComponent('停电')}`);
      assert.ok(words.total <= 1000);
      const inside = await list(agent, `from=${encodeURIComponent(at('2026-11-20T10:30:00').toISOString())}`);
      assert.equal(inside.totalCapped, true, 'a bound inside a day is not the rollup’s: capped at 1,000');
      assert.equal(inside.total, 1000);
    });

    test('an export of the filtered list: its rows in words, as many as the list’s total, the progress counted', async () => {
      const filters = { category: 'supply_service', channel: 'phone' };
      const listed = await list(agent, 'category=supply_service&channel=phone');
      assert.ok(listed.total > 200 && !listed.totalCapped, `a list of ${listed.total}`);
      const seen = await exportOf(agent, filters);
      const first = seen[0];
      assert.equal(first.status, 'running');
      assert.equal(first.total, listed.total);
      assert.equal(first.done, 0);
      const last = seen.at(-1);
      assert.equal(last.status, 'done', JSON.stringify(last));
      assert.equal(last.done, listed.total);
      assert.ok(last.size > 0);
      for (const s of seen) assert.ok(s.done >= 0 && s.done <= s.total && s.total === listed.total, 'progress is rows written of the total');
      assert.match(last.fileName, /^诉求清单-2026-12-09-\d+\.xlsx$/);

      const rows = await rowsOf(agent, first.id);
      const head = rows[0]!;
      for (const column of ['诉求编号', '登记时间', '渠道', '类型', '分类', '子类', '客户', '户号', '电话', '责任单位', '状态', '期限', '首问负责人'])
        assert.ok(head.includes(column), `column ${column}`);
      const body = rows.slice(1);
      assert.equal(body.length, listed.total, 'rows = the list’s filtered total');
      const col = (name: string) => head.indexOf(name);
      // The list's order: its first page is the export's first rows.
      assert.deepEqual(
        body.slice(0, listed.items.length).map((r) => r[col('诉求编号')]),
        listed.items.map((d) => d.number),
      );
      for (const r of body) {
        assert.equal(r[col('分类')], '供电服务');
        assert.equal(r[col('渠道')], '95598电话');
        assert.ok(['待处理', '已派单', '待回访', '已办结'].includes(r[col('状态')]!), r[col('状态')]);
        assert.match(r[col('类型')]!, /[\u4e00-\u9fff]/, 'the type in words');
        assert.match(r[col('登记时间')]!, /^2026-1[12]-\d\d \d\d:\d\d$/);
        assert.ok(r[col('责任单位')]!.length > 0);
      }
      assert.ok(
        body.some((r) => /^2026-\d\d-\d\d \d\d:\d\d（[\u4e00-\u9fff]+）$/.test(r[col('期限')]!)),
        'an open demand’s next limit, with its step in words',
      );

      // Audited: who, what filter, how many rows.
      const audit = await db()
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'after_json'])
        .where('entity_type', '=', 'demand_export')
        .where('entity_id', '=', String(first.id))
        .orderBy('id')
        .execute();
      const agentId = await userId(t.database, 'agent');
      assert.deepEqual(
        audit.map((a) => a.action),
        ['demand.export', 'demand.export.done', 'demand.export.download'],
      );
      assert.ok(audit.every((a) => a.actor_id === agentId));
      const begun = JSON.parse(audit[0]!.after_json!);
      assert.deepEqual(begun.filters, filters);
      assert.equal(begun.total, listed.total);
      assert.equal(JSON.parse(audit[1]!.after_json!).rows, listed.total);

      // Another user's export is not found; nor is the file before it exists.
      const other = await t.login('team_lead');
      assert.equal((await other.get(`/api/demands/exports/${first.id}`)).statusCode, 404);
      assert.equal((await other.get(`/api/demands/exports/${first.id}/file`)).statusCode, 404);
    });

    test('a handler’s export holds their units’ demands only, as their list does', async () => {
      const handler = await t.login('handler');
      const station = await unitId(t.database, 'YL-QL-CG');
      const theirs = await casesWhere((q) =>
        q.where((eb: any) => eb.or([eb('unit_id', '=', station), eb('id', 'in', eb.selectFrom('tasks').select('demand_id').where('unit_id', '=', station))])),
      );
      const listed = await list(handler, '');
      assert.equal(listed.total, theirs);
      assert.ok(theirs > 0 && theirs < (await casesWhere()));
      const seen = await exportOf(handler, {});
      assert.equal(seen.at(-1).status, 'done');
      const rows = (await rowsOf(handler, seen[0].id)).slice(1);
      assert.equal(rows.length, theirs);
      const numbers = new Set(
        (
          await db()
            .selectFrom('demands')
            .select('number')
            .where(sql<boolean>`case_id = id`)
            .where((eb) => eb.or([eb('unit_id', '=', station), eb('id', 'in', eb.selectFrom('tasks').select('demand_id').where('unit_id', '=', station))]))
            .execute()
        ).map((r) => r.number),
      );
      for (const r of rows) assert.ok(numbers.has(r[0]!), `${r[0]} is the station’s`);
      // The audit names the unit bound.
      const begun = await db()
        .selectFrom('audit_log')
        .select('after_json')
        .where('action', '=', 'demand.export')
        .where('entity_id', '=', String(seen[0].id))
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(begun.after_json!).units, [station]);
    });

    test('more than 100,000 matches are refused, naming the limit and the count', async () => {
      await refreshDemandRollups(db(), now, t.config.timeZone);
      // A day of the rollup, long before the history, said to hold 150,000 cases: the count the export is refused on.
      await db()
        .insertInto('demand_rollup')
        .values({
          day: '2025-01-15',
          unit_id: await unitId(t.database, 'YL-QL-CG'),
          category: 'supply_service',
          type: 'consultation',
          channel: 'phone',
          calls: 150_000,
          cases: 150_000,
          closed: 150_000,
          overdue: 0,
          repeated: 0,
          handled: 0,
          first_resolved: 0,
          satisfied: 0,
          unsatisfied: 0,
        })
        .execute();
      try {
        const expected = (await casesWhere()) + 150_000;
        const whole = await list(agent, '');
        assert.equal(whole.total, expected, 'the list says the rollup’s total');
        const res = await agent.post('/api/demands/exports', {});
        assert.equal(res.statusCode, 413, res.body);
        assert.match(res.json().message, new RegExp(`match ${expected.toLocaleString('en-US')} demands; an export holds at most 100,000`));
        // Narrowed to the last week, it goes.
        const week = await exportOf(agent, { from: at('2026-12-02T00:00:00').toISOString() });
        assert.equal(week.at(-1).status, 'done');
        assert.equal(week.at(-1).done, await casesWhere((q) => q.where('created_at', '>=', at('2026-12-02T00:00:00').toISOString())));
      } finally {
        await db().deleteFrom('demand_rollup').where('day', '=', '2025-01-15').execute();
      }
    });

    test('an export cut off by a restart is failed cleanly when next read; bad filters are named', async () => {
      const seen = await exportOf(agent, { type: 'complaint' });
      const id = seen[0].id;
      // As a process that stopped mid-file leaves it: running, its heartbeat two minutes old.
      await db()
        .updateTable('demand_exports')
        .set({ status: 'running', finished_at: null, updated_at: new Date(now.getTime() - 120_000).toISOString() })
        .where('id', '=', id)
        .execute();
      const read = (await agent.get(`/api/demands/exports/${id}`)).json();
      assert.equal(read.status, 'failed');
      assert.equal(read.error, 'interrupted');
      assert.equal((await agent.get(`/api/demands/exports/${id}/file`)).statusCode, 404);
      // The next export is not held up by it.
      assert.equal((await exportOf(agent, { type: 'complaint' })).at(-1).status, 'done');

      const bad = await agent.post('/api/demands/exports', { channel: 'pigeon' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /body\.channel/);
      const paged = await agent.post('/api/demands/exports', { page: 2 });
      assert.equal(paged.statusCode, 400);
      assert.equal(localDate(now, t.config.timeZone), '2026-12-09');
    });
  });
}
