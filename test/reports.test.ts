import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp } from './helpers/app.js';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { readWorkbook, type CellValue, type Sheet } from '../src/server/platform/xlsx.js';
import { CHANNEL_WORDS } from '../src/shared/taxonomy.js';
import { categoryLabel, typeLabel } from '../src/shared/taxonomy.js';
import { isoWeekOf } from '../src/server/modules/reports/rules.js';
import { pendingRows } from '../src/server/modules/reports/rollup.js';
import type { AppError } from '../src/server/platform/errors.js';

// The standard reports (issue 18, point 1) against demands whose counts the
// test knows: 40 demands over six weeks, made through the API at their own
// times — four units, four categories, four types, four channels; some
// answered on the call, some dispatched, handled (resolved or not) and called
// back (satisfied or not), some left to run past their limits, one case of
// two calls. Every grouping is checked against the test's own count, in JSON
// and read back from the workbook, before the scheduler's first pass (nothing
// in the rollup: counted live), after it (read from the rollup), and after
// changes made since (a demand closed, a new one, a step gone late with nobody
// touching it: exact at the scheduler's lag). A unit's handler sees their own
// units only; a bad grouping or period is a 400 naming it.

const at = (local: string) => new Date(`${local}+08:00`);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const DAYS = ['2026-10-29', '2026-10-30', '2026-11-02', '2026-11-03', '2026-11-09', '2026-11-24', '2026-11-30', '2026-12-01', '2026-12-04', '2026-12-07'];
const UNITS = [
  ['YL-QL-CG', 'handler'],
  ['YL-QL-NN', 'handler.ql-nn'],
  ['YL-YXB', 'handler.yxb'],
  ['YL-ZY-XP', 'handler.zy-xp'],
] as const;
const CATEGORIES = ['outage_voltage', 'supply_service', 'supply_safety', 'grid_construction'] as const;
const TYPES = ['consultation', 'complaint', 'opinion', 'suggestion'] as const;
const CHANNELS = ['phone', 'wechat', 'web', 'app'] as const;
const PERIOD = 'from=2026-10-01&to=2026-12-09';
const HEADERS: Record<string, string> = { unit: '单位', category: '诉求分类', type: '诉求类型', channel: '渠道', day: '日期', week: '周', month: '月份' };

interface Made {
  id: number;
  day: string;
  unitId: number;
  category: string;
  type: string;
  channel: string;
  /** The case's latest callback, as the test recorded it. */
  outcome?: 'satisfied' | 'unsatisfied';
}

/** What the test reads back of a demand to count it: as the API shows it at the moment of the check. */
interface Seen {
  /** The responsible unit now (the monthly transfer hands an unresolved demand to its department). */
  unitId: number;
  /** The customer's station (the place), when the demand names the customer. */
  stationId: number | null;
  /** Each work order's unit: the unit that owes the order's steps. */
  taskUnits: Map<number, number>;
  caseId: number | null;
  closed: boolean;
  callCount: number;
  resolved: boolean | null;
  deadlines: { step: string; taskId: number | null; dueAt: string; metAt: string | null }[];
}

const GROUPINGS: string[][] = [
  [],
  ['unit'],
  ['category'],
  ['type'],
  ['channel'],
  ['month'],
  ['week'],
  ['day'],
  ['unit', 'category'],
  ['type', 'channel', 'month'],
  ['channel', 'week'],
  ['unit', 'category', 'type', 'channel', 'day'],
];

