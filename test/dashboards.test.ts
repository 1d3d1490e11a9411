import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';

// The dashboards and the staff figures through the public endpoints (issue
// 18, points 4 and 5). Two agents register a known set of demands over six
// weeks (answered on the call, dispatched and called back satisfied or not, a
// repair, a complaint left open); the centre dashboard's periods, trends and
// worst units, the wall screen before and after a scheduler pass makes a
// repair's arrival overdue, a unit's page and who may see it, and each staff
// member's month (who sees whose) are checked against counts the test keeps.

const at = (local: string) => new Date(`${local}+08:00`);
const ZONE = 'Asia/Shanghai';

interface Made {
  id: number;
  day: string;
  type: string;
  unit: 'CG' | 'ZY';
  by: 'agent' | 'agent.01';
  /** Answered on the call: closed with no work order and no expert. */
  fcr: boolean;
  outcome?: 'satisfied' | 'unsatisfied';
  /** The handler who handled its work order. */
  handledBy?: 'handler' | 'handler.zy';
}

for (const target of testDatabases()) {
  describe(`dashboards and staff figures (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-11-03T10:00:00');
    const units: Record<'CG' | 'ZY', number> = { CG: 0, ZY: 0 };
    const made: Made[] = [];
    let phone = 0;
    let repair: Made;

    const as = (username: string) => t.login(username);
    const ok = (res: { statusCode: number; body: string }, code = 200) => {
      assert.equal(res.statusCode, code, res.body);
      return JSON.parse(res.body);
    };

    async function register(client: Client, by: Made['by'], type: string, unit: Made['unit'], extra: object = {}) {
      phone++;
      const demand = ok(
        await client.post('/api/demands', {
          channel: phone % 2 === 0 ? 'phone' : 'wechat',
          type,
          category: type === 'fault_repair' ? 'outage_voltage' : 'supply_service',
          ...(type === 'complaint' && { subcategory: 'service_complaint' }),
          customer: { phone: `13900${String(phone).padStart(6, '0')}` },
          content: `第${phone}号诉求：${type}`,
          unitId: units[unit],
          ...extra,
        }),
        201,
      );
      const m: Made = { id: demand.id, day: localDay(), type, unit, by, fcr: false };
      made.push(m);
      return m;
    }
    const localDay = () => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

    async function answered(by: Made['by'], type: string, unit: Made['unit']) {
      const client = await as(by);
      const m = await register(client, by, type, unit);
      ok(await client.post(`/api/demands/${m.id}/answer`, { answer: '已在电话中答复客户' }));
      m.fcr = true;
      return m;
    }

    async function workedAndCalledBack(by: Made['by'], unit: Made['unit'], handler: 'handler' | 'handler.zy', outcome: 'satisfied' | 'unsatisfied') {
      const agent = await as(by);
      const m = await register(agent, by, 'complaint', unit);
      const order = ok(await agent.post(`/api/demands/${m.id}/work-orders`, { unitId: units[unit], instructions: '请核实处理并答复客户' }), 201);
      const h = await as(handler);
      ok(await h.post(`/api/work-orders/${order.id}/accept`));
      ok(await h.post(`/api/work-orders/${order.id}/handle`, { findings: '已核实并处理' }));
      ok(await agent.post(`/api/demands/${m.id}/callbacks`, { outcome }));
      m.outcome = outcome;
      m.handledBy = handler;
      return m;
    }

    before(async () => {
      t = await startTestApp(target, { clock: () => now });
      units.CG = await unitId(t.database, 'YL-QL-CG');
      units.ZY = await unitId(t.database, 'YL-ZY');

      // Last month, before the same day of the month: answered on the call, and a complaint called back satisfied.
      await answered('agent', 'consultation', 'CG');
      await answered('agent', 'consultation', 'CG');
      await workedAndCalledBack('agent', 'CG', 'handler', 'satisfied');
      await answered('agent.01', 'opinion', 'ZY');
      now = at('2026-11-20T10:00:00');
      await answered('agent.01', 'consultation', 'ZY');
      // The same weekday last week: a complaint called back unsatisfied (the case opens again, at the team lead).
      now = at('2026-11-30T10:00:00');
      await workedAndCalledBack('agent', 'CG', 'handler', 'unsatisfied');
      await answered('agent', 'consultation', 'CG');
      // This month.
      now = at('2026-12-01T10:00:00');
      await workedAndCalledBack('agent.01', 'ZY', 'handler.zy', 'satisfied');
      now = at('2026-12-06T10:00:00');
      await answered('agent', 'consultation', 'CG');
      await answered('agent', 'consultation', 'CG');
      await answered('agent.01', 'suggestion', 'CG');
      // Today: a repair sent to the station and taken (the crew is due on site by 08:45), a complaint not yet sent.
      now = at('2026-12-07T08:00:00');
      const agent = await as('agent');
      repair = await register(agent, 'agent', 'fault_repair', 'CG', { areaClass: 'urban', outageId: null });
      const order = ok(await agent.post(`/api/demands/${repair.id}/work-orders`, { unitId: units.CG, instructions: '请立即派人抢修' }), 201);
      ok(await (await as('handler')).post(`/api/work-orders/${order.id}/accept`));
      await register(await as('agent.01'), 'agent.01', 'complaint', 'CG');
    });
    after(() => t.close());

    /** The cases (all registered here stand alone) with a step past its limit at `now`, read straight from the deadlines. */
    async function overdueIds(): Promise<Set<number>> {
      const rows = await t.database.db.selectFrom('deadlines').select(['demand_id', 'due_at', 'met_at', 'cancelled_at']).execute();
      const iso = now.toISOString();
      return new Set(rows.filter((d) => d.due_at < (d.met_at ?? d.cancelled_at ?? iso)).map((d) => d.demand_id));
    }

    test('the wall screen: open work by unit and step; a repair’s arrival overdue and escalated after the scheduler pass; experts on duty; calls per hour', async () => {
      now = at('2026-12-07T08:10:00');
      const lead = await as('team_lead');
      const before = ok(await lead.get('/api/dashboard/wallboard'));
      const cg = () => (before.units as any[]).find((u) => u.unitId === units.CG);
      assert.equal(cg().waiting, 1, 'the repair’s order is open at the station');
      assert.deepEqual(
        cg().steps.find((s: any) => s.step === 'arrive'),
        { step: 'arrive', running: 1, overdue: 0 },
      );
      assert.equal(
        before.escalations.some((e: any) => e.demandId === repair.id),
        false,
      );
      assert.equal(before.callsPerHour.length, 24);
      assert.equal(before.callsPerHour[8], 2, 'two calls registered between 08:00 and 09:00');
      assert.equal(before.totals.callsToday, 2);
      // Experts: every department's and county's two are on call around the clock in the demo.
      assert.ok(before.experts.length >= 2);
      assert.ok(before.experts.every((e: any) => typeof e.name === 'string' && e.name.length > 0 && e.unitName.length > 0));

      now = at('2026-12-07T09:00:00');
      const pass = await runSchedulerPass(t.database.db, now, ZONE);
      assert.ok(pass.escalations >= 1);
      const afterPass = ok(await (await as('team_lead')).get('/api/dashboard/wallboard'));
      const cgAfter = (afterPass.units as any[]).find((u) => u.unitId === units.CG);
      assert.deepEqual(
        cgAfter.steps.find((s: any) => s.step === 'arrive'),
        { step: 'arrive', running: 0, overdue: 1 },
      );
      assert.equal(cgAfter.unitName, '城关供电所');
      const escalation = afterPass.escalations.find((e: any) => e.demandId === repair.id);
      assert.ok(escalation, 'the overdue repair is escalated to the team lead');
      assert.equal(escalation.level, 1);
      assert.equal(escalation.unitName, '城关供电所');
      // Every figure against the live tables read here: open orders, live steps and escalated open cases.
      const db = t.database.db;
      const open = await db
        .selectFrom('tasks')
        .innerJoin('demands', 'demands.id', 'tasks.demand_id')
        .select('tasks.id')
        .where('demands.status', '<>', 'closed')
        .where('tasks.status', 'in', ['dispatched', 'accepted', 'arrived'])
        .execute();
      assert.equal(afterPass.totals.waiting, open.length);
      const live = (
        await db
          .selectFrom('deadlines')
          .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
          .select('deadlines.due_at')
          .where('demands.status', '<>', 'closed')
          .where('deadlines.met_at', 'is', null)
          .where('deadlines.cancelled_at', 'is', null)
          .execute()
      ).map((d) => d.due_at);
      assert.equal(afterPass.totals.overdue, live.filter((d) => d <= now.toISOString()).length);
      assert.equal(afterPass.totals.running, live.filter((d) => d > now.toISOString()).length);
      const escalated = await db.selectFrom('demands').select('id').where('status', '<>', 'closed').where('escalation_level', '>=', 1).execute();
      assert.equal(afterPass.totals.escalated, escalated.length);
      assert.ok(afterPass.totals.escalated >= 2, 'the repair and the complaint called back unsatisfied');
    });

    test('the centre dashboard: today and this month against the periods before, the trends by type, the worst units', async () => {
      now = at('2026-12-07T09:00:00');
      const manager = await as('centre_manager');
      const d = ok(await manager.get('/api/dashboard/centre'));
      assert.equal(d.today, '2026-12-07');
      assert.equal(d.month, '2026-12');
      const late = await overdueIds();
      const figures = (from: string, to: string) => {
        const ms = made.filter((m) => m.day >= from && m.day < to);
        const satisfied = ms.filter((m) => m.outcome === 'satisfied').length;
        const unsatisfied = ms.filter((m) => m.outcome === 'unsatisfied').length;
        return {
          fromDay: from,
          toDay: to,
          calls: ms.length,
          cases: ms.length,
          complaints: ms.filter((m) => m.type === 'complaint').length,
          overdue: ms.filter((m) => late.has(m.id)).length,
          satisfied,
          unsatisfied,
          satisfaction: satisfied + unsatisfied > 0 ? satisfied / (satisfied + unsatisfied) : null,
        };
      };
      assert.deepEqual(d.periods.today, figures('2026-12-07', '2026-12-08'));
      assert.deepEqual(d.periods.yesterday, figures('2026-12-06', '2026-12-07'));
      assert.deepEqual(d.periods.lastWeek, figures('2026-11-30', '2026-12-01'));
      assert.deepEqual(d.periods.monthToDate, figures('2026-12-01', '2026-12-08'));
      assert.deepEqual(d.periods.lastMonthToDate, figures('2026-11-01', '2026-11-08'));
      // Known values, lest the test's own arithmetic agree with a mistake.
      assert.equal(d.periods.today.cases, 2);
      assert.equal(d.periods.today.complaints, 1);
      assert.equal(d.periods.yesterday.cases, 3);
      assert.equal(d.periods.lastWeek.satisfaction, 0);
      assert.equal(d.periods.monthToDate.cases, 6);
      assert.equal(d.periods.monthToDate.satisfaction, 1);
      assert.equal(d.periods.lastMonthToDate.cases, 4);
      assert.ok(d.periods.today.overdue >= 1, 'the repair');

      // Trends: 30 days ending today, 12 months ending this month, cases by type.
      assert.equal(d.daily.days.length, 30);
      assert.equal(d.daily.days.at(-1), '2026-12-07');
      assert.equal(d.monthly.months.length, 12);
      assert.deepEqual(d.monthly.months.slice(-2), ['2026-11', '2026-12']);
      const monthly = (type: string) => d.monthly.series.find((s: any) => s.type === type)?.counts.slice(-2);
      assert.deepEqual(monthly('consultation'), [4, 2]);
      assert.deepEqual(monthly('complaint'), [2, 2]);
      assert.deepEqual(monthly('opinion'), [1, 0]);
      assert.deepEqual(monthly('suggestion'), [0, 1]);
      assert.deepEqual(monthly('fault_repair'), [0, 1]);
      const daily = (type: string, day: string) => d.daily.series.find((s: any) => s.type === type)?.counts[d.daily.days.indexOf(day)];
      assert.equal(daily('consultation', '2026-12-06'), 2);
      assert.equal(daily('consultation', '2026-11-20'), 1);
      assert.equal(daily('complaint', '2026-11-30'), 1);
      assert.equal(
        d.daily.series.reduce((a: number, s: any) => a + s.counts.reduce((x: number, y: number) => x + y, 0), 0),
        made.filter((m) => m.day >= '2026-11-08').length,
      );

      // Worst units this month, by name.
      const cgCases = made.filter((m) => m.day >= '2026-12-01' && m.unit === 'CG');
      const cgOverdue = d.worst.overdue.find((u: any) => u.unitId === units.CG);
      assert.deepEqual(cgOverdue, { unitId: units.CG, unitName: '城关供电所', value: cgCases.filter((m) => late.has(m.id)).length, of: cgCases.length });
      assert.deepEqual(d.worst.satisfaction, [{ unitId: units.ZY, unitName: '沾益区供电局', value: 1, of: 1 }]);
      for (const u of d.worst.timeliness) assert.ok(u.value >= 0 && u.value <= 1 && u.of > 0 && u.unitName.length > 0);

      // The same answer after another pass has refreshed the rollups.
      await runSchedulerPass(t.database.db, now, ZONE);
      assert.deepEqual(ok(await manager.get('/api/dashboard/centre')), d);
    });

    test('the centre’s pages are the city’s: a unit’s handler is refused them, an agent has no reports', async () => {
      now = at('2026-12-07T09:00:00');
      const handler = await as('handler');
      assert.equal((await handler.get('/api/dashboard/centre')).statusCode, 403);
      assert.equal((await handler.get('/api/dashboard/wallboard')).statusCode, 403);
      assert.equal((await (await as('agent')).get('/api/dashboard/centre')).statusCode, 403);
      assert.equal((await t.anonymous().get('/api/dashboard/centre')).statusCode, 401);
    });

    test('a unit’s page: its open orders with their limits, this month’s timeliness by step, its county’s score; another unit’s handler gets 404', async () => {
      now = at('2026-12-07T09:00:00');
      const handler = await as('handler');
      const page = ok(await handler.get('/api/dashboard/unit'));
      assert.equal(page.unitId, units.CG, 'the caller’s own unit by default');
      assert.equal(page.unitName, '城关供电所');
      assert.equal(page.queue.total, 1);
      assert.deepEqual(page.queue.byStatus, [{ status: 'accepted', count: 1 }]);
      assert.equal(page.queue.overdue, 1);
      const item = page.queue.items[0];
      assert.equal(item.demandId, repair.id);
      assert.equal(item.step, 'arrive');
      assert.equal(item.dueAt, at('2026-12-07T08:45:00').toISOString());
      // Timeliness: the deadlines of this month's demands whose step the station owes (not the centre's dispatch and callback), as the test reads them.
      const rows = await t.database.db
        .selectFrom('deadlines')
        .innerJoin('demands', 'demands.id', 'deadlines.demand_id')
        .leftJoin('tasks', 'tasks.id', 'deadlines.task_id')
        .select([
          'deadlines.step',
          'deadlines.due_at',
          'deadlines.met_at',
          'deadlines.cancelled_at',
          'tasks.unit_id as task_unit',
          'demands.unit_id as demand_unit',
        ])
        .where('demands.created_at', '>=', at('2026-12-01T00:00:00').toISOString())
        .execute();
      const iso = now.toISOString();
      const expected = new Map<string, { inTime: number; late: number; running: number }>();
      for (const r of rows.filter((r) => (r.task_unit ?? r.demand_unit) === units.CG && r.step !== 'dispatch' && r.step !== 'callback')) {
        const standing =
          r.met_at !== null
            ? r.met_at <= r.due_at
              ? 'inTime'
              : 'late'
            : (r.cancelled_at ?? iso) > r.due_at
              ? 'late'
              : r.cancelled_at === null
                ? 'running'
                : null;
        if (!standing) continue;
        const c = expected.get(r.step) ?? { inTime: 0, late: 0, running: 0 };
        c[standing]++;
        expected.set(r.step, c);
      }
      assert.equal(page.timeliness.length, expected.size);
      for (const s of page.timeliness) {
        const c = expected.get(s.step)!;
        assert.deepEqual({ inTime: s.inTime, late: s.late, running: s.running, total: s.total }, { ...c, total: c.inTime + c.late + c.running }, s.step);
        assert.equal(s.rate, c.inTime + c.late > 0 ? c.inTime / (c.inTime + c.late) : null);
      }
      assert.deepEqual(
        page.timeliness.find((s: any) => s.step === 'arrive'),
        { step: 'arrive', total: 1, inTime: 0, late: 1, running: 0, rate: 0 },
      );
      // The score: a station is scored with its county bureau, by the evaluation's own computation of the quarter.
      assert.equal(page.score.unitName, '麒麟区供电局');
      assert.equal(page.score.kind, 'county');
      assert.equal(page.score.year, 2026);
      assert.equal(page.score.quarter, 4);
      const evaluation = ok(await (await as('analyst')).get('/api/evaluation?from=2026-10-01&to=2027-01-01'));
      const county = evaluation.units.find((u: any) => u.unitName === '麒麟区供电局');
      assert.equal(page.score.score, county.score);
      assert.equal(page.score.rank, county.rank);
      assert.equal(page.score.demands, county.demands);

      // Scope: the county above and another county are not the station handler's; a city-wide role picks any unit.
      assert.equal((await handler.get(`/api/dashboard/unit?unitId=${units.ZY}`)).statusCode, 404);
      assert.equal((await handler.get(`/api/dashboard/unit?unitId=${await unitId(t.database, 'YL-QL')}`)).statusCode, 404);
      assert.equal((await (await as('handler.zy')).get(`/api/dashboard/unit?unitId=${units.CG}`)).statusCode, 404);
      const lead = ok(await (await as('team_lead')).get(`/api/dashboard/unit?unitId=${units.ZY}`));
      assert.equal(lead.unitName, '沾益区供电局');
      assert.equal(lead.score.unitName, '沾益区供电局');
      assert.equal((await handler.get('/api/dashboard/unit?unitId=abc')).statusCode, 400);
    });

    test('staff figures: each agent’s and handler’s month; an agent sees themselves, a team lead the team, the centre manager everyone', async () => {
      now = at('2026-12-07T09:00:00');
      const ids = { agent: await userId(t.database, 'agent'), agent01: await userId(t.database, 'agent.01'), handler: await userId(t.database, 'handler') };
      const manager = ok(await (await as('centre_manager')).get('/api/reports/staff?month=2026-11'));
      assert.equal(manager.scope, 'all');
      const row = (list: any, id: number, role: string) => list.people.find((p: any) => p.userId === id && p.role === role);

      // Agents: the calls they registered in November, closed on the call, the callbacks of their cases.
      const nov = made.filter((m) => m.day >= '2026-11-01' && m.day < '2026-12-01');
      for (const [by, id] of [
        ['agent', ids.agent],
        ['agent.01', ids.agent01],
      ] as const) {
        const theirs = nov.filter((m) => m.by === by);
        const r = row(manager, id, 'agent');
        assert.equal(r.taken, theirs.length, by);
        assert.equal(r.cases, theirs.length);
        assert.equal(r.firstCallResolved, theirs.filter((m) => m.fcr).length);
        assert.equal(r.firstCallResolution, theirs.filter((m) => m.fcr).length / theirs.length);
        assert.equal(r.satisfied, theirs.filter((m) => m.outcome === 'satisfied').length);
        assert.equal(r.unsatisfied, theirs.filter((m) => m.outcome === 'unsatisfied').length);
      }
      const agent = row(manager, ids.agent, 'agent');
      assert.deepEqual(
        { taken: agent.taken, fcr: agent.firstCallResolved, rate: agent.firstCallResolution, satisfaction: agent.satisfaction },
        { taken: 5, fcr: 3, rate: 0.6, satisfaction: 0.5 },
      );
      // The centre's steps of their demands: both callbacks made the day the orders were handled.
      assert.deepEqual({ inTime: agent.stepsInTime, late: agent.stepsLate, timeliness: agent.timeliness }, { inTime: 2, late: 0, timeliness: 1 });
      assert.equal(row(manager, ids.agent01, 'agent').satisfaction, null, 'no callbacks: no share');
      // The handler: the orders handled in November and their demands' callbacks; no first-call figure.
      const handler = row(manager, ids.handler, 'handler');
      assert.equal(handler.unitName, '城关供电所');
      assert.equal(handler.taken, nov.filter((m) => m.handledBy === 'handler').length);
      assert.equal(handler.taken, 2);
      assert.equal(handler.satisfaction, 0.5);
      assert.equal(handler.firstCallResolved, null);
      assert.equal(handler.firstCallResolution, null);
      assert.ok(handler.stepsInTime + handler.stepsLate > 0, 'the complaints’ contact and answer');
      assert.equal(handler.timeliness, handler.stepsInTime / (handler.stepsInTime + handler.stepsLate));

      // This month: the repair's dispatch in time; the open complaint's steps still run.
      const dec = ok(await (await as('centre_manager')).get('/api/reports/staff'));
      assert.equal(dec.month, '2026-12');
      const agentDec = row(dec, ids.agent, 'agent');
      assert.deepEqual({ taken: agentDec.taken, fcr: agentDec.firstCallResolved, inTime: agentDec.stepsInTime }, { taken: 3, fcr: 2, inTime: 1 });
      assert.equal(row(dec, await userId(t.database, 'handler.zy'), 'handler').taken, 1);

      // Scope: an agent sees only their own row; a team lead the centre's agents, no handlers; a handler themselves.
      const own = ok(await (await as('agent')).get('/api/reports/staff?month=2026-11'));
      assert.equal(own.scope, 'self');
      assert.deepEqual(
        own.people.map((p: any) => p.userId),
        [ids.agent],
      );
      assert.deepEqual(own.people[0], agent);
      const team = ok(await (await as('team_lead')).get('/api/reports/staff?month=2026-11'));
      assert.equal(team.scope, 'team');
      assert.ok(team.people.length >= 9, 'agent and agent.01 … agent.08');
      assert.ok(team.people.every((p: any) => p.role === 'agent' && p.unitName === '95598客户服务中心'));
      assert.deepEqual(row(team, ids.agent01, 'agent'), row(manager, ids.agent01, 'agent'));
      const self = ok(await (await as('handler')).get('/api/reports/staff?month=2026-11'));
      assert.deepEqual(
        self.people.map((p: any) => p.userId),
        [ids.handler],
      );
      assert.equal((await (await as('expert.scb.1')).get('/api/reports/staff')).statusCode, 403);

      // Bad months are named; the workbook holds the same rows.
      const bad = await (await as('agent')).get('/api/reports/staff?month=2026-13');
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /month/);
      const future = await (await as('agent')).get('/api/reports/staff?month=2027-01');
      assert.equal(future.statusCode, 400);
      assert.match(future.json().message, /querystring\.month/);
      const xlsx = await (await as('centre_manager')).get('/api/reports/staff?month=2026-11&format=xlsx');
      assert.equal(xlsx.statusCode, 200);
      assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const names = new Map<string, number[]>();
      sheet.eachRow((r, n) => {
        if (n > 2) names.set(`${r.getCell(1).text}|${r.getCell(3).text}`, [Number(r.getCell(4).value), Number(r.getCell(13).value ?? 0)]);
      });
      assert.equal(names.size, manager.people.length);
      assert.deepEqual(names.get(`${agent.name}|坐席员`), [5, 3]);
    });
  });
}
