import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp, timersPass } from './helpers/app.js';

// Seed case 004, retold with its times (China time, UTC+8): a hotel without
// power calls at 09:27 and an order reaches the district station within the
// minute. While the crew works, the hotel calls again and again, its
// restaurant complains about the repair fee, and the provincial office
// forwards a complaint. It is one case: one set of clocks, each further call
// urges the station, the case climbs the ladder at the 3rd, 5th and 7th calls
// (team lead, centre manager, head of the responsible unit), each told once,
// and once the repair is confirmed nothing goes overdue.

const day = '2026-11-23'; // a Monday
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

for (const target of testDatabases()) {
  describe(`seed case 004, the hotel without power: a case, not a call (${target.name})`, () => {
    let t: TestApp;
    let now = at('09:27');
    let agent: Client;
    let handler: Client;
    let lead: Client;
    let hotel: { account_no: string; phone: string; name: string };
    let first: any;
    let order: any;
    let forward: any;
    const calls: any[] = [];
    const ids: Record<string, number> = {};

    const call = async (content: string, over: object = {}) => {
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { phone: hotel.phone },
        content,
        ...over,
      });
      assert.equal(res.statusCode, 201, res.body);
      calls.push(res.json());
      return res.json();
    };
    /** The notifications of a kind each person got about the case. */
    const told = async (kind: string) => {
      const rows = await t.database.db
        .selectFrom('notifications')
        .select(['user_id', 'title'])
        .where('demand_id', '=', first.id)
        .where('kind', '=', kind)
        .where('user_id', 'is not', null)
        .execute();
      return rows;
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 300 });
      const station = await unitId(t.database, 'YL-QL-CG');
      // The hotel: a business customer of the 城关 station (the demo city has them; make one a hotel by name).
      const row = await t.database.db
        .selectFrom('customers')
        .select(['id', 'account_no', 'phone'])
        .where('unit_id', '=', station)
        .where('important', '=', 0)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      await t.database.db.updateTable('customers').set({ name: '麒麟金龙酒店', customer_class: 'non_residential_low' }).where('id', '=', row.id).execute();
      hotel = { account_no: row.account_no, phone: row.phone, name: '麒麟金龙酒店' };
      agent = await t.login('agent');
      handler = await t.login('handler');
      lead = await t.login('team_lead');
      for (const username of ['team_lead', 'team_lead.2', 'centre_manager', 'expert.ql.1']) {
        ids[username] = (await t.database.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
      }
      // The county's head (its leader, expert.ql.1, in the demo) is who level 3 reaches for a case of its station.
      const county = await t.database.db.selectFrom('units').select('head_user_id').where('code', '=', 'YL-QL').executeTakeFirstOrThrow();
      assert.equal(county.head_user_id, ids['expert.ql.1']);
    });
    after(() => t.close());

    test('09:27 the first call: a repair for the hotel’s station, with its clocks', async () => {
      first = await call('酒店全部停电，客人投诉，要求尽快恢复供电', { customer: { accountNo: hotel.account_no, phone: hotel.phone, name: hotel.name } });
      assert.equal(first.status, 'open');
      assert.equal(first.unitName, '城关供电所');
      assert.equal(first.caseId, first.id);
      assert.equal(first.callCount, 1);
      assert.equal(first.escalationLevel, 0);
      const due = Object.fromEntries(first.deadlines.map((d: any) => [d.step, d.dueAt]));
      assert.equal(due.dispatch, at('09:32').toISOString(), 'order out within 5 minutes');
      assert.equal(due.arrive, at('10:12').toISOString(), 'urban crew within 45 minutes');
      now = at('09:28');
      const station = await unitId(t.database, 'YL-QL-CG');
      const res = await agent.post(`/api/demands/${first.id}/work-orders`, { unitId: station, instructions: '酒店停电，请立即派人抢修' });
      assert.equal(res.statusCode, 201, res.body);
      order = res.json();
      now = at('09:30');
      assert.equal((await handler.post(`/api/work-orders/${order.id}/accept`)).statusCode, 200);
    });

    test('09:40 the second call joins the case before and after saving: no clock of its own, the station is urged', async () => {
      now = at('09:40');
      const preview = (await agent.get(`/api/demands/case-preview?phone=${hotel.phone}&category=outage_voltage`)).json();
      assert.equal(preview.joins.caseId, first.id, 'the agent sees the case before saving');
      assert.equal(preview.joins.nextCall, 2);
      assert.deepEqual(
        preview.joins.orders.map((o: any) => [o.unitName, o.status]),
        [['城关供电所', 'accepted']],
      );
      const second = await call('还是没电，你们什么时候到');
      assert.equal(second.caseId, first.id);
      assert.equal(second.callCount, 2);
      assert.deepEqual(second.deadlines, [], 'no clock of its own');
      assert.equal(second.escalationLevel, 0);
      assert.deepEqual(
        second.case.calls.map((c: any) => c.ordinal),
        [1, 2],
      );
      const urged = (await handler.get('/api/notifications')).json().filter((n: any) => n.kind === 'urged');
      assert.equal(urged.length, 1);
      assert.match(urged[0].title, /客户第 2 次来电/);
      const queue = (await handler.get('/api/work-orders')).json().items.find((o: any) => o.id === order.id);
      assert.equal(queue.urgeCount, 1);
      assert.equal(queue.demand.callCount, 2);
    });

    test('09:50 the third call reaches the team leads, each told once by name', async () => {
      now = at('09:50');
      const third = await call('第三次来电，仍然停电');
      assert.equal(third.escalationLevel, 1);
      const escalated = await told('escalated');
      assert.deepEqual(escalated.map((n) => n.user_id).sort(), [ids['team_lead'], ids['team_lead.2']].sort());
      assert.match(escalated[0]!.title, /诉求升级至班长 .*客户第 3 次来电/);
      const entry = (await lead.get(`/api/demands/${first.id}`)).json().timeline.find((e: any) => e.kind === 'escalated' && e.data.level === 1);
      assert.deepEqual(entry.data.notified.map((p: any) => p.name).sort(), ['王建华', entry.data.notified.find((p: any) => p.name !== '王建华').name].sort());
    });

    test('10:00 the restaurant’s complaint about the repair fee joins the same case, though another matter', async () => {
      now = at('10:00');
      const fee = await call('抢修人员要收取材料费，酒店餐厅承包人投诉收费不合理', {
        type: 'complaint',
        category: 'supply_service',
        subcategory: 'business_complaint',
      });
      assert.equal(fee.caseId, first.id);
      assert.equal(fee.callCount, 4);
      assert.deepEqual(fee.deadlines, []);
      const byFee = (await agent.get(`/api/demands?q=${encodeURIComponent('材料费')}`)).json();
      assert.deepEqual(
        byFee.items.map((d: any) => d.number),
        [first.number],
        'a search for the fee finds the hotel’s case, once',
      );
      const warned = await timersPass(t.database.db, at('10:04'));
      assert.equal(warned.warnings, 1, 'the case’s arrival clock warns once');
      assert.equal(warned.escalations, 0);
    });

    test('10:10 the fifth call reaches the centre manager', async () => {
      now = at('10:05');
      assert.equal((await handler.post(`/api/work-orders/${order.id}/arrive`)).statusCode, 200);
      now = at('10:10');
      const fifth = await call('酒店客人退房，损失谁负责');
      assert.equal(fifth.escalationLevel, 2);
      const manager = (await told('escalated')).filter((n) => n.user_id === ids['centre_manager']);
      assert.equal(manager.length, 1);
      assert.match(manager[0]!.title, /诉求升级至中心主任/);
    });

    test('10:20 the province forwards a complaint: it joins the case, the station sees it, its 2-hour limit runs on the case', async () => {
      now = at('10:20');
      forward = await call('省公司转办：客户反映酒店停电多次报修未解决', {
        channel: 'province',
        type: 'complaint',
        subcategory: 'outage_complaint',
        customer: { accountNo: hotel.account_no, phone: hotel.phone },
      });
      assert.equal(forward.source, 'province');
      assert.equal(forward.priority, 'urgent');
      assert.equal(forward.caseId, first.id);
      assert.equal(forward.unitName, '城关供电所', 'the case’s unit, not the category’s department');
      const seen = await handler.get(`/api/demands/${forward.id}`);
      assert.equal(seen.statusCode, 200, 'the station handling the case sees the forward');
      const kase = (await handler.get(`/api/demands/${first.id}`)).json();
      assert.equal(kase.priority, 'urgent');
      const contact = kase.deadlines.find((d: any) => d.step === 'contact');
      assert.equal(contact.dueAt, at('12:20').toISOString(), 'contacted within 2 hours');
      const overLevel = kase.timeline.find((e: any) => e.kind === 'over_level');
      assert.deepEqual(
        overLevel.data.unitHead.map((p: any) => p.userId),
        [ids['expert.ql.1']],
      );
      const firstMinute = await told('over_level');
      assert.deepEqual(
        firstMinute.map((n) => n.user_id).sort(),
        [ids['team_lead'], ids['team_lead.2'], ids['expert.ql.1']].sort(),
        'the team leads and the head of the unit, really notified',
      );
    });

    test('10:30 the seventh call reaches the head of the responsible unit; the 8th and 9th tell nobody again', async () => {
      now = at('10:30');
      const seventh = await call('第七次来电');
      assert.equal(seventh.escalationLevel, 3);
      now = at('10:32');
      await call('第八次来电');
      now = at('10:34');
      const ninth = await call('第九次来电');
      assert.equal(ninth.callCount, 9);
      const escalated = await told('escalated');
      const perPerson = new Map<number, number>();
      for (const n of escalated) perPerson.set(n.user_id!, (perPerson.get(n.user_id!) ?? 0) + 1);
      assert.deepEqual(
        [...perPerson.entries()].sort((a, b) => a[0] - b[0]),
        [
          [ids['team_lead']!, 1],
          [ids['team_lead.2']!, 1],
          [ids['centre_manager']!, 1],
          [ids['expert.ql.1']!, 1],
        ].sort((a, b) => a[0]! - b[0]!),
        'each level’s people told once',
      );
      const kase = (await lead.get(`/api/demands/${first.id}`)).json();
      assert.deepEqual(
        kase.timeline.filter((e: any) => e.kind === 'escalated').map((e: any) => e.data.level),
        [1, 2, 3],
        'the ladder reached at the 3rd, 5th and 7th calls',
      );
      assert.equal(kase.tasks[0].urgeCount, 8, 'each further call urged the open order');
    });

    test('one case: the list shows it once with its calls; one set of clocks', async () => {
      const list = (await agent.get(`/api/demands?phone=${hotel.phone}`)).json();
      assert.deepEqual(
        list.items.map((d: any) => [d.number, d.callCount]),
        [[first.number, 9]],
      );
      const byNumber = (await agent.get(`/api/demands?number=${forward.number}`)).json();
      assert.deepEqual(
        byNumber.items.map((d: any) => d.id),
        [first.id],
        'a call’s number finds its case',
      );
      const clocks = await t.database.db
        .selectFrom('deadlines')
        .select(['demand_id', 'step'])
        .where(
          'demand_id',
          'in',
          calls.map((c) => c.id),
        )
        .execute();
      assert.ok(
        clocks.every((c) => c.demand_id === first.id),
        'only the case has clocks',
      );
      const steps = clocks.map((c) => c.step).sort();
      assert.deepEqual(steps, ['answer', 'arrive', 'contact', 'dispatch', 'restore'], 'one of each: the repair’s, and the forward’s urgent contact and answer');
    });

    test('10:50 the power is back and the hotel confirms: the case and its calls close; nothing goes overdue after', async () => {
      now = at('10:50');
      const handled = await handler.post(`/api/work-orders/${order.id}/handle`, { findings: '更换表后开关至酒店的下户线，恢复供电', powerRestored: true });
      assert.equal(handled.statusCode, 200, handled.body);
      now = at('11:00');
      const closed = await agent.post(`/api/demands/${first.id}/callbacks`, { outcome: 'satisfied', powerRestored: true });
      assert.equal(closed.statusCode, 200, closed.body);
      assert.equal(closed.json().status, 'closed');
      const statuses = await t.database.db.selectFrom('demands').select('status').where('case_id', '=', first.id).execute();
      assert.ok(
        statuses.every((s) => s.status === 'closed'),
        'every call closed with its case',
      );
      for (const hour of ['12:30', '18:00', '23:59']) {
        const pass = await timersPass(t.database.db, at(hour));
        assert.equal(pass.escalations, 0, `no overdue escalation at ${hour}`);
      }
      const overdue = await t.database.db
        .selectFrom('timeline')
        .select('id')
        .where(
          'demand_id',
          'in',
          calls.map((c) => c.id),
        )
        .where('kind', '=', 'deadline.overdue')
        .execute();
      assert.deepEqual(overdue, []);
    });

    test('a call on the case acts on the case: a call is not dispatched on its own', async () => {
      now = at('11:05');
      const station = await unitId(t.database, 'YL-QL-CG');
      const res = await agent.post(`/api/demands/${calls[1].id}/work-orders`, { unitId: station, instructions: 'x' });
      assert.equal(res.statusCode, 409);
      assert.match(res.json().message, new RegExp(`case ${first.number}`));
    });

    test('every state change is on the timeline and in the audit table with its actor', async () => {
      const demand = (await agent.get(`/api/demands/${first.id}`)).json();
      const kinds = demand.timeline.map((e: any) => e.kind);
      for (const kind of [
        'registered',
        'work_order.dispatched',
        'work_order.accepted',
        'work_order.arrived',
        'work_order.handled',
        'call.joined',
        'urged',
        'escalated',
        'over_level',
        'callback',
      ])
        assert.ok(
          kinds.some((k: string) => k.startsWith(kind)),
          kind,
        );
      const actors = demand.timeline.filter((e: any) => e.kind.startsWith('work_order.') && e.kind !== 'work_order.dispatched').map((e: any) => e.actorName);
      assert.ok(
        actors.every((name: string) => name === '陈明'),
        'the station handler did the order’s steps',
      );
      const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity_type', 'in', ['demand', 'task']).execute();
      for (const action of ['demand.registered', 'work_order.dispatched', 'work_order.accept', 'work_order.arrive', 'work_order.handle', 'demand.callback']) {
        assert.ok(
          audit.some((a) => a.action === action && a.actor_id !== null),
          action,
        );
      }
    });
  });
}
