import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp, timersPass } from './helpers/app.js';

// Seed case 004, retold with its times (China time, UTC+8): a hotel without
// power calls at 09:27; an order reaches the district station in a minute;
// the crew finds a customer-side fault and offers paid service; the station
// hands back "our line is fine"; the customer, unsatisfied, calls again and
// again; the provincial office forwards a complaint.

const day = '2026-11-23'; // a Monday
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

for (const target of testDatabases()) {
  describe(`seed case 004, the hotel without power (${target.name})`, () => {
    let t: TestApp;
    let now = at('09:27');
    let agent: Client;
    let handler: Client;
    let lead: Client;
    let hotel: { account_no: string; phone: string; name: string };
    let first: any;

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 300 });
      const station = await unitId(t.database, 'YL-QL-CG');
      // The hotel: a business customer of the 城关 station (the demo city has them; make one a hotel by name).
      const row = await t.database.db.selectFrom('customers').select(['id', 'account_no', 'phone']).where('unit_id', '=', station).where('important', '=', 0).orderBy('id').executeTakeFirstOrThrow();
      await t.database.db.updateTable('customers').set({ name: '麒麟金龙酒店', customer_class: 'non_residential_low' }).where('id', '=', row.id).execute();
      hotel = { account_no: row.account_no, phone: row.phone, name: '麒麟金龙酒店' };
      agent = await t.login('agent');
      handler = await t.login('handler');
      lead = await t.login('team_lead');
    });
    after(() => t.close());

    test('09:27 the call: the agent finds the hotel by phone and registers a repair for its station', async () => {
      const pop = (await agent.get(`/api/customers/lookup?phone=${hotel.phone}`)).json();
      assert.equal(pop.items[0].accountNo, hotel.account_no);
      assert.equal(pop.items[0].stationName, '城关供电所');
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { accountNo: hotel.account_no, phone: hotel.phone, name: hotel.name },
        content: '酒店全部停电，客人投诉，要求尽快恢复供电',
      });
      assert.equal(res.statusCode, 201, res.body);
      first = res.json();
      assert.match(first.number, /^2026112300001$/);
      assert.equal(first.status, 'open');
      assert.equal(first.unitName, '城关供电所');
      assert.equal(first.repeatOf, null);
      assert.equal(first.escalationLevel, 0);
      const due = Object.fromEntries(first.deadlines.map((d: any) => [d.step, d.dueAt]));
      assert.equal(due.dispatch, at('09:32').toISOString(), 'order out within 5 minutes');
      assert.equal(due.arrive, at('10:12').toISOString(), 'urban crew within 45 minutes');
    });

    test('09:28 the order reaches the station within the 5 minutes', async () => {
      now = at('09:28');
      const station = await unitId(t.database, 'YL-QL-CG');
      const res = await agent.post(`/api/demands/${first.id}/work-orders`, { unitId: station, instructions: '酒店停电，请立即派人抢修' });
      assert.equal(res.statusCode, 201, res.body);
      first.order = res.json();
      const demand = (await agent.get(`/api/demands/${first.id}`)).json();
      const dispatch = demand.deadlines.find((d: any) => d.step === 'dispatch');
      assert.equal(dispatch.metAt, at('09:28').toISOString());
      assert.equal(dispatch.overdue, false);
      assert.equal(demand.status, 'dispatched');
    });

    test('the station accepts; at 10:04 the scheduler warns once that the arrival is near its limit', async () => {
      now = at('09:30');
      assert.equal((await handler.post(`/api/work-orders/${first.order.id}/accept`)).statusCode, 200);
      const warned = await timersPass(t.database.db, at('10:04'));
      assert.deepEqual(warned, { warnings: 1, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 });
      assert.deepEqual(await timersPass(t.database.db, at('10:04')), { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 }, 'exactly once');
      const demand = (await agent.get(`/api/demands/${first.id}`)).json();
      assert.ok(demand.timeline.some((e: any) => e.kind === 'deadline.warning' && e.data.step === 'arrive'));
    });

    test('10:05 the crew arrives; 10:40 the station hands back: customer-side fault, paid service offered and declined', async () => {
      now = at('10:05');
      assert.equal((await handler.post(`/api/work-orders/${first.order.id}/arrive`)).statusCode, 200);
      now = at('10:40');
      const res = await handler.post(`/api/work-orders/${first.order.id}/handle`, {
        findings: '我方线路正常，故障在客户内部配电设施',
        powerRestored: false,
        customerSideFault: true,
        paidServiceOffered: true,
        customerAccepted: false,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, 'handled');
      const demand = (await agent.get(`/api/demands/${first.id}`)).json();
      assert.equal(demand.status, 'awaiting_callback');
      assert.equal(demand.deadlines.find((d: any) => d.step === 'arrive').metAt, at('10:05').toISOString());
      assert.ok(demand.deadlines.some((d: any) => d.step === 'callback' && d.metAt === null));
      assert.equal(demand.tasks[0].report.customerSideFault, true);
    });

    test('11:00 the second call is a repeat linked to the first, and the team lead is told at once', async () => {
      now = at('11:00');
      const res = await agent.post('/api/demands', { channel: 'phone', type: 'fault_repair', category: 'outage_voltage', customer: { phone: hotel.phone }, content: '还是没电，你们说线路正常但我们就是没电' });
      assert.equal(res.statusCode, 201);
      const second = res.json();
      assert.equal(second.repeatOf, first.id);
      assert.equal(second.repeatCount, 1);
      assert.equal(second.caseId, first.id);
      assert.equal(second.escalationLevel, 0);
      const told = await t.database.db.selectFrom('notifications').selectAll().where('demand_id', '=', second.id).where('role', '=', 'team_lead').execute();
      assert.equal(told.length, 1);
      assert.equal(told[0]!.kind, 'repeat');
    });

    test('11:30 the third call escalates to the team lead by itself', async () => {
      now = at('11:30');
      const third = (await agent.post('/api/demands', { channel: 'phone', type: 'fault_repair', category: 'outage_voltage', customer: { phone: hotel.phone }, content: '第三次来电，仍然停电' })).json();
      assert.equal(third.repeatCount, 2);
      assert.equal(third.caseId, first.id);
      assert.equal(third.escalationLevel, 1);
      const escalated = (await lead.get('/api/demands?escalated=true')).json();
      assert.ok(escalated.items.some((d: any) => d.id === third.id), 'on the team lead’s list');
    });

    test('12:00 the callback records "no power": the case stays open, one level higher, with the customer’s words', async () => {
      now = at('12:00');
      const res = await agent.post(`/api/demands/${first.id}/callbacks`, { outcome: 'satisfied', powerRestored: false, note: '客户表示仍然没有电' });
      assert.equal(res.statusCode, 200, res.body);
      const demand = res.json();
      assert.equal(demand.status, 'open');
      assert.equal(demand.closedAt, null);
      assert.equal(demand.escalationLevel, 1);
      const reopened = demand.timeline.find((e: any) => e.kind === 'callback.reopened');
      assert.equal(reopened.note, '客户表示仍然没有电');
      assert.equal(reopened.data.reason, 'power_not_restored');
    });

    test('14:00 the provincial office forwards a complaint: it joins the same case at the top priority', async () => {
      now = at('14:00');
      const res = await agent.post('/api/demands', {
        channel: 'province',
        type: 'complaint',
        category: 'outage_voltage',
        subcategory: 'outage_complaint',
        customer: { accountNo: hotel.account_no, phone: hotel.phone },
        content: '省公司转办：客户反映酒店停电多次报修未解决',
      });
      assert.equal(res.statusCode, 201, res.body);
      const complaint = res.json();
      assert.equal(complaint.source, 'province');
      assert.equal(complaint.priority, 'urgent');
      assert.equal(complaint.caseId, first.id);
      assert.ok(complaint.escalationLevel >= 1);
      const overLevel = complaint.timeline.find((e: any) => e.kind === 'over_level');
      assert.deepEqual(overLevel.data.notified, ['team_lead', 'unit_head']);
      const caseDemands = await t.database.db.selectFrom('demands').select('id').where('case_id', '=', first.id).execute();
      assert.equal(caseDemands.length, 4);
    });

    test('every state change is on the timeline and in the audit table with its actor', async () => {
      const demand = (await agent.get(`/api/demands/${first.id}`)).json();
      const kinds = demand.timeline.map((e: any) => e.kind);
      for (const kind of ['registered', 'work_order.dispatched', 'work_order.accepted', 'work_order.arrived', 'work_order.handled', 'callback.reopened']) assert.ok(kinds.includes(kind), kind);
      const actors = demand.timeline.filter((e: any) => e.kind.startsWith('work_order.') && e.kind !== 'work_order.dispatched').map((e: any) => e.actorName);
      assert.ok(actors.every((name: string) => name === '陈明'), 'the station handler did the order’s steps');
      const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_type', 'in', ['demand', 'task']).execute();
      for (const action of ['demand.registered', 'work_order.dispatched', 'work_order.accept', 'work_order.arrive', 'work_order.handle', 'demand.callback']) {
        assert.ok(audit.some((a) => a.action === action && a.actor_id !== null), action);
      }
    });
  });
}