for (const target of testDatabases()) {
  describe(`the standard reports (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-10-29T08:00:00');
    let agent: Client;
    let analyst: Client;
    const handlers = new Map<number, Client>();
    const made: Made[] = [];
    const unitNames = new Map<number, string>();
    const unitIds: number[] = [];
    let phoneSeq = 0;
    /** Complaints name a customer of their own (the place a complaint counts at); the other demands only a phone. */
    const customers: string[] = [];

    /** Everyone signs in again: the clock jumps weeks, past a session's life. */
    const signIn = async () => {
      agent = await t.login('agent');
      analyst = await t.login('analyst');
      for (const [i, [, username]] of UNITS.entries()) handlers.set(unitIds[i]!, await t.login(username));
    };

    const register = async (over: { unitId: number; category: string; type: string; channel: string; phone?: string }) => {
      const phone = over.phone ?? `0874-6${String(++phoneSeq).padStart(6, '0')}`;
      const res = await agent.post('/api/demands', {
        channel: over.channel,
        type: over.type,
        category: over.category,
        ...(over.type === 'complaint' && { subcategory: 'service_complaint' }),
        unitId: over.unitId,
        customer: over.type === 'complaint' ? { phone, accountNo: customers.shift()! } : { phone },
        content: `报表测试诉求 ${phoneSeq}`,
      });
      assert.equal(res.statusCode, 201, res.body);
      const d = res.json();
      made.push({ id: d.id, day: DAY_OF(d.createdAt), unitId: over.unitId, category: over.category, type: over.type, channel: over.channel });
      return { demand: d, phone };
    };
    const DAY_OF = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

    /** Dispatch to the demand's unit, accept and hand back (resolved or not), as that unit's handler. */
    const handle = async (m: Made, resolved: boolean) => {
      const order = await agent.post(`/api/demands/${m.id}/work-orders`, { unitId: m.unitId, instructions: '请核实处理' });
      assert.equal(order.statusCode, 201, order.body);
      const handler = handlers.get(m.unitId)!;
      assert.equal((await handler.post(`/api/work-orders/${order.json().id}/accept`)).statusCode, 200);
      const body = resolved ? { findings: '已处理' } : { findings: '政策原因本级无法解决', resolved: false, unresolvedReason: 'policy' };
      const handled = await handler.post(`/api/work-orders/${order.json().id}/handle`, body);
      assert.equal(handled.statusCode, 200, handled.body);
    };
    const callback = async (m: Made, outcome: 'satisfied' | 'unsatisfied') => {
      const res = await agent.post(`/api/demands/${m.id}/callbacks`, { outcome });
      assert.equal(res.statusCode, 200, res.body);
      m.outcome = outcome;
    };

    /** Every demand made, as the API shows it now. */
    const seeAll = async (): Promise<Map<number, Seen>> => {
      const seen = new Map<number, Seen>();
      for (const m of made) {
        const d = (await agent.get(`/api/demands/${m.id}`)).json();
        const taskUnits = new Map<number, number>(d.tasks.map((o: { id: number; unitId: number }) => [o.id, o.unitId]));
        seen.set(m.id, {
          unitId: d.unitId,
          stationId: d.stationId,
          taskUnits,
          caseId: d.caseId,
          closed: d.closedAt !== null,
          callCount: d.callCount,
          resolved: d.firstHandling.resolved,
          deadlines: d.deadlines,
        });
      }
      return seen;
    };
    const isHead = (m: Made, s: Seen) => s.caseId === null || s.caseId === m.id;
    const late = (d: Seen['deadlines'][number]) => (d.metAt ?? now.toISOString()) > d.dueAt;

    /** The demand report's rows as the test counts them. */
    const expected = (seen: Map<number, Seen>, groups: string[], within: (m: Made) => boolean = () => true) => {
      const rows = new Map<string, Record<string, unknown>>();
      for (const m of made.filter(within)) {
        const s = seen.get(m.id)!;
        const key: Record<string, unknown> = {};
        for (const g of groups) {
          if (g === 'unit') Object.assign(key, { unitId: s.unitId, unitName: unitNames.get(s.unitId) });
          else if (g === 'day') key.day = m.day;
          else if (g === 'week') key.week = isoWeekOf(m.day);
          else if (g === 'month') key.month = m.day.slice(0, 7);
          else key[g] = m[g as 'category' | 'type' | 'channel'];
        }
        const id = JSON.stringify(key);
        const row = rows.get(id) ?? { ...key, count: 0, closed: 0, overdue: 0, calls: 0 };
        rows.set(id, row);
        (row.calls as number)++;
        if (!isHead(m, s)) continue;
        (row.count as number)++;
        if (s.closed) (row.closed as number)++;
        if (s.deadlines.some(late)) (row.overdue as number)++;
      }
      return [...rows.values()];
    };
    const sorted = (rows: Record<string, unknown>[]) => [...rows].map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();

    const sheetOf = async (res: { statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer; body: string }): Promise<Sheet> => {
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], XLSX);
      const read = await readWorkbook(res.rawPayload);
      assert.ok('sheets' in read, 'refused' in read ? read.refused : '');
      return read.sheets[0]!;
    };
    /** The rows under the header row (whose first cell is `first`), up to and without the 合计 row; and the 合计 row. */
    const tableOf = (sheet: Sheet, first: string) => {
      const start = sheet.rows.findIndex((r) => r.cells[0] === first);
      assert.ok(start >= 0, `a header row starting ${first}`);
      const body = sheet.rows.slice(start + 1).map((r) => r.cells);
      const end = body.findIndex((cells) => cells[0] === '合计');
      return { header: sheet.rows[start]!.cells, rows: body.slice(0, end), totals: body[end]! };
    };
    const words = (g: string, r: Record<string, unknown>): CellValue => {
      switch (g) {
        case 'unit':
          return r.unitName as string;
        case 'category':
          return categoryLabel(r.category as string, 'zh-CN');
        case 'type':
          return typeLabel(r.type as string, 'zh-CN');
        case 'channel':
          return CHANNEL_WORDS[r.channel as keyof typeof CHANNEL_WORDS];
        default:
          return r[g] as string;
      }
    };

    /** Every grouping in JSON (and, when asked, in the workbook) against the test's count. */
    const checkEveryGrouping = async (stage: string, workbooks: boolean) => {
      const seen = await seeAll();
      for (const groups of GROUPINGS) {
        const url = `/api/reports/demands?${PERIOD}${groups.length > 0 ? `&groupBy=${groups.join(',')}` : ''}`;
        const res = await analyst.get(url);
        assert.equal(res.statusCode, 200, `${stage} ${url}: ${res.body}`);
        const report = res.json();
        const want = expected(seen, groups);
        const rows = groups.length === 0 ? [report.totals] : report.rows;
        assert.deepEqual(sorted(rows), sorted(want), `${stage}: groupBy=${groups.join(',')}`);
        const total = want.reduce((n, r) => n + (r.count as number), 0);
        assert.equal(report.total, total, `${stage}: total of groupBy=${groups.join(',')}`);
        assert.deepEqual(report.groupBy, groups);
        if (!workbooks) continue;
        const sheet = await sheetOf(await analyst.get(`${url}&format=xlsx`));
        const table = tableOf(sheet, groups.length === 0 ? '范围' : HEADERS[groups[0]!]!);
        assert.deepEqual(table.header.slice(Math.max(1, groups.length)), ['诉求宗数', '已办结', '超时', '来电次数']);
        const fromBook = table.rows.map((cells) => cells.map((c) => (typeof c === 'number' ? c : String(c))).join('|')).sort();
        const fromTest = want.map((r) => [...groups.map((g) => words(g, r)), r.count, r.closed, r.overdue, r.calls].join('|')).sort();
        assert.deepEqual(fromBook, groups.length === 0 ? [] : fromTest, `${stage}: workbook of groupBy=${groups.join(',')}`);
        assert.deepEqual(table.totals.slice(-4), [total, ...['closed', 'overdue', 'calls'].map((f) => want.reduce((n, r) => n + (r[f] as number), 0))]);
      }
      return seen;
    };

    /** Timeliness by unit × step, as the test counts the deadlines the API shows (the step's unit is the order's, here the demand's). */
    const checkTimeliness = async (stage: string, seen: Map<number, Seen>) => {
      const want = new Map<string, { unitId: number; step: string; total: number; inTime: number; late: number; running: number }>();
      for (const m of made) {
        const s = seen.get(m.id)!;
        for (const d of s.deadlines) {
          const unit = d.taskId !== null ? s.taskUnits.get(d.taskId)! : s.unitId;
          const key = `${unit}|${d.step}`;
          const row = want.get(key) ?? { unitId: unit, step: d.step, total: 0, inTime: 0, late: 0, running: 0 };
          want.set(key, row);
          row.total++;
          if (d.metAt !== null) row[d.metAt <= d.dueAt ? 'inTime' : 'late']++;
          else row[now.toISOString() > d.dueAt ? 'late' : 'running']++;
        }
      }
      const report = (await analyst.get(`/api/reports/timeliness?${PERIOD}`)).json();
      assert.deepEqual(
        sorted(report.rows.map((r: any) => ({ unitId: r.unitId, step: r.step, total: r.total, inTime: r.inTime, late: r.late, running: r.running }))),
        sorted([...want.values()]),
        `${stage}: timeliness`,
      );
      for (const r of report.rows) assert.equal(r.inTimeRate, r.inTime + r.late > 0 ? r.inTime / (r.inTime + r.late) : null);
      assert.ok(report.rows.some((r: any) => r.late > 0) && report.rows.some((r: any) => r.inTime > 0), 'some steps in time and some late');
      return report;
    };

    /** The rates by unit and by channel, each numerator and denominator counted by the test. */
    const checkRates = async (stage: string, seen: Map<number, Seen>) => {
      for (const by of ['unit', 'channel'] as const) {
        const want = new Map<
          string,
          { cases: number; calls: number; handled: number; first: number; closed: number; repeated: number; sat: number; unsat: number }
        >();
        for (const m of made) {
          const s = seen.get(m.id)!;
          const key = by === 'unit' ? String(s.unitId) : m.channel;
          const row = want.get(key) ?? { cases: 0, calls: 0, handled: 0, first: 0, closed: 0, repeated: 0, sat: 0, unsat: 0 };
          want.set(key, row);
          row.calls++;
          if (!isHead(m, s)) continue;
          row.cases++;
          if (s.resolved !== null) row.handled++;
          if (s.resolved === true) row.first++;
          if (s.closed) row.closed++;
          if (s.callCount >= 2) row.repeated++;
          if (m.outcome === 'satisfied') row.sat++;
          if (m.outcome === 'unsatisfied') row.unsat++;
        }
        const share = (n: number, d: number) => ({ numerator: n, denominator: d, rate: d > 0 ? n / d : null });
        const res = await analyst.get(`/api/reports/rates?${PERIOD}&by=${by}`);
        assert.equal(res.statusCode, 200, res.body);
        const report = res.json();
        assert.deepEqual(
          Object.fromEntries(report.rows.map((r: any) => [by === 'unit' ? String(r.unitId) : r.channel, r])),
          Object.fromEntries(
            [...want].map(([key, w]) => [
              key,
              {
                ...(by === 'unit' ? { unitId: Number(key), unitName: unitNames.get(Number(key)) } : { channel: key }),
                cases: w.cases,
                calls: w.calls,
                resolution: share(w.first, w.handled),
                closure: share(w.closed, w.cases),
                repeat: share(w.repeated, w.cases),
                satisfaction: share(w.sat, w.sat + w.unsat),
              },
            ]),
          ),
          `${stage}: rates by ${by}`,
        );
        const sum = (f: 'cases' | 'sat' | 'unsat') => [...want.values()].reduce((n, w) => n + w[f], 0);
        assert.deepEqual(report.total.satisfaction, share(sum('sat'), sum('sat') + sum('unsat')));
        assert.equal(report.total.cases, sum('cases'));
      }
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 300 });
      for (const [code] of UNITS) unitIds.push(await unitId(t.database, code));
      // Customers of stations of different counties, one after another.
      const byUnit = new Map<number, string[]>();
      for (const c of await t.database.db.selectFrom('customers').select(['account_no', 'unit_id']).orderBy('id').execute())
        byUnit.set(c.unit_id, [...(byUnit.get(c.unit_id) ?? []), c.account_no]);
      for (let i = 0; customers.length < 60; i++) for (const list of byUnit.values()) if (list[i]) customers.push(list[i]!);
      await signIn();
      for (const u of await t.database.db.selectFrom('units').select(['id', 'name']).execute()) unitNames.set(u.id, u.name);

      // The demands, in the order of their times: each registered, then what happens to it.
      const events: { at: Date; run: () => Promise<void> }[] = [];
      for (let i = 0; i < 40; i++) {
        const day = DAYS[i % DAYS.length]!;
        const registered = at(`${day}T${day === '2026-12-07' ? '07' : '09'}:${String(10 + i).padStart(2, '0')}:00`);
        const spec = {
          unitId: 0,
          category: CATEGORIES[(i % 5) % 4]!,
          type: TYPES[(i % 7) % 4]!,
          channel: CHANNELS[(i % 9) % 4]!,
          index: i % 4,
        };
        let m: Made | undefined;
        events.push({
          at: registered,
          run: async () => {
            await register({ ...spec, unitId: unitIds[spec.index]! });
            m = made.at(-1)!;
          },
        });
        // The last two days' demands are left alone: running steps, one of which goes late untouched.
        if (day >= '2026-12-04') continue;
        const soon = new Date(registered.getTime() + (i % 2 === 0 ? 2 * 3600_000 : 8 * 86_400_000));
        const then = soon > at('2026-12-07T07:00:00') ? at('2026-12-07T07:00:00') : soon;
        if (spec.type === 'consultation') {
          if (i % 3 !== 0)
            events.push({
              at: new Date(registered.getTime() + 60_000),
              run: async () => {
                const res = await agent.post(`/api/demands/${m!.id}/answer`, { answer: '已当场答复' });
                assert.equal(res.statusCode, 200, res.body);
              },
            });
          continue;
        }
        const plan = i % 5;
        if (plan === 4) continue;
        events.push({
          at: then,
          run: async () => {
            if (plan === 3) {
              assert.equal((await agent.post(`/api/demands/${m!.id}/work-orders`, { unitId: m!.unitId, instructions: '请核实处理' })).statusCode, 201);
              return;
            }
            await handle(m!, plan !== 2);
            if (plan === 0) await callback(m!, 'satisfied');
            if (plan === 1) await callback(m!, 'unsatisfied');
          },
        });
      }
      // One case of two calls: the customer calls again the next day about the same matter, on another channel.
      events.push({
        at: at('2026-11-03T15:00:00'),
        run: async () => {
          const first = await register({ unitId: unitIds[0]!, category: 'supply_service', type: 'opinion', channel: 'phone', phone: '0874-7000001' });
          assert.equal(first.demand.caseId, first.demand.id);
        },
      });
      events.push({
        at: at('2026-11-04T10:00:00'),
        run: async () => {
          const second = await register({ unitId: unitIds[0]!, category: 'supply_service', type: 'opinion', channel: 'wechat', phone: '0874-7000001' });
          assert.equal(second.demand.callCount, 2, 'the second call joins the case');
          assert.notEqual(second.demand.caseId, second.demand.id);
        },
      });
      events.sort((a, b) => a.at.getTime() - b.at.getTime());
      for (const e of events) {
        const day = DAY_OF(now.toISOString());
        now = e.at;
        if (DAY_OF(now.toISOString()) !== day) await signIn();
        await e.run();
      }
      now = at('2026-12-07T08:00:00');
      await signIn();
    });
    after(() => t.close());

    test('the set is as built: cases, calls, callbacks, steps in time and late, nothing given up', async () => {
      assert.equal(made.length, 42);
      const cancelled = await t.database.db.selectFrom('deadlines').select('id').where('cancelled_at', 'is not', null).execute();
      assert.equal(cancelled.length, 0, 'no step was given up (the API shows no cancellation, so the test counts none)');
      assert.ok(made.some((m) => m.outcome === 'satisfied') && made.some((m) => m.outcome === 'unsatisfied'));
      const state = await t.database.db.selectFrom('rollup_state').selectAll().execute();
      assert.deepEqual(state, [], 'no scheduler pass yet: the rollup is empty');
    });

    test('before any scheduler pass, more demands than a report may count whole: 503 with Retry-After, not minutes of work', async () => {
      const range = { fromDay: '2026-01-01', toDay: '2027-01-01' };
      await assert.rejects(
        pendingRows(t.database.db, range, now, t.config.timeZone, { maxWhole: 41 }),
        (err: AppError) => err.statusCode === 503 && err.retryAfterSeconds === 60 && /counted for the first time/.test(err.message),
      );
      assert.equal((await pendingRows(t.database.db, range, now, t.config.timeZone, { maxWhole: 42 }))!.demands, 42);
      // A bounded reader (the list's total, 31 days at most) says it cannot count, and the list counts up to 1,000 instead.
      const month = { fromDay: '2026-11-09', toDay: '2026-12-08' };
      const inMonth = made.filter((m) => m.day >= month.fromDay && m.day < month.toDay).length;
      assert.equal((await pendingRows(t.database.db, month, now, t.config.timeZone, { maxWhole: inMonth, maxChanged: 1000 }))!.demands, inMonth);
      assert.equal(await pendingRows(t.database.db, month, now, t.config.timeZone, { maxWhole: inMonth - 1, maxChanged: 1000 }), null);
    });

    test('before any scheduler pass: every grouping counted live, in JSON and in the workbook', async () => {
      const seen = await checkEveryGrouping('live', true);
      await checkTimeliness('live', seen);
      await checkRates('live', seen);
    });

    test('after the scheduler’s pass: the same figures, read from the rollup', async () => {
      await runSchedulerPass(t.database.db, now);
      const rows = await t.database.db
        .selectFrom('demand_rollup')
        .select((eb) => eb.fn.sum<number>('cases').as('cases'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(rows.cases), 41, 'the rollup holds every case');
      const seen = await checkEveryGrouping('rollup', false);
      await checkTimeliness('rollup', seen);
      await checkRates('rollup', seen);
    });

    test('after changes since the pass (a demand closed, a new one, a step gone late untouched): exact at the lag', async () => {
      const running = (await seeAll()).get(made.find((m) => m.day === '2026-12-04' && m.type === 'complaint')!.id)!;
      const contact = running.deadlines.find((d) => d.step === 'contact')!;
      assert.equal(contact.metAt, null);
      const before = (await analyst.get(`/api/reports/demands?${PERIOD}`)).json().totals;
      now = new Date(Date.parse(contact.dueAt) + 30 * 60_000);
      await signIn();
      // A consultation left open on an old day is answered now; a new call comes in.
      const open = made.find((m) => m.type === 'consultation' && m.day < '2026-12-01' && made.indexOf(m) % 3 === 0)!;
      assert.equal((await agent.post(`/api/demands/${open.id}/answer`, { answer: '补充答复' })).statusCode, 200);
      await register({ unitId: unitIds[1]!, category: 'outage_voltage', type: 'opinion', channel: 'app' });
      // The case of two calls is split: the second call becomes a case of its own (a call that counted as a call
      // only now counts as a case on its channel; the first is no longer repeated).
      const secondCall = made.find((m) => m.day === '2026-11-04' && m.channel === 'wechat' && m.type === 'opinion')!;
      const unlinked = await agent.post(`/api/demands/${secondCall.id}/unlink`, { reason: '客户第二次来电反映的是另一件事' });
      assert.equal(unlinked.statusCode, 200, unlinked.body);
      // Days of four or five demands, one or two changed: each counted whole, its rows in the rollup left out.
      const lagging = (await pendingRows(t.database.db, { fromDay: '2026-01-01', toDay: '2027-01-01' }, now, t.config.timeZone))!;
      assert.ok(lagging.wholeDays.length >= 3, lagging.wholeDays.join());
      const seen = await checkEveryGrouping('lag', true);
      await checkTimeliness('lag', seen);
      await checkRates('lag', seen);
      const after = (await analyst.get(`/api/reports/demands?${PERIOD}`)).json().totals;
      assert.equal(after.count, before.count + 2, 'the new call and the call split off are cases');
      assert.equal(after.closed, before.closed + 1);
      assert.ok(after.overdue > before.overdue, 'the step that went late untouched is counted');
      // And once more after the next pass. What the pass itself changed (the late step escalated, stamped with the
      // pass's moment) is in the rows it rebuilt: the readers recount no day until something changes after it.
      const second = await runSchedulerPass(t.database.db, now);
      assert.ok(second.escalations > 0, 'the pass escalated the late step');
      const touched = await t.database.db.selectFrom('demands').select('id').where('updated_at', '=', now.toISOString()).execute();
      assert.ok(touched.length > 0, 'the pass changed demands at its own moment');
      const pending = await pendingRows(t.database.db, { fromDay: '2026-01-01', toDay: '2027-01-01' }, new Date(now.getTime() + 1000), t.config.timeZone);
      assert.deepEqual({ fromRollup: pending!.fromRollup, demands: pending!.demands }, { fromRollup: true, demands: 0 });
      await checkEveryGrouping('second pass', false);
    });

    test('a shorter period counts only its days; a type filter only its type', async () => {
      const seen = await seeAll();
      const november = (m: Made) => m.day >= '2026-11-01' && m.day < '2026-12-01';
      const res = (await analyst.get('/api/reports/demands?from=2026-11-01&to=2026-12-01&groupBy=unit')).json();
      assert.deepEqual(res.from, '2026-11-01');
      assert.deepEqual(sorted(res.rows), sorted(expected(seen, ['unit'], november)));
      const midnight = (await analyst.get('/api/reports/demands?from=2026-10-31T16:00:00.000Z&to=2026-12-01T00:00:00%2B08:00&groupBy=unit')).json();
      assert.deepEqual(midnight.rows, res.rows, 'local midnights are the same days');
      const complaints = (await analyst.get(`/api/reports/demands?${PERIOD}&groupBy=channel&type=complaint`)).json();
      assert.deepEqual(sorted(complaints.rows), sorted(expected(seen, ['channel'], (m) => m.type === 'complaint')));
    });

    test('complaints per 10,000 customers of each county and station, in JSON and in the workbook', async () => {
      const seen = await seeAll();
      const customers = new Map<number, number>();
      for (const c of await t.database.db.selectFrom('customers').select('unit_id').execute()) customers.set(c.unit_id, (customers.get(c.unit_id) ?? 0) + 1);
      const units = await t.database.db.selectFrom('units').select(['id', 'kind', 'parent_id', 'name']).execute();
      const complaintsOf = (ids: Set<number>) =>
        made.filter((m) => m.type === 'complaint' && isHead(m, seen.get(m.id)!) && ids.has(seen.get(m.id)!.stationId ?? 0)).length;
      const res = await analyst.get(`/api/reports/complaints?${PERIOD}`);
      assert.equal(res.statusCode, 200, res.body);
      const report = res.json();
      const counties = units.filter((u) => u.kind === 'county');
      assert.equal(report.rows.filter((r: any) => r.kind === 'county').length, counties.length);
      for (const u of units.filter((u) => u.kind === 'county' || (u.kind === 'station' && counties.some((c) => c.id === u.parent_id)))) {
        const ids = new Set([u.id, ...units.filter((s) => s.parent_id === u.id).map((s) => s.id)]);
        const served = [...ids].reduce((n, id) => n + (customers.get(id) ?? 0), 0);
        const complaints = complaintsOf(ids);
        const row = report.rows.find((r: any) => r.unitId === u.id);
        assert.deepEqual(
          { complaints: row.complaints, customers: row.customers, per10k: row.per10k },
          { complaints, customers: served, per10k: served > 0 ? (complaints * 10_000) / served : null },
          u.name,
        );
      }
      assert.ok(
        report.rows.some((r: any) => r.complaints > 0 && r.customers > 0),
        'some unit has complaints and customers',
      );
      const allComplaints = made.filter((m) => m.type === 'complaint' && isHead(m, seen.get(m.id)!)).length;
      assert.deepEqual(report.total, { complaints: allComplaints, customers: 300, per10k: (allComplaints * 10_000) / 300 });
      const table = tableOf(await sheetOf(await analyst.get(`/api/reports/complaints?${PERIOD}&format=xlsx`)), '单位');
      assert.deepEqual(table.header, ['单位', '单位类型', '投诉宗数', '客户数', '每万户投诉']);
      assert.deepEqual(
        table.rows.map((c) => [c[0], c[2], c[3], c[4] ?? null]),
        report.rows.map((r: any) => [r.unitName, r.complaints, r.customers, r.per10k]),
      );
    });

    test('timeliness and rates read back from their workbooks', async () => {
      const timeliness = (await analyst.get(`/api/reports/timeliness?${PERIOD}`)).json();
      const table = tableOf(await sheetOf(await analyst.get(`/api/reports/timeliness?${PERIOD}&format=xlsx`)), '单位');
      assert.deepEqual(table.header, ['单位', '环节', '总数', '按时', '超时', '进行中', '按时率']);
      const stepWords: Record<string, string> = { contact: '联系客户', answer: '答复客户', callback: '回访', transfer_answer: '传递答复' };
      assert.deepEqual(
        table.rows.map((c) => Array.from({ length: 7 }, (_, i) => c[i] ?? null)),
        timeliness.rows.map((r: any) => [r.unitName, stepWords[r.step], r.total, r.inTime, r.late, r.running, r.inTimeRate]),
      );
      const rates = (await analyst.get(`/api/reports/rates?${PERIOD}&by=channel`)).json();
      const book = tableOf(await sheetOf(await analyst.get(`/api/reports/rates?${PERIOD}&by=channel&format=xlsx`)), '渠道');
      assert.deepEqual(
        book.rows.map((c) => [c[0], c[1], c[2], c[3], c[13] ?? null]),
        rates.rows.map((r: any) => [CHANNEL_WORDS[r.channel as 'phone'], r.cases, r.resolution.numerator, r.resolution.denominator, r.satisfaction.rate]),
      );
    });

    test('a unit’s handler sees their own units only; another unit is not found', async () => {
      const handler = handlers.get(unitIds[0]!)!;
      const own = await handler.get(`/api/reports/demands?${PERIOD}&groupBy=unit`);
      assert.equal(own.statusCode, 200, own.body);
      assert.deepEqual(
        own.json().rows.map((r: any) => r.unitId),
        [unitIds[0]],
      );
      const seen = await seeAll();
      assert.deepEqual(sorted(own.json().rows), sorted(expected(seen, ['unit'], (m) => seen.get(m.id)!.unitId === unitIds[0])));
      assert.equal((await handler.get(`/api/reports/demands?${PERIOD}&unitId=${unitIds[1]}`)).statusCode, 404);
      assert.equal((await handler.get(`/api/reports/timeliness?${PERIOD}&unitId=${unitIds[2]}`)).statusCode, 404);
      assert.equal((await handler.get(`/api/reports/demands?${PERIOD}&unitId=${unitIds[0]}`)).statusCode, 200);
      const rates = (await handler.get(`/api/reports/rates?${PERIOD}`)).json();
      assert.deepEqual(
        rates.rows.map((r: any) => r.unitId),
        [unitIds[0]],
      );
      const complaints = (await handler.get(`/api/reports/complaints?${PERIOD}`)).json();
      assert.deepEqual(
        complaints.rows.map((r: any) => r.unitId),
        [unitIds[0]],
      );
      // The analyst picks a county: the county and its stations.
      const county = await unitId(t.database, 'YL-QL');
      const area = (await analyst.get(`/api/reports/demands?${PERIOD}&groupBy=unit&unitId=${county}`)).json();
      assert.deepEqual(sorted(area.rows), sorted(expected(seen, ['unit'], (m) => [unitIds[0], unitIds[1]].includes(seen.get(m.id)!.unitId))));
      assert.equal((await agent.get(`/api/reports/demands?${PERIOD}`)).statusCode, 403, 'an agent reads no reports');
    });

    test('a bad grouping, type or period is a 400 naming it', async () => {
      const refused = async (url: string, field: string, message: RegExp) => {
        const res = await analyst.get(url);
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        assert.match(res.json().message, new RegExp(`querystring\\.${field}`));
        assert.match(res.json().message, message);
      };
      await refused(`/api/reports/demands?${PERIOD}&groupBy=unit,county`, 'groupBy', /"county" is not a grouping/);
      await refused(`/api/reports/demands?${PERIOD}&groupBy=day,month`, 'groupBy', /one of day, week or month/);
      await refused(`/api/reports/demands?${PERIOD}&type=complaints`, 'type', /"complaints" is not a demand type/);
      await refused('/api/reports/demands?from=2026-12-01&to=2026-11-01', 'to', /must be after from/);
      await refused('/api/reports/demands?from=2024-01-01&to=2026-12-01', 'to', /at most two years/);
      await refused('/api/reports/timeliness?from=2026-11-01T09:00:00%2B08:00&to=2026-12-01', 'from', /whole days/);
      await refused('/api/reports/rates?from=2026-11-01&to=2026-12-01&by=type', 'by', /./);
      await refused('/api/reports/complaints?from=November&to=2026-12-01', 'from', /./);
    });
  });
}
