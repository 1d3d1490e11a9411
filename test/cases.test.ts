import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, userId, type Client, type TestApp } from './helpers/app.js';

// A case, not a call, through the public endpoints: who joins which case,
// unlinking, the ladder as data and its named people, urging and reassigning
// from the supervision page, actual times, a fault's place.

const at = (local: string) => new Date(`${local}+08:00`);

for (const target of testDatabases()) {
  describe(`a case, not a call (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-11-23T09:00:00');
    let agent: Client;
    let lead: Client;
    let admin: Client;
    let handler: Client;
    let station: number;

    const register = async (phone: string, over: object = {}) => {
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'complaint',
        category: 'supply_service',
        subcategory: 'service_complaint',
        customer: { phone },
        content: '营业厅态度差',
        ...over,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };

    /** Sessions live on the app's clock: moving it far signs everyone in again. */
    const signIn = async () => {
      agent = await t.login('agent');
      lead = await t.login('team_lead');
      admin = await t.login('admin');
      handler = await t.login('handler');
    };
    const moveTo = async (local: string) => {
      now = at(local);
      await signIn();
    };

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 100 });
      await signIn();
      station = await unitId(t.database, 'YL-QL-CG');
    });
    after(() => t.close());

    test('an unregistered caller rings again: the agent sees the first call before saving, and the call joins it', async () => {
      const phone = '13712340001';
      const none = (await agent.get(`/api/demands/case-preview?phone=${phone}`)).json();
      assert.deepEqual(none, { joins: null, recent: [] });
      const first = await register(phone, { content: '电费突然翻倍' });
      await moveTo('2026-11-23T09:30:00');
      const preview = (await agent.get(`/api/demands/case-preview?phone=${phone}&category=grid_construction`)).json();
      assert.equal(preview.joins.number, first.number, 'an open case is joined whatever the matter');
      assert.equal(preview.joins.reason, 'open');
      assert.deepEqual(
        preview.joins.calls.map((c: any) => [c.ordinal, c.number, c.content]),
        [[1, first.number, '电费突然翻倍']],
        'the first call, before any other joined',
      );
      assert.deepEqual(
        preview.recent.map((r: any) => [r.number, r.content]),
        [[first.number, '电费突然翻倍']],
      );
      const second = await register(phone, { category: 'grid_construction', type: 'opinion', subcategory: undefined, content: '门口施工' });
      assert.equal(second.caseId, first.id);
      assert.equal(second.callCount, 2);
      assert.deepEqual(
        second.case.calls.map((c: any) => [c.ordinal, c.number]),
        [
          [1, first.number],
          [2, second.number],
        ],
      );
      assert.equal((await agent.get(`/api/demands/case-preview?phone=bad`)).statusCode, 400);
    });

    test('after closing: the same matter within 30 days joins and opens the case again with its clocks; another matter or later is a new case', async () => {
      const phone = '13712340002';
      await moveTo('2026-11-02T09:00:00');
      const first = await register(phone, { type: 'opinion', subcategory: undefined });
      assert.equal((await agent.post(`/api/demands/${first.id}/answer`, { answer: '已解释' })).statusCode, 200);
      await moveTo('2026-11-20T09:00:00');
      const other = await register(phone, { category: 'grid_construction', type: 'opinion', subcategory: undefined });
      assert.equal(other.caseId, other.id, 'another matter after closing: a case of its own');
      assert.equal((await agent.post(`/api/demands/${other.id}/answer`, { answer: '已解释' })).statusCode, 200);
      const again = await register(phone, { type: 'opinion', subcategory: undefined, content: '上次答复后问题依旧' });
      assert.equal(again.caseId, first.id);
      assert.deepEqual(again.deadlines, []);
      const reopened = (await agent.get(`/api/demands/${first.id}`)).json();
      assert.equal(reopened.status, 'open');
      assert.equal(reopened.closedAt, null);
      assert.ok(reopened.timeline.some((e: any) => e.kind === 'case.reopened'));
      const answer = reopened.deadlines.filter((d: any) => d.step === 'answer' && d.metAt === null);
      assert.equal(answer.length, 1, 'the case’s answer clock runs again');
      assert.equal(answer[0].startedAt, now.toISOString());
      assert.equal((await agent.get(`/api/demands/${again.id}`)).json().status, 'open', 'the call carries its case’s status');
      // 31 days after closing: a new case.
      assert.equal((await agent.post(`/api/demands/${first.id}/answer`, { answer: '已再次解释' })).statusCode, 200);
      await moveTo('2026-12-22T09:00:00');
      const late = await register(phone, { type: 'opinion', subcategory: undefined });
      assert.equal(late.caseId, late.id);
    });

    test('a call judged another matter is unlinked with its reason: a case of its own with its own clocks', async () => {
      const phone = '13712340003';
      await moveTo('2026-12-01T10:00:00');
      const first = await register(phone);
      const second = await register(phone, { category: 'supply_safety', type: 'report', subcategory: undefined, content: '举报有人偷电' });
      assert.equal(second.caseId, first.id);
      const byWords = async (q: string) => (await agent.get(`/api/demands?q=${encodeURIComponent(q)}`)).json().items.map((d: any) => d.number);
      assert.deepEqual(await byWords('偷电'), [first.number], 'the case is found by the words of a call joined to it, and listed once');
      assert.ok((await byWords('营业厅')).includes(first.number));
      assert.equal((await handler.post(`/api/demands/${second.id}/unlink`, { reason: 'x' })).statusCode, 403);
      assert.equal((await agent.post(`/api/demands/${first.id}/unlink`, { reason: '另一件事' })).statusCode, 409, 'the case itself is not unlinked');
      const res = await agent.post(`/api/demands/${second.id}/unlink`, { reason: '举报偷电，与营业厅投诉无关' });
      assert.equal(res.statusCode, 200, res.body);
      const own = res.json();
      assert.equal(own.caseId, own.id);
      assert.equal(own.callCount, 1);
      assert.equal(own.unitName, '安全监察部', 'routed by its own category');
      assert.ok(
        own.deadlines.some((d: any) => d.step === 'answer'),
        'its own clock from now',
      );
      assert.equal(own.timeline.find((e: any) => e.kind === 'case.unlinked').note, '举报偷电，与营业厅投诉无关');
      const kase = (await agent.get(`/api/demands/${first.id}`)).json();
      assert.equal(kase.callCount, 1);
      assert.equal(kase.case, null);
      assert.deepEqual(await byWords('偷电'), [second.number], "after unlinking, the words lead to the call's own case");
      const shop = await byWords('营业厅');
      assert.ok(shop.includes(first.number) && !shop.includes(second.number), 'and the case keeps its own');
      const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'demand.unlinked').execute();
      assert.equal(audit.length, 1);
    });

    test('the ladder is data: an admin edits it, a bad one is refused naming the rule; the edited ladder applies', async () => {
      assert.deepEqual((await lead.get('/api/settings/escalation-ladder')).json().rungs, [
        { level: 1, calls: 3 },
        { level: 2, calls: 5 },
        { level: 3, calls: 7 },
      ]);
      assert.equal((await lead.put('/api/settings/escalation-ladder', { rungs: [] })).statusCode, 403);
      const bad = await admin.put('/api/settings/escalation-ladder', {
        rungs: [
          { level: 1, calls: 4 },
          { level: 2, calls: 4 },
          { level: 3, calls: 7 },
        ],
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /later call/);
      const ok = await admin.put('/api/settings/escalation-ladder', {
        rungs: [
          { level: 1, calls: 2 },
          { level: 2, calls: 3 },
          { level: 3, calls: 4 },
        ],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const phone = '13712340004';
      const first = await register(phone);
      const second = await register(phone);
      assert.equal(second.escalationLevel, 1, 'the 2nd call reaches the team lead now');
      // Level 3 with no head named for the centre's unit chain: said on the timeline, and the team leads told nobody was reached.
      await register(phone);
      const fourth = await register(phone);
      assert.equal(fourth.escalationLevel, 3);
      const entry = (await lead.get(`/api/demands/${first.id}`)).json().timeline.find((e: any) => e.kind === 'escalated' && e.data.level === 3);
      assert.ok(entry, 'level 3 is on the timeline');
      await admin.put('/api/settings/escalation-ladder', {
        rungs: [
          { level: 1, calls: 3 },
          { level: 2, calls: 5 },
          { level: 3, calls: 7 },
        ],
      });
    });

    test('a unit names its head; escalating by hand climbs the same ladder and tells each level’s person by name', async () => {
      const yxb = await unitId(t.database, 'YL-YXB');
      const head = await userId(t.database, 'account_manager');
      assert.equal((await admin.request({ method: 'PATCH', url: `/api/units/${yxb}`, payload: { headUserId: 999999 } })).statusCode, 400);
      const named = await admin.request({ method: 'PATCH', url: `/api/units/${yxb}`, payload: { headUserId: head } });
      assert.equal(named.statusCode, 200, named.body);
      assert.equal(named.json().headUserId, head);
      const demand = await register('13712340005');
      for (const [level, username] of [
        [1, 'team_lead'],
        [2, 'centre_manager'],
        [3, 'account_manager'],
      ] as const) {
        const res = await lead.post(`/api/demands/${demand.id}/escalate`, { reason: '客户情绪激动' });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().escalationLevel, level);
        const person = await userId(t.database, username);
        const told = await t.database.db
          .selectFrom('notifications')
          .select('title')
          .where('demand_id', '=', demand.id)
          .where('user_id', '=', person)
          .where('kind', '=', 'escalated')
          .execute();
        assert.equal(told.length, 1, `${username} told once`);
      }
      const entries = (await lead.get(`/api/demands/${demand.id}`)).json().timeline.filter((e: any) => e.kind === 'escalated');
      assert.deepEqual(
        entries.at(-1).data.notified.map((p: any) => p.name),
        ['黄伟'],
      );
      assert.equal((await lead.post(`/api/demands/${demand.id}/escalate`, { reason: '再升' })).statusCode, 409);
    });

    test('an important customer’s call puts the team leads on the case by name, and they are really told', async () => {
      const vip = await t.database.db
        .selectFrom('customers')
        .select(['account_no', 'phone'])
        .where('important', '=', 1)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'opinion',
        category: 'supply_service',
        customer: { accountNo: vip.account_no, phone: vip.phone },
        content: '要求调整抄表日',
      });
      assert.equal(res.statusCode, 201, res.body);
      const demand = res.json();
      const entry = demand.timeline.find((e: any) => e.kind === 'important_customer');
      assert.ok(entry.data.teamLeads.some((p: any) => p.name === '王建华'));
      const told = await t.database.db
        .selectFrom('notifications')
        .select('user_id')
        .where('demand_id', '=', demand.id)
        .where('kind', '=', 'important_customer')
        .execute();
      assert.equal(told.length, entry.data.teamLeads.length);
    });

    test('the team lead urges and reassigns from the supervision page: what was done, and what was refused with the reason', async () => {
      const a = await register('13712340006');
      const b = await register('13712340007');
      const orderA = (await agent.post(`/api/demands/${a.id}/work-orders`, { unitId: station, instructions: '请处理' })).json();
      await lead.post(`/api/demands/${a.id}/escalate`, { reason: '督办' });
      await lead.post(`/api/demands/${b.id}/escalate`, { reason: '督办' });
      const board = (await lead.get('/api/supervision')).json();
      const rowA = board.items.find((i: any) => i.id === a.id);
      assert.equal(rowA.escalationLevel, 1);
      assert.deepEqual(
        rowA.orders.map((o: any) => o.unitName),
        ['城关供电所'],
      );
      assert.equal((await agent.get('/api/supervision')).statusCode, 403);

      const urged = (await lead.post('/api/demands/urge', { ids: [a.id, b.id], note: '请今天内回复' })).json();
      assert.deepEqual(
        urged.done.map((d: any) => d.number),
        [a.number],
      );
      assert.equal(urged.refused[0].number, b.number);
      assert.match(urged.refused[0].reason, /work order/);
      const notices = (await handler.get('/api/notifications')).json().filter((n: any) => n.kind === 'urged' && n.demandId === a.id);
      assert.equal(notices.length, 1);
      assert.match(notices[0].title, /请今天内回复/);

      const xp = await unitId(t.database, 'YL-ZY-XP');
      assert.equal((await lead.post('/api/demands/reassign', { ids: [a.id], unitId: 999999, note: '改派' })).statusCode, 400);
      const moved = (await lead.post('/api/demands/reassign', { ids: [a.id, b.id], unitId: xp, note: '属西平所辖区' })).json();
      assert.deepEqual(moved.done.map((d: any) => d.id).sort(), [a.id, b.id].sort());
      const after = (await lead.get(`/api/demands/${a.id}`)).json();
      assert.deepEqual(
        after.tasks.map((t: any) => [t.unitName, t.status]),
        [
          ['城关供电所', 'returned'],
          ['西平供电所', 'dispatched'],
        ],
      );
      assert.equal(after.tasks[0].returnReason, '班长改派：属西平所辖区');
      const queue = (await handler.get('/api/work-orders')).json().items.map((o: any) => o.id);
      assert.ok(!queue.includes(orderA.id), 'the withdrawn order left 城关’s queue');
    });

    test('arrival and restoration take their actual time, refused in the future or before the dispatch', async () => {
      const vip = await t.database.db
        .selectFrom('customers')
        .select(['account_no', 'phone'])
        .where('unit_id', '=', station)
        .orderBy('id')
        .offset(3)
        .limit(1)
        .executeTakeFirstOrThrow();
      await moveTo('2026-12-22T10:00:00');
      const repair = (
        await agent.post('/api/demands', {
          channel: 'phone',
          type: 'fault_repair',
          category: 'outage_voltage',
          customer: { accountNo: vip.account_no, phone: vip.phone },
          content: '停电',
        })
      ).json();
      const order = (await agent.post(`/api/demands/${repair.id}/work-orders`, { unitId: station, instructions: '抢修' })).json();
      await moveTo('2026-12-22T10:01:00');
      assert.equal((await handler.post(`/api/work-orders/${order.id}/accept`)).statusCode, 200);
      await moveTo('2026-12-22T10:40:00');
      const future = await handler.post(`/api/work-orders/${order.id}/arrive`, { arrivedAt: at('2026-12-22T11:00:00').toISOString() });
      assert.equal(future.statusCode, 400);
      assert.ok(
        future.json().issues.some((i: any) => i.path === 'body.arrivedAt'),
        future.body,
      );
      const early = await handler.post(`/api/work-orders/${order.id}/arrive`, { arrivedAt: at('2026-12-22T09:00:00').toISOString() });
      assert.equal(early.statusCode, 400);
      const arrived = await handler.post(`/api/work-orders/${order.id}/arrive`, { arrivedAt: '2026-12-22T10:20:00+08:00' });
      assert.equal(arrived.statusCode, 200, arrived.body);
      assert.equal(arrived.json().arrivedAt, at('2026-12-22T10:20:00').toISOString());
      const d = (await agent.get(`/api/demands/${repair.id}`)).json();
      assert.equal(d.deadlines.find((x: any) => x.step === 'arrive').metAt, at('2026-12-22T10:20:00').toISOString());
      assert.equal(
        d.deadlines.find((x: any) => x.step === 'restore').startedAt,
        at('2026-12-22T10:20:00').toISOString(),
        'the restoration clock from the actual arrival',
      );
      await moveTo('2026-12-22T12:00:00');
      const before = await handler.post(`/api/work-orders/${order.id}/handle`, {
        findings: '更换熔断器',
        powerRestored: true,
        restoredAt: at('2026-12-22T10:10:00').toISOString(),
      });
      assert.equal(before.statusCode, 400);
      assert.match(before.body, /before the crew arrived/);
      const handled = await handler.post(`/api/work-orders/${order.id}/handle`, {
        findings: '更换熔断器',
        powerRestored: true,
        restoredAt: at('2026-12-22T11:05:00').toISOString(),
      });
      assert.equal(handled.statusCode, 200, handled.body);
      const done = (await agent.get(`/api/demands/${repair.id}`)).json();
      assert.equal(done.deadlines.find((x: any) => x.step === 'restore').metAt, at('2026-12-22T11:05:00').toISOString());
    });

    test('a customer is found by any part of the name, not only its beginning', async () => {
      const shop = await t.database.db
        .selectFrom('customers')
        .select(['name', 'account_no'])
        .where('customer_class', '<>', 'residential')
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const part = [...shop.name].slice(-2).join('');
      assert.ok(!shop.name.startsWith(part), `${part} is inside ${shop.name}`);
      const found = (await agent.get(`/api/customers/lookup?q=${encodeURIComponent(part)}`)).json().items;
      assert.ok(
        found.some((c: any) => c.accountNo === shop.account_no),
        `${part} finds ${shop.name}`,
      );
      assert.ok(
        found.every((c: any) => c.name.includes(part)),
        'and only names holding it',
      );
      const none = (await agent.get(`/api/customers/lookup?q=${encodeURIComponent('无此名字')}`)).json().items;
      assert.deepEqual(none, []);
      const byAccount = (await agent.get(`/api/customers/lookup?q=${shop.account_no.slice(0, 8)}`)).json().items;
      assert.ok(byAccount.length > 0, 'digits: the beginning of a 户号');
    });

    test("the screen pop lists a customer's cases, not their calls: three calls about one matter are one entry", async () => {
      const c = await t.database.db.selectFrom('customers').select(['account_no', 'phone', 'name']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      const customer = { accountNo: c.account_no, phone: c.phone, name: c.name };
      const first = await register(c.phone, { customer, content: '电压低，空调开不起来' });
      await register(c.phone, { customer, content: '还是电压低' });
      const third = await register(c.phone, { customer, content: '第三次打来了，电压还是低' });
      assert.equal(third.caseId, first.id);
      const [found] = (await agent.get(`/api/customers/lookup?phone=${c.phone}`)).json().items;
      const entries = found.recentDemands.filter((d: any) => d.id === first.id);
      assert.equal(entries.length, 1, 'one entry for the case');
      assert.equal(entries[0].number, first.number);
      assert.equal(entries[0].callCount, 3);
      assert.ok(!found.recentDemands.some((d: any) => d.id === third.id), 'the joined calls are not listed of their own');
    });

    test('a fault repair goes to the station of its place, searched by a part of its name', async () => {
      const places = (await agent.get(`/api/network/places?q=${encodeURIComponent('西平1号线2号')}`)).json();
      const district = places.items.find((p: any) => p.kind === 'district');
      assert.equal(district.stationName, '西平供电所');
      const feeders = (await agent.get(`/api/network/places?q=${encodeURIComponent('西平一回')}`)).json();
      assert.equal(feeders.items[0].kind, 'feeder');
      assert.equal(feeders.items[0].stationName, '西平供电所');
      // The caller is a 城关 customer, but the fault is on the 西平 台区 (a shop they own there).
      const cg = await t.database.db
        .selectFrom('customers')
        .select(['account_no', 'phone'])
        .where('unit_id', '=', station)
        .orderBy('id')
        .offset(5)
        .limit(1)
        .executeTakeFirstOrThrow();
      const res = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { accountNo: cg.account_no, phone: cg.phone },
        content: '店里停电',
        faultAddress: '西平镇集市街12号',
        districtId: district.id,
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().unitName, '西平供电所');
      assert.equal(res.json().faultAddress, '西平镇集市街12号');
      const bad = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { phone: '13712340009' },
        content: '停电',
        districtId: 999999,
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().issues[0].path, 'body.districtId');
    });
  });
}
