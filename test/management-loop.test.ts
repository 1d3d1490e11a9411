import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { buildApp } from '../src/server/app.js';
import { runSchedulerPass } from '../src/server/scheduler.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp } from './helpers/app.js';

// The management loop played through one quarter (Q3 2026) with the public
// endpoints, as seed 000 describes it: county bureaus first handle the
// demands; what they cannot resolve, and what is still open past its deadline
// at the month's end, is raised to the department that owns the category; the
// departments answer; the month's meeting gets its pack; the quarter is scored
// by the published formula, published, and revised only with a reason.
//
// Counted in Q3: A, B, C, D and the case E (two calls); F is unfounded; a
// consultation and a praise are not counted. Scores worked out by hand below.

const at = (local: string) => new Date(`${local}+08:00`);

for (const target of testDatabases()) {
  describe(`the management loop over a quarter (${target.name})`, () => {
    let now = at('2026-07-06T09:00:00');
    let t: TestApp;
    let agent: Client;
    let lead: Client;
    let analyst: Client;
    let cg: Client; // 城关供电所 (麒麟区)
    let xp: Client; // 西平供电所 (沾益区)
    let scb: Client; // 生产设备部
    let ql: Client; // 麒麟区供电局
    let zy: Client; // 沾益区供电局
    const units: Record<string, number> = {};
    const d: Record<string, any> = {};
    let batchId = 0;
    let meetingId = 0;

    // The story spans months: everyone signs in again when the clock moves on, as they would each morning.
    const signIn = async () => {
      agent = await t.login('agent');
      lead = await t.login('team_lead');
      analyst = await t.login('analyst');
      cg = await t.login('handler');
      xp = await t.login('handler.zy-xp');
      scb = await t.login('handler.scb');
      ql = await t.login('handler.ql');
      zy = await t.login('handler.zy');
    };
    const moveTo = async (local: string) => {
      now = at(local);
      await signIn();
    };
    const register = async (type: string, category: string, phone: string, content: string, subcategory?: string) => {
      const res = await agent.post('/api/demands', { channel: 'phone', type, category, customer: { phone }, content, ...(subcategory && { subcategory }) });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const dispatch = async (demand: any, unit: string) => {
      const res = await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: units[unit], instructions: '请核实处理并答复客户' });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const handle = async (client: Client, order: any, report: object) => {
      assert.equal((await client.post(`/api/work-orders/${order.id}/accept`)).statusCode, 200);
      const res = await client.post(`/api/work-orders/${order.id}/handle`, report);
      assert.equal(res.statusCode, 200, res.body);
    };
    const satisfied = async (demand: any) => {
      const res = await agent.post(`/api/demands/${demand.id}/callbacks`, { outcome: 'satisfied' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'closed');
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 100 });
      for (const code of ['YL-SCB', 'YL-YXB', 'YL-AJB', 'YL-JJB', 'YL-QL', 'YL-QL-CG', 'YL-ZY', 'YL-ZY-XP']) units[code] = await unitId(t.database, code);
      await signIn();
    });
    after(() => t.close());

    test('July: the demands of the quarter, first handled by the stations; B reported unresolved with its reason', async () => {
      d.A = await register('complaint', 'outage_voltage', '13900001001', '小区低电压，空调无法启动', 'quality_complaint');
      d.B = await register('opinion', 'outage_voltage', '13900001002', '村里低电压持续三个月，需要改造台区');
      d.C = await register('suggestion', 'supply_service', '13900001003', '建议营业厅周末延长营业时间');
      d.D = await register('complaint', 'supply_service', '13900001004', '电费账单金额异常，营业厅工作人员态度差', 'service_complaint');
      d.E1 = await register('complaint', 'outage_voltage', '13900001005', '频繁停电，影响生意', 'outage_complaint');
      d.F = await register('complaint', 'supply_service', '13900001006', '抄表员未按时抄表，电费估抄', 'business_complaint');
      d.G = await register('consultation', 'supply_service', '13900001007', '咨询峰谷电价的时段');
      d.H = await register('praise', 'supply_service', '13900001008', '表扬抢修人员及时恢复供电');
      for (const key of ['G', 'H']) assert.equal((await agent.post(`/api/demands/${d[key].id}/answer`, { answer: '已答复客户' })).statusCode, 200);

      const orders: Record<string, any> = {};
      for (const [key, unit] of [
        ['A', 'YL-QL-CG'],
        ['B', 'YL-QL-CG'],
        ['C', 'YL-ZY-XP'],
        ['D', 'YL-ZY-XP'],
        ['E1', 'YL-QL-CG'],
        ['F', 'YL-ZY-XP'],
      ] as const)
        orders[key] = await dispatch(d[key], unit);

      await moveTo('2026-07-07T10:00:00');
      await handle(cg, orders.A, { findings: '调整台区分接头，电压恢复正常' });
      await handle(cg, orders.E1, { findings: '更换故障熔断器' });
      await handle(xp, orders.C, { findings: '已向营业厅反馈，周六上午开放' });
      const refused = await cg.post(`/api/work-orders/${orders.B.id}/handle`, { findings: '需新建台区', resolved: false });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.json().message, /unresolvedReason/);
      await handle(cg, orders.B, { findings: '线路末端过长，需新建台区分流，超出供电所能力', resolved: false, unresolvedReason: 'investment' });

      const b = (await agent.get(`/api/demands/${d.B.id}`)).json();
      assert.equal(b.status, 'open', 'not resolved at its level: the demand stays open');
      assert.deepEqual(b.firstHandling, { unitId: units['YL-QL-CG'], resolved: false, reason: 'investment', at: now.toISOString() });
      assert.ok(b.timeline.some((e: any) => e.kind === 'work_order.unresolved'));
      const a = (await agent.get(`/api/demands/${d.A.id}`)).json();
      assert.equal(a.status, 'awaiting_callback');
      assert.equal(a.firstHandling.resolved, true);
      const told = await t.database.db
        .selectFrom('notifications')
        .select(['kind', 'title'])
        .where('demand_id', '=', d.B.id)
        .where('kind', '=', 'unresolved')
        .execute();
      assert.equal(told.length, 2, 'the registering agent and the team lead are told');

      // A second call of E's customer joins the case: the case is answered, not the call; it closes with the case.
      await moveTo('2026-07-07T11:00:00');
      d.E2 = await register('complaint', 'outage_voltage', '13900001005', '又停电了，要求说明原因', 'outage_complaint');
      assert.equal(d.E2.caseId, d.E1.id);
      assert.equal(
        (await agent.post(`/api/demands/${d.E2.id}/answer`, { answer: '已说明故障原因及处理情况' })).statusCode,
        409,
        'a call of a case is not answered apart',
      );

      await moveTo('2026-07-08T09:30:00');
      for (const key of ['A', 'C', 'E1']) await satisfied(d[key]);
    });

    test('a team lead marks F unfounded with the reason; an agent may not; only a complaint is judged', async () => {
      assert.equal((await agent.post(`/api/demands/${d.F.id}/verdict`, { verdict: 'unfounded', reason: '核实为客户自身原因' })).statusCode, 403);
      assert.equal((await lead.post(`/api/demands/${d.F.id}/verdict`, { verdict: 'unfounded' })).statusCode, 400);
      assert.equal((await lead.post(`/api/demands/${d.C.id}/verdict`, { verdict: 'unfounded', reason: '不适用' })).statusCode, 409);
      assert.equal(
        (await lead.post(`/api/demands/${d.E2.id}/verdict`, { verdict: 'unfounded', reason: '重复来电' })).statusCode,
        409,
        'a case is judged by its first complaint',
      );
      const res = await lead.post(`/api/demands/${d.F.id}/verdict`, { verdict: 'unfounded', reason: '核实为客户表后线路老化，非供电企业责任' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().verdict.verdict, 'unfounded');
      assert.ok(res.json().timeline.some((e: any) => e.kind === 'verdict' && e.note.includes('表后线路')));
      const trail = await t.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'demand')
        .where('entity_id', '=', String(d.F.id))
        .execute();
      assert.ok(trail.some((e) => e.action === 'demand.verdict'));
    });

    test('a suggestion from the front line waits for the next meeting', async () => {
      await moveTo('2026-07-20T15:00:00');
      const res = await agent.post('/api/suggestions', { text: '低电压投诉集中在城郊台区，建议纳入年度改造计划', demandId: d.B.id });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().demandNumber, d.B.number);
      assert.equal((await agent.post('/api/suggestions', { text: '建议', demandId: 99999 })).statusCode, 400);
    });

    test('3 August, the first working day: the scheduler makes July’s batch once, across passes and a restart; asking again gives the same', async () => {
      await moveTo('2026-08-03T09:00:00');
      const first = await runSchedulerPass(t.database.db, now);
      assert.equal(first.transferBatches, 1);
      assert.equal((await runSchedulerPass(t.database.db, now)).transferBatches, 0);
      const app2 = await buildApp({ config: t.config, database: t.database, clock: () => now, logLevel: 'silent' });
      await app2.ready();
      assert.equal((await runSchedulerPass(t.database.db, new Date(now.getTime() + 60_000))).transferBatches, 0);
      await app2.close();

      const list = (await analyst.get('/api/transfers?month=2026-07')).json();
      assert.equal(list.length, 1);
      batchId = list[0].id;
      assert.equal(list[0].createdByName, null, 'made by the scheduler');
      const again = await analyst.post('/api/transfers', { month: '2026-07' });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, batchId);
      assert.equal((await analyst.post('/api/transfers', { month: '2026-08' })).statusCode, 400, 'August is not over');
      assert.equal((await agent.post('/api/transfers', { month: '2026-06' })).statusCode, 403);

      const batch = again.json();
      const items = Object.fromEntries(batch.items.map((i: any) => [i.number, i]));
      assert.deepEqual(
        Object.keys(items).sort(),
        [d.B.number, d.D.number].sort(),
        'B (unresolved) and D (open past its deadline); F unfounded, the rest closed',
      );
      assert.deepEqual([items[d.B.number].reason, items[d.B.number].fromUnitName, items[d.B.number].toUnitName], ['unresolved', '城关供电所', '生产设备部']);
      assert.deepEqual([items[d.D.number].reason, items[d.D.number].fromUnitName, items[d.D.number].toUnitName], ['overdue', '西平供电所', '市场营销部']);
      assert.equal(items[d.B.number].firstFindings, '线路末端过长，需新建台区分流，超出供电所能力', 'the department reads what the station found');
      assert.equal(items[d.D.number].firstFindings, null, 'D was never handled');
      // 10 working days from 3 August: due at the end of Monday 17 August.
      assert.equal(items[d.B.number].dueAt, at('2026-08-18T00:00:00').toISOString());

      const b = (await agent.get(`/api/demands/${d.B.id}`)).json();
      assert.equal(b.unitName, '生产设备部', 'raised (提级) to the department');
      assert.equal(b.firstHandling.unitId, units['YL-QL-CG'], 'the first handling unit stays');
      assert.ok(b.deadlines.some((x: any) => x.step === 'transfer_answer'));
      const raised = b.timeline.find((e: any) => e.kind === 'transfer.raised');
      assert.deepEqual([raised.data.fromUnitName, raised.data.toUnitName, raised.data.month], ['城关供电所', '生产设备部', '2026-07']);

      // Who sees what: the department its items, the county those raised from its area.
      const scbItems = (await scb.get('/api/transfer-items')).json();
      assert.deepEqual(
        scbItems.map((i: any) => i.number),
        [d.B.number],
      );
      const zyItems = (await zy.get(`/api/transfers/${batchId}`)).json().items;
      assert.deepEqual(
        zyItems.map((i: any) => i.number),
        [d.D.number],
      );
      assert.equal((await scb.get(`/api/demands/${d.B.id}`)).statusCode, 200, 'the department sees the raised demand');
      assert.equal((await cg.get(`/api/demands/${d.B.id}`)).statusCode, 200, 'and the station still does');

      const xlsx = await analyst.get(`/api/transfers/${batchId}/export`);
      assert.equal(xlsx.statusCode, 200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as never);
      const sheet = book.worksheets[0]!;
      const numbers = sheet.getColumn(1).values.filter((v) => typeof v === 'string' && /^\d{13}$/.test(v));
      assert.deepEqual([...numbers].sort(), [d.B.number, d.D.number].sort());
      assert.equal(sheet.getRow(2).getCell(4).value, '诉求内容');
    });

    test('the department answers B; the answer reaches the timeline and the agent, who calls the customer back', async () => {
      await moveTo('2026-08-05T10:00:00');
      const [item] = (await scb.get('/api/transfer-items')).json();
      assert.equal((await zy.post(`/api/transfer-items/${item.id}/answer`, { measures: '代答', resolved: true })).statusCode, 404, 'outside 沾益区’s units');
      assert.equal(
        (await ql.post(`/api/transfer-items/${item.id}/answer`, { measures: '代答', resolved: true })).statusCode,
        403,
        'the county sees what it raised but does not answer for the department',
      );
      assert.equal((await cg.post(`/api/transfer-items/${item.id}/answer`, { measures: '代答', resolved: true })).statusCode, 403);
      assert.equal(
        (await scb.post(`/api/transfer-items/${item.id}/answer`, { measures: '纳入改造', resolved: false })).statusCode,
        400,
        'unresolved needs the expected date',
      );
      const res = await scb.post(`/api/transfer-items/${item.id}/answer`, {
        measures: '已列入2026年农网改造，8月底前新建台区分流',
        resolved: true,
        owner: '张工',
        expectedBy: '2026-08-31',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'answered');
      assert.equal(res.json().answer.owner, '张工');
      const b = (await agent.get(`/api/demands/${d.B.id}`)).json();
      assert.equal(b.status, 'awaiting_callback');
      const answered = b.timeline.find((e: any) => e.kind === 'transfer.answered');
      assert.equal(answered.note, '已列入2026年农网改造，8月底前新建台区分流');
      assert.ok(b.deadlines.find((x: any) => x.step === 'transfer_answer').metAt);
      const notices = (await agent.get('/api/notifications')).json();
      assert.ok(
        notices.some((n: any) => n.kind === 'transfer_answered' && n.demandId === d.B.id),
        'the agent who registered it is told',
      );
      await moveTo('2026-08-06T09:00:00');
      await satisfied(d.B);
    });

    test('D’s item is not answered by its due date: it escalates once, like any other deadline', async () => {
      await moveTo('2026-08-18T10:00:00');
      const pass = await runSchedulerPass(t.database.db, now);
      assert.ok(pass.escalations >= 1);
      const dd = (await agent.get(`/api/demands/${d.D.id}`)).json();
      const overdue = dd.timeline.filter((e: any) => e.kind === 'deadline.overdue' && e.data.step === 'transfer_answer');
      assert.equal(overdue.length, 1);
      await runSchedulerPass(t.database.db, now);
      const again = (await agent.get(`/api/demands/${d.D.id}`)).json();
      assert.equal(again.timeline.filter((e: any) => e.kind === 'deadline.overdue' && e.data.step === 'transfer_answer').length, 1);
      const [item] = (await analyst.get(`/api/transfer-items?demandId=${d.D.id}`)).json();
      assert.equal(item.overdue, true);
      const [summary] = (await analyst.get('/api/transfers?month=2026-07')).json();
      assert.deepEqual([summary.answered, summary.overdue, summary.overdueOpen], [1, 1, 1], 'B answered in time; D overdue and still waiting');
    });

    test('the July meeting: its pack is assembled from the data; its decisions become action items', async () => {
      await moveTo('2026-08-19T09:00:00');
      const res = await analyst.post('/api/meetings', { title: '7月客户诉求会商会议', heldOn: '2026-08-19', from: '2026-07-01', to: '2026-08-01' });
      assert.equal(res.statusCode, 201, res.body);
      const meeting = res.json();
      meetingId = meeting.id;
      const { hotIssues, transfers, suggestions, evaluation, actionItems } = meeting.pack;
      assert.equal(hotIssues.total, 5, 'A, B, C, D and the case E; F unfounded, G and H not counted');
      assert.deepEqual(
        hotIssues.categories.map((c: any) => [c.key, c.count, c.previousCount]),
        [
          ['outage_voltage', 3, 0],
          ['supply_service', 2, 0],
        ],
      );
      const lowVoltage = hotIssues.terms.find((x: any) => x.key === '低电压');
      assert.ok(lowVoltage, 'jieba finds 低电压 as a word');
      assert.equal(lowVoltage.count, 2);
      const byNumber = (a: { number: string }, b: { number: string }) => (a.number < b.number ? -1 : 1);
      assert.deepEqual(
        [...lowVoltage.examples].sort(byNumber),
        [d.A, d.B].map((x) => ({ id: x.id, number: x.number })).sort(byNumber),
        'each example opens its demand',
      );
      assert.equal(evaluation, null, 'no quarter published yet');
      assert.deepEqual(actionItems, []);
      assert.deepEqual(transfers.map((i: any) => i.number).sort(), [d.B.number, d.D.number].sort());
      assert.equal(transfers.find((i: any) => i.number === d.B.number).answer.resolved, true);
      assert.deepEqual(
        suggestions.map((s: any) => s.text),
        ['低电压投诉集中在城郊台区，建议纳入年度改造计划'],
      );

      const bad = await analyst.post(`/api/meetings/${meetingId}/action-items`, { text: '改造', ownerUnitId: units['YL-SCB'], dueOn: '2026-02-30' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /dueOn/);
      const first = await analyst.post(`/api/meetings/${meetingId}/action-items`, {
        text: '城郊台区低电压专项治理',
        ownerUnitId: units['YL-SCB'],
        dueOn: '2026-08-28',
      });
      assert.equal(first.statusCode, 201, first.body);
      d.item1 = first.json();
      d.item2 = (
        await analyst.post(`/api/meetings/${meetingId}/action-items`, { text: '营业厅服务规范培训', ownerUnitId: units['YL-YXB'], dueOn: '2026-12-31' })
      ).json();
      assert.equal(
        (await scb.post(`/api/meetings/${meetingId}/action-items`, { text: 'x', ownerUnitId: units['YL-SCB'], dueOn: '2026-09-01' })).statusCode,
        403,
      );

      const xlsx = await analyst.get(`/api/meetings/${meetingId}/export`);
      assert.equal(xlsx.statusCode, 200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as never);
      assert.deepEqual(
        book.worksheets.map((s) => s.name),
        ['一、热点及解决情况', '二、季度评价', '三、整改落实', '四、基层建议及共性问题', '五、传递事项', '六、本次会议决定'],
      );
    });

    test('an action item is reminded three working days before its date, escalated once when late, and closed by its owner', async () => {
      await moveTo('2026-08-25T09:00:00'); // Tuesday: 3 WD before Friday 28 August
      assert.equal((await runSchedulerPass(t.database.db, at('2026-08-24T23:00:00'))).actionItemNotices, 0, 'not before the day');
      assert.equal((await runSchedulerPass(t.database.db, now)).actionItemNotices, 1);
      assert.equal((await runSchedulerPass(t.database.db, now)).actionItemNotices, 0);
      await moveTo('2026-08-29T08:00:00');
      assert.equal((await runSchedulerPass(t.database.db, now)).actionItemNotices, 1, 'late: escalated');
      assert.equal((await runSchedulerPass(t.database.db, now)).actionItemNotices, 0);
      const late = (await analyst.get('/api/action-items?late=true')).json();
      assert.deepEqual(
        late.map((i: any) => i.id),
        [d.item1.id],
      );
      assert.equal((await cg.post(`/api/action-items/${d.item1.id}/progress`, { note: '无关单位' })).statusCode, 404);
      const progress = await scb.post(`/api/action-items/${d.item1.id}/progress`, { note: '新建台区已投运', done: true });
      assert.equal(progress.statusCode, 200, progress.body);
      assert.equal(progress.json().status, 'done');
      assert.deepEqual(
        progress.json().progress.map((p: any) => p.kind),
        ['created', 'reminded', 'late', 'done'],
      );
    });

    test('after the quarter: every department’s and county’s score, each term as worked out by hand', async () => {
      await moveTo('2026-10-09T09:00:00');
      const event = (unit: string, kind: string, occurredOn: string) =>
        analyst.post('/api/evaluation/events', { unitId: units[unit], kind, occurredOn, description: `${kind} ${occurredOn}` });
      for (const [unit, kind, day] of [
        ['YL-SCB', 'service_event', '2026-08-10'],
        ['YL-QL', 'criticism', '2026-09-30'],
        ['YL-ZY', 'praise', '2026-10-01'],
        ['YL-YXB', 'praise', '2026-07-01'],
      ] as const) {
        const res = await event(unit, kind, day);
        assert.equal(res.statusCode, 201, res.body);
      }
      assert.equal((await event('YL-QL-CG', 'praise', '2026-09-01')).statusCode, 400, 'a station is not evaluated');
      assert.equal((await event('YL-QL', 'praise', '2026-10-10')).statusCode, 400, 'not in the future');
      assert.equal(
        (await lead.post('/api/evaluation/events', { unitId: units['YL-QL'], kind: 'praise', occurredOn: '2026-09-01', description: 'x' })).statusCode,
        403,
      );

      const result = (await analyst.get('/api/evaluation?from=2026-07-01&to=2026-10-01')).json();
      assert.equal(result.total, 5);
      const row = (code: string) => result.units.find((u: any) => u.unitId === units[code]);
      const terms = (code: string) => {
        const r = row(code);
        return [r.demands, r.share, r.unresolved, r.unresolvedRate, r.serviceEvents, r.repeated, r.criticisms, r.praises];
      };
      // 生产设备部 owns outage & voltage: A, B, E (closed by 1 October); E had two calls; one service event.
      assert.deepEqual(terms('YL-SCB'), [3, 0.6, 0, 0, 1, 1, 0, 0]);
      assert.equal(row('YL-SCB').score, 100 - 0.6 * 30 - 0 - 2 - 1); // 79
      // 市场营销部 owns supply service: C and D (D still open); a praise on 1 July.
      assert.deepEqual(terms('YL-YXB'), [2, 0.4, 1, 0.5, 0, 0, 0, 1]);
      assert.equal(row('YL-YXB').score, 100 - 12 - 35 + 1); // 54
      // 麒麟区: A, B, E first handled by 城关; B reported unresolved; a criticism on 30 September.
      assert.deepEqual(terms('YL-QL'), [3, 0.6, 1, 1 / 3, 0, 1, 1, 0]);
      assert.equal(row('YL-QL').score, 56.67); // 100 − 18 − 23.33 − 1 − 1
      // 沾益区: C and D; the praise of 1 October is the next quarter's.
      assert.deepEqual(terms('YL-ZY'), [2, 0.4, 1, 0.5, 0, 0, 0, 0]);
      assert.equal(row('YL-ZY').score, 53);
      assert.equal(row('YL-AJB').score, 100);
      assert.deepEqual(
        result.units.filter((u: any) => u.kind === 'department').map((u: any) => [u.unitName, u.rank]),
        [
          ['基建部', 1],
          ['安全监察部', 1],
          ['生产设备部', 3],
          ['市场营销部', 4],
        ],
      );
      const counties = result.units.filter((u: any) => u.kind === 'county');
      assert.equal(counties.length, 7);
      assert.deepEqual(
        counties.slice(-2).map((u: any) => [u.unitName, u.rank]),
        [
          ['麒麟区供电局', 6],
          ['沾益区供电局', 7],
        ],
      );

      // A county's handlers see their row and its terms, nothing else; a station's, their county's.
      const own = (await ql.get('/api/evaluation?from=2026-07-01&to=2026-10-01')).json();
      assert.deepEqual(
        own.units.map((u: any) => u.unitName),
        ['麒麟区供电局'],
      );
      assert.equal(own.units[0].score, 56.67);
      assert.deepEqual(
        (await cg.get('/api/evaluation?from=2026-07-01&to=2026-10-01')).json().units.map((u: any) => u.unitName),
        ['麒麟区供电局'],
      );
      assert.equal((await agent.get('/api/evaluation?from=2026-07-01&to=2026-10-01')).statusCode, 403);
      assert.equal((await analyst.get('/api/evaluation?from=2026-10-01&to=2026-07-01')).statusCode, 400);
    });

    test('the quarter is computed as a draft, published frozen, and revised only with a reason', async () => {
      const draft = await analyst.post('/api/evaluations', { year: 2026, quarter: 3 });
      assert.equal(draft.statusCode, 201, draft.body);
      assert.equal(draft.json().status, 'draft');
      assert.equal((await analyst.post('/api/evaluations', { year: 2026, quarter: 3 })).statusCode, 200, 'computed again while a draft');
      assert.equal((await ql.get(`/api/evaluations/${draft.json().id}`)).statusCode, 404, 'units see published tables only');
      assert.equal((await analyst.post('/api/evaluations', { year: 2026, quarter: 4 })).statusCode, 201);
      const q4 = (await analyst.get('/api/evaluations?year=2026')).json().find((e: any) => e.quarter === 4);
      assert.equal((await analyst.post(`/api/evaluations/${q4.id}/publish`)).statusCode, 409, 'Q4 has not ended');

      const published = await analyst.post(`/api/evaluations/${draft.json().id}/publish`);
      assert.equal(published.statusCode, 200, published.body);
      assert.equal(published.json().status, 'published');
      assert.equal(published.json().units.find((u: any) => u.unitName === '麒麟区供电局').score, 56.67);
      assert.equal((await analyst.post(`/api/evaluations/${draft.json().id}/publish`)).statusCode, 409);
      const told = await t.database.db
        .selectFrom('notifications')
        .select('title')
        .where('kind', '=', 'evaluation_published')
        .where('unit_id', '=', units['YL-QL']!)
        .execute();
      assert.match(told[0]!.title, /麒麟区供电局 56\.67 分/);

      // Frozen: a new event changes any period's figures, not the published table.
      await analyst.post('/api/evaluation/events', { unitId: units['YL-QL'], kind: 'praise', occurredOn: '2026-09-15', description: '省公司表扬' });
      assert.equal(
        (await analyst.get('/api/evaluation?from=2026-07-01&to=2026-10-01')).json().units.find((u: any) => u.unitId === units['YL-QL']).score,
        57.67,
      );
      assert.equal((await ql.get(`/api/evaluations/${draft.json().id}`)).json().units[0].score, 56.67);
      const noReason = await analyst.post('/api/evaluations', { year: 2026, quarter: 3 });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.json().message, /reason/);
      const revision = await analyst.post('/api/evaluations', { year: 2026, quarter: 3, reason: '补录省公司9月表扬' });
      assert.equal(revision.statusCode, 201);
      assert.equal(revision.json().revision, 2);
      await analyst.post(`/api/evaluations/${revision.json().id}/publish`);
      const all = (await analyst.get('/api/evaluations?year=2026')).json().filter((e: any) => e.quarter === 3);
      assert.deepEqual(
        all.map((e: any) => [e.revision, e.status]),
        [
          [2, 'published'],
          [1, 'superseded'],
        ],
      );
      const trend = (await ql.get('/api/evaluations/trend')).json();
      assert.deepEqual(trend.quarters, ['2026-Q3']);
      assert.deepEqual(trend.units, [{ unitId: units['YL-QL'], unitName: '麒麟区供电局', kind: 'county', scores: [57.67] }]);

      const xlsx = await analyst.get(`/api/evaluations/${revision.json().id}/export`);
      assert.equal(xlsx.statusCode, 200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as never);
      assert.deepEqual(
        book.worksheets.map((s) => s.name),
        ['表5', '表6'],
      );
      const table6 = book.getWorksheet('表6')!;
      const cells = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);
      assert.deepEqual(cells(table6.getRow(3)), [
        '单位',
        '诉求宗数',
        '占全市比重',
        '未解决宗数',
        '未解决率',
        '客服事件',
        '多次诉求',
        '上级通报批评',
        '上级表扬',
        '评价值',
        '排名',
      ]);
      const qlRow = table6.getRows(4, 7)!.find((r) => r.getCell(1).value === '麒麟区供电局')!;
      assert.deepEqual(cells(qlRow), ['麒麟区供电局', 3, 0.6, 1, 1 / 3, 0, 1, 1, 1, 57.67, 6]);
    });

    test('the next meeting’s pack carries the published quarter, the open action items and the experts’ problems', async () => {
      await moveTo('2026-10-12T09:00:00');
      const expert = await t.login('expert');
      const k = await register('consultation', 'outage_voltage', '13900001009', '咨询城郊低电压改造什么时候完成');
      const forwarded = await agent.post(`/api/demands/${k.id}/consultations`, { unitId: units['YL-SCB'], question: '城郊低电压改造进度' });
      assert.equal(forwarded.statusCode, 201, forwarded.body);
      const problem = await expert.post('/api/common-problems', {
        title: '城郊低电压咨询集中',
        description: '本月多次咨询低电压改造进度',
        consultationIds: [forwarded.json().id],
        meetingMonth: '2026-10',
      });
      assert.equal(problem.statusCode, 201, problem.body);
      // Problems filed for earlier meetings: one still open is carried to this one, one discussed is not.
      const carried = await expert.post('/api/common-problems', {
        title: '电费账单查询渠道咨询多',
        description: '8月会议未及讨论',
        consultationIds: [forwarded.json().id],
        meetingMonth: '2026-08',
      });
      const discussed = await expert.post('/api/common-problems', {
        title: '已讨论的问题',
        description: '8月会议已讨论',
        consultationIds: [forwarded.json().id],
        meetingMonth: '2026-08',
      });
      assert.equal(
        (
          await analyst.request({
            method: 'PATCH',
            url: `/api/common-problems/${discussed.json().id}`,
            payload: { status: 'discussed', meetingNote: '已布置' },
          })
        ).statusCode,
        200,
      );
      assert.equal(carried.statusCode, 201, carried.body);
      const res = await analyst.post('/api/meetings', { title: '9月客户诉求会商会议', heldOn: '2026-10-12', from: '2026-09-01', to: '2026-10-01' });
      assert.equal(res.statusCode, 201, res.body);
      const { pack } = res.json();
      assert.equal(pack.evaluation.year, 2026);
      assert.equal(pack.evaluation.quarter, 3);
      assert.equal(pack.evaluation.revision, 2);
      assert.deepEqual(
        pack.actionItems.map((i: any) => i.text),
        ['营业厅服务规范培训'],
        'the one still open; the one done in August is not carried',
      );
      assert.deepEqual(
        pack.commonProblems.map((p: any) => p.title),
        ['电费账单查询渠道咨询多', '城郊低电压咨询集中'],
        'this meeting’s, and an earlier one not yet discussed',
      );
      assert.deepEqual(pack.suggestions, [], 'the July suggestion went to the July meeting');
      const earlier = (await analyst.get(`/api/meetings/${meetingId}`)).json();
      assert.equal(earlier.decided.length, 2);
      assert.equal((await zy.get(`/api/meetings/${meetingId}`)).statusCode, 200, 'the counties read the packs');
      assert.equal((await agent.get(`/api/meetings/${meetingId}`)).statusCode, 403);
    });
  });
}
