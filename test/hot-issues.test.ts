import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp } from './helpers/app.js';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { hotIssuesOf } from '../src/server/modules/hot-issues/service.js';

// 热点问题 (issue 18, point 2) through its endpoints: demands with known words
// over two months; the month's top terms against the month before, with
// their trend and the share resolved; the terms that belong together; a stop
// word taking a term out at once; the weekly breakdown above the volume
// threshold; the drill-down listing exactly the cases a term counts; a unit's
// handler bounded to their unit; and the same answers before and after the
// scheduler rebuilds the rollups, and for a demand registered after it.

const at = (local: string) => new Date(`${local}+08:00`);

for (const target of testDatabases()) {
  describe(`hot issues (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-10-12T09:00:00');
    let agent: Client;
    let analyst: Client;
    let handler: Client; // 城关供电所 (麒麟区)
    let cgId = 0;
    let qlId = 0;
    let zyId = 0;
    let phone = 13900002000;
    const november = 'from=2026-11-01&to=2026-12-01';
    const voltage: any[] = [];
    const fees: any[] = [];

    const signIn = async () => {
      agent = await t.login('agent');
      analyst = await t.login('analyst');
      handler = await t.login('handler');
    };
    const moveTo = async (local: string) => {
      now = at(local);
      await signIn();
    };
    const register = async (type: string, category: string, content: string, subcategory?: string) => {
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type,
        category,
        customer: { phone: String(++phone) },
        content,
        ...(subcategory && { subcategory }),
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    /** Dispatched to 城关供电所, handled there and closed by a satisfied callback. */
    const closeAtCg = async (demand: any) => {
      const order = await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: cgId, instructions: '请核实处理' });
      assert.equal(order.statusCode, 201, order.body);
      assert.equal((await handler.post(`/api/work-orders/${order.json().id}/accept`)).statusCode, 200);
      const handled = await handler.post(`/api/work-orders/${order.json().id}/handle`, { findings: '已调整台区电压' });
      assert.equal(handled.statusCode, 200, handled.body);
      const callback = await agent.post(`/api/demands/${demand.id}/callbacks`, { outcome: 'satisfied' });
      assert.equal(callback.statusCode, 200, callback.body);
      assert.equal(callback.json().status, 'closed');
    };
    const report = async (client: Client, query = november) => {
      const res = await client.get(`/api/reports/hot-issues?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const counts = (items: any[]) => Object.fromEntries(items.map((i) => [i.term, [i.count, i.previousCount]]));

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 60 });
      await signIn();
      cgId = await unitId(t.database, 'YL-QL-CG');
      qlId = await unitId(t.database, 'YL-QL');
      zyId = await unitId(t.database, 'YL-ZY');

      // October: outages were the matter; one voltage and one fee case.
      await register('opinion', 'outage_voltage', '频繁停电，影响经营');
      await register('opinion', 'outage_voltage', '频繁停电，影响经营');
      await register('complaint', 'outage_voltage', '频繁停电，影响经营', 'outage_complaint');
      await register('opinion', 'outage_voltage', '电压不稳，灯泡闪烁');
      await register('opinion', 'supply_service', '电费多扣，要求退还');

      // November: voltage in the week of the 2nd, fees in the week of the 9th, one outage on the 17th.
      await moveTo('2026-11-03T10:00:00');
      voltage.push(await register('opinion', 'outage_voltage', '电压不稳，灯泡闪烁'));
      voltage.push(await register('complaint', 'outage_voltage', '晚上电压不稳，家里灯泡闪烁', 'quality_complaint'));
      voltage.push(await register('opinion', 'outage_voltage', '电压不稳，灯泡闪烁，电器无法使用'));
      voltage.push(await register('opinion', 'outage_voltage', '电压不稳，灯泡闪烁'));
      // A consultation is not a counted type: its 电压 is not counted.
      await register('consultation', 'outage_voltage', '咨询电压标准');
      await moveTo('2026-11-04T10:00:00');
      await closeAtCg(voltage[0]);
      await closeAtCg(voltage[1]);
      await moveTo('2026-11-10T10:00:00');
      fees.push(await register('opinion', 'supply_service', '电费多扣，要求退还'));
      fees.push(await register('opinion', 'supply_service', '本月电费多扣，要求退还差额'));
      fees.push(await register('complaint', 'supply_service', '电费多扣，要求退还', 'business_complaint'));
      await moveTo('2026-11-17T10:00:00');
      await register('opinion', 'outage_voltage', '频繁停电，影响经营');
      await moveTo('2026-11-20T09:00:00');
    });
    after(() => t.close());

    test('the month’s top terms against the month before: counts, change, trend, share resolved, examples', async () => {
      const body = await report(analyst);
      assert.equal(body.total, 8, 'four voltage, three fee and one outage case; the consultation is not counted');
      assert.equal(body.previousTotal, 5);
      const byTerm = counts(body.items);
      assert.deepEqual(byTerm['电压'], [4, 1]);
      assert.deepEqual(byTerm['灯泡'], [4, 1]);
      assert.deepEqual(byTerm['电费'], [3, 1]);
      assert.deepEqual(byTerm['多扣'], [3, 1]);
      assert.deepEqual(byTerm['频繁停电'], [1, 3]);
      assert.equal(byTerm['要求'], undefined, 'a default stop word');
      assert.deepEqual(
        body.items.slice(0, 3).map((i: any) => i.term),
        ['灯泡', '电压', '闪烁'],
        'the most frequent first; equal counts and rises by name',
      );
      const volt = body.items.find((i: any) => i.term === '电压');
      assert.deepEqual([volt.change, volt.trend, volt.resolvedRate], [3, 'rising', 0.5]);
      assert.deepEqual(volt.examples.map((e: any) => e.number).sort(), voltage.map((d) => d.number).sort(), 'its cases, to open');
      const outage = body.items.find((i: any) => i.term === '频繁停电');
      assert.deepEqual([outage.change, outage.trend], [-2, 'falling']);
      assert.equal(body.items.find((i: any) => i.term === '经营').trend, 'falling');
    });

    test('terms that belong together are grouped', async () => {
      const body = await report(analyst);
      const groups = body.groups.map((g: any) => g.terms.map((x: any) => x.term));
      assert.deepEqual(groups, [
        ['灯泡', '电压', '闪烁'],
        ['电费', '多扣', '退还'],
      ]);
      assert.equal(body.groups[0].cohesion, 1);
      assert.deepEqual(body.groups[0].terms[1], { term: '电压', count: 4, previousCount: 1, change: 3, trend: 'rising' });
      assert.equal(body.sampled, 8);
    });

    test('the meeting’s pack counts the same: one computation', async () => {
      const period = { from: at('2026-11-01T00:00:00').toISOString(), to: at('2026-12-01T00:00:00').toISOString() };
      const pack = await hotIssuesOf(t.database.db, period, 'Asia/Shanghai', undefined, { now });
      const body = await report(analyst);
      assert.deepEqual(
        pack.terms.map((i) => [i.key, i.count, i.previousCount]),
        body.items.map((i: any) => [i.term, i.count, i.previousCount]),
      );
      assert.deepEqual(
        pack.categories.map((c) => [c.key, c.count, c.previousCount]),
        [
          ['outage_voltage', 5, 4],
          ['supply_service', 3, 1],
        ],
      );
    });

    test('a stop word added takes its term out at once; only report.manage may edit the list, and the edit is audited', async () => {
      const list = await analyst.get('/api/hot-issues/stop-words');
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().defaults, true);
      assert.ok(list.json().words.includes('要求'));
      assert.equal((await handler.put('/api/hot-issues/stop-words', { words: ['退还'] })).statusCode, 403, 'a handler reads, does not edit');
      const bad = await analyst.put('/api/hot-issues/stop-words', { words: ['x'.repeat(40)] });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /words/);

      const saved = await analyst.put('/api/hot-issues/stop-words', { words: [...list.json().words, ' 退还 '] });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().defaults, false);
      assert.ok(saved.json().words.includes('退还'));
      const body = await report(analyst);
      assert.equal(counts(body.items)['退还'], undefined, 'no rebuild needed');
      assert.deepEqual(
        body.groups[1].terms.map((x: any) => x.term),
        ['电费', '多扣'],
      );
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select(['action', 'after_json'])
        .where('action', '=', 'settings.hot_issue_stop_words')
        .execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0]!.after_json ?? '', /退还/);
    });

    test('above the volume threshold the month is broken into weeks, each with its top terms', async () => {
      assert.deepEqual((await report(analyst)).weeks, [], 'eight cases: below the default threshold');
      assert.deepEqual((await analyst.get('/api/hot-issues/weekly-above')).json(), { cases: 3000, defaults: true, updatedAt: null });
      assert.equal((await handler.put('/api/hot-issues/weekly-above', { cases: 5 })).statusCode, 403, 'a handler reads, does not set');
      const bad = await analyst.put('/api/hot-issues/weekly-above', { cases: -1 });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /body\.cases/);
      const set = await analyst.put('/api/hot-issues/weekly-above', { cases: 5 });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual([set.json().cases, set.json().defaults], [5, false]);
      const audited = await t.database.db
        .selectFrom('audit_log')
        .select(['before_json', 'after_json'])
        .where('action', '=', 'settings.hot_issue_weekly_above')
        .executeTakeFirstOrThrow();
      assert.deepEqual([JSON.parse(audited.before_json!), JSON.parse(audited.after_json!)], [{ cases: 3000 }, { cases: 5 }]);
      const body = await report(analyst);
      assert.equal(body.weeklyAbove, 5);
      assert.deepEqual(
        body.weeks.map((w: any) => [w.from, w.to, w.total]),
        [
          ['2026-11-01', '2026-11-02', 0],
          ['2026-11-02', '2026-11-09', 4],
          ['2026-11-09', '2026-11-16', 3],
          ['2026-11-16', '2026-11-23', 1],
          ['2026-11-23', '2026-11-30', 0],
          ['2026-11-30', '2026-12-01', 0],
        ],
      );
      assert.deepEqual(counts(body.weeks[1].items)['电压'], [4, 0]);
      assert.deepEqual(counts(body.weeks[2].items)['电费'], [3, 0]);
      assert.deepEqual(counts(body.weeks[3].items)['频繁停电'], [1, 0]);
      assert.equal((await analyst.put('/api/hot-issues/weekly-above', { cases: 3000 })).statusCode, 200);
    });

    test('the drill-down lists exactly the cases a term counts, with their unit, status and words', async () => {
      const res = await analyst.get(`/api/reports/hot-issues/demands?term=${encodeURIComponent('电压')}&${november}`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.total, 4);
      assert.deepEqual(
        body.items.map((i: any) => i.number),
        [...voltage].reverse().map((d) => d.number),
        'newest first; the consultation not among them',
      );
      const closed = body.items.find((i: any) => i.id === voltage[0].id);
      assert.deepEqual([closed.status, closed.closed, closed.unitName], ['closed', true, '城关供电所']);
      assert.match(closed.excerpt, /电压不稳/);
      const fee = (await analyst.get(`/api/reports/hot-issues/demands?term=${encodeURIComponent('多扣')}&${november}`)).json();
      assert.deepEqual(fee.items.map((i: any) => i.id).sort(), fees.map((d) => d.id).sort());
      const empty = (await analyst.get(`/api/reports/hot-issues/demands?term=${encodeURIComponent('电压')}&${november}&page=2`)).json();
      assert.deepEqual([empty.total, empty.items.length], [4, 0]);
      const none = await analyst.get(`/api/reports/hot-issues/demands?${november}`);
      assert.equal(none.statusCode, 400);
      assert.match(none.json().message, /term/);
      const backwards = await analyst.get('/api/reports/hot-issues?from=2026-12-01&to=2026-11-01');
      assert.equal(backwards.statusCode, 400);
      assert.match(backwards.json().message, /querystring\.to/);
    });

    test('a unit’s handler sees their unit only; by county for the city', async () => {
      const own = await report(handler);
      assert.equal(own.total, 2, 'the two voltage cases first handled by 城关供电所');
      const volt = own.items.find((i: any) => i.term === '电压');
      assert.deepEqual([volt.count, volt.resolvedRate], [2, 1]);
      assert.equal(
        own.items.find((i: any) => i.term === '电费'),
        undefined,
      );
      assert.equal((await handler.get(`/api/reports/hot-issues?${november}&unitId=${zyId}`)).statusCode, 404, 'another county');
      const drill = (await handler.get(`/api/reports/hot-issues/demands?term=${encodeURIComponent('电压')}&${november}`)).json();
      assert.deepEqual(drill.items.map((i: any) => i.id).sort(), [voltage[0].id, voltage[1].id].sort());

      const city = await report(analyst);
      const ql = city.units.find((u: any) => u.unitId === qlId);
      assert.deepEqual([ql.unitName, ql.total], ['麒麟区供电局', 2]);
      assert.deepEqual(counts(ql.items)['电压'], [2, 0]);
      const county = await report(analyst, `${november}&unitId=${qlId}`);
      assert.equal(county.total, 2);
      assert.deepEqual(
        county.units.filter((u: any) => u.total > 0).map((u: any) => [u.unitName, u.total]),
        [['城关供电所', 2]],
      );
    });

    test('exact before and after the scheduler’s refresh, and for a demand registered since', async () => {
      const beforePass = await report(analyst);
      const pass = await runSchedulerPass(t.database.db, now);
      assert.ok(pass.termRollupDays > 0, 'the first pass builds every day');
      const rolled = await t.database.db.selectFrom('term_rollup').select(['term', 'cases']).where('term', '=', '电压').execute();
      assert.equal(
        rolled.reduce((n, r) => n + Number(r.cases), 0),
        5,
        'October’s and November’s voltage cases are in the rollup',
      );
      const afterPass = await report(analyst);
      assert.deepEqual(afterPass, beforePass);

      // A second later (a change stamped at the refresh's own moment is the next refresh's, db/rollups.ts).
      now = new Date(now.getTime() + 1000);
      await register('opinion', 'outage_voltage', '电压不稳，灯泡闪烁');
      const fresh = await report(analyst);
      assert.deepEqual(counts(fresh.items)['电压'], [5, 1], 'counted at once, before the next pass');
      assert.equal(fresh.total, 9);
      const second = await runSchedulerPass(t.database.db, now);
      assert.ok(second.termRollupDays >= 1);
      assert.deepEqual(await report(analyst), fresh);
    });
  });
}
