import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type Client, type TestApp, timersPass } from './helpers/app.js';

const at = (local: string) => new Date(`${local}:00+08:00`);

for (const target of testDatabases()) {
  describe(`demands (${target.name})`, () => {
    let t: TestApp;
    let now = at('2026-11-23T09:00');
    let agent: Client;
    let customers: { account_no: string; phone: string; unit_id: number }[];
    let next = 0;
    /** A customer of the 城关 station not used by another test. */
    const customer = () => customers[next++]!;

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 2000 });
      agent = await t.login('agent');
      const station = await unitId(t.database, 'YL-QL-CG');
      customers = await t.database.db
        .selectFrom('customers')
        .select(['account_no', 'phone', 'unit_id'])
        .where('unit_id', '=', station)
        .where('important', '=', 0)
        .orderBy('id')
        .execute();
      // Phones shared by two demo customers would make lookups ambiguous here.
      const phones = new Map<string, number>();
      for (const c of customers) phones.set(c.phone, (phones.get(c.phone) ?? 0) + 1);
      customers = customers.filter((c) => phones.get(c.phone) === 1);
    });
    after(() => t.close());

    const complaint = (c: { account_no: string; phone: string }, content = '抄表员态度恶劣') => ({
      channel: 'phone',
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      customer: { accountNo: c.account_no, phone: c.phone },
      content,
    });

    test('the same Idempotency-Key never creates a second demand', async () => {
      const body = complaint(customer());
      const one = await agent.request({ method: 'POST', url: '/api/demands', payload: body, headers: { 'idempotency-key': 'cti-call-0001' } });
      const two = await agent.request({ method: 'POST', url: '/api/demands', payload: body, headers: { 'idempotency-key': 'cti-call-0001' } });
      assert.equal(one.statusCode, 201);
      assert.equal(two.statusCode, 201);
      assert.equal(two.json().id, one.json().id);
      assert.equal(two.headers['idempotent-replayed'], 'true');
      const rows = await t.database.db.selectFrom('demands').select('id').where('phone', '=', body.customer.phone).execute();
      assert.equal(rows.length, 1);
    });

    test('a retry that races its first attempt, among other agents’ calls of the same moment: one demand for the key, every other call saved', async () => {
      const retried = complaint(customer());
      const others = Array.from({ length: 6 }, () => complaint(customer()));
      const answers = await Promise.all([
        agent.request({ method: 'POST', url: '/api/demands', payload: retried, headers: { 'idempotency-key': 'cti-call-race' } }),
        ...others.map((body) => agent.request({ method: 'POST', url: '/api/demands', payload: body })),
        agent.request({ method: 'POST', url: '/api/demands', payload: retried, headers: { 'idempotency-key': 'cti-call-race' } }),
      ]);
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        Array(8).fill(201),
      );
      assert.equal(answers[0]!.json().id, answers[7]!.json().id);
      assert.equal(new Set(answers.map((a) => a.json().id)).size, 7);
      const saved = await t.database.db
        .selectFrom('demands')
        .select('phone')
        .where(
          'phone',
          'in',
          [retried, ...others].map((b) => b.customer.phone),
        )
        .execute();
      assert.equal(saved.length, 7);
      for (const answer of answers.slice(1, 7)) {
        const detail = (await agent.get(`/api/demands/${answer.json().id}`)).json();
        assert.deepEqual(answer.json(), detail, 'the answer to the POST is the demand as stored');
      }
    });

    test('two calls of one customer in the same moment (phone and the web channel): the second is linked to the first', async () => {
      const c = customer();
      const lead = await t.login('team_lead');
      const [one, two] = await Promise.all([
        agent.post('/api/demands', { ...complaint(c, '营业厅乱收费'), channel: 'phone' }),
        lead.post('/api/demands', { ...complaint(c, '营业厅乱收费，网上再次反映'), channel: 'web' }),
      ]);
      assert.equal(one.statusCode, 201, one.body);
      assert.equal(two.statusCode, 201, two.body);
      const [first, second] = [one.json(), two.json()].sort((a, b) => a.id - b.id);
      assert.equal(first.repeatOf, null);
      assert.equal(second.repeatOf, first.id, 'the later registration repeats the earlier one');
      assert.equal(second.caseId, first.caseId);
      assert.equal(second.repeatCount, 1);
    });

    test('a complaint routes to its category’s department and gets 1 WD to contact, 5 WD to answer', async () => {
      const c = customer();
      const demand = (await agent.post('/api/demands', complaint(c))).json();
      assert.equal(demand.unitName, '市场营销部');
      const due = Object.fromEntries(demand.deadlines.map((d: any) => [d.step, d.dueAt]));
      assert.equal(due.contact, at('2026-11-25T00:00').toISOString(), 'end of Tuesday');
      assert.equal(due.answer, at('2026-12-01T00:00').toISOString(), 'end of the fifth working day, Monday');
    });

    test('two users changing one demand at once: the second gets 409 and a clear message', async () => {
      const demand = (await agent.post('/api/demands', complaint(customer()))).json();
      const lead = await t.login('team_lead');
      const first = await lead.request({
        method: 'POST',
        url: `/api/demands/${demand.id}/escalate`,
        payload: { reason: '客户情绪激动' },
        headers: { 'if-match': `"${demand.version}"` },
      });
      assert.equal(first.statusCode, 200);
      const second = await agent.request({
        method: 'POST',
        url: `/api/demands/${demand.id}/escalate`,
        payload: { reason: '重复升级' },
        headers: { 'if-match': `"${demand.version}"` },
      });
      assert.equal(second.statusCode, 409);
      assert.match(second.json().message, /changed by someone else/);
      assert.equal((await agent.get(`/api/demands/${demand.id}`)).json().escalationLevel, 1, 'the first change stands, alone');
    });

    test('a consultation answered on the call closes at once', async () => {
      const c = customer();
      const demand = (
        await agent.post('/api/demands', {
          channel: 'phone',
          type: 'consultation',
          category: 'supply_service',
          customer: { phone: c.phone },
          content: '峰谷电价怎么计算',
        })
      ).json();
      const res = await agent.post(`/api/demands/${demand.id}/answer`, { answer: '峰时8:00-22:00，谷时22:00-次日8:00' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().status, 'closed');
      assert.equal((await agent.post(`/api/demands/${demand.id}/answer`, { answer: '再答一次' })).statusCode, 409);
    });

    test('a misrouted order goes back to the centre with its reason, and the demand can be dispatched again', async () => {
      const demand = (await agent.post('/api/demands', complaint(customer()))).json();
      const station = await unitId(t.database, 'YL-QL-CG');
      const order = (await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: station, instructions: '请核实' })).json();
      const handler = await t.login('handler');
      const back = await handler.post(`/api/work-orders/${order.id}/return`, { reason: '非本所辖区，应转营销部' });
      assert.equal(back.statusCode, 200);
      assert.equal(back.json().status, 'returned');
      const after = (await agent.get(`/api/demands/${demand.id}`)).json();
      assert.equal(after.status, 'open');
      assert.ok(after.timeline.some((e: any) => e.kind === 'work_order.returned' && e.note === '非本所辖区，应转营销部'));
      assert.equal(
        (await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: await unitId(t.database, 'YL-YXB'), instructions: '转营销部' })).statusCode,
        201,
      );
    });

    test('unreachable three times: another try each time, then the team lead', async () => {
      const demand = (await agent.post('/api/demands', complaint(customer()))).json();
      const station = await unitId(t.database, 'YL-QL-CG');
      const order = (await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: station, instructions: '请处理' })).json();
      const handler = await t.login('handler');
      await handler.post(`/api/work-orders/${order.id}/accept`);
      await handler.post(`/api/work-orders/${order.id}/handle`, { findings: '已向客户道歉并整改' });
      for (const attempt of [1, 2]) {
        const res = (await agent.post(`/api/demands/${demand.id}/callbacks`, { outcome: 'unreachable' })).json();
        assert.equal(res.status, 'awaiting_callback');
        assert.equal(res.callbackAttempts, attempt);
      }
      const third = (await agent.post(`/api/demands/${demand.id}/callbacks`, { outcome: 'unreachable' })).json();
      assert.equal(third.callbackAttempts, 3);
      assert.equal(third.escalationLevel, 1);
      const told = await t.database.db.selectFrom('notifications').select('kind').where('demand_id', '=', demand.id).where('role', '=', 'team_lead').execute();
      assert.ok(told.some((n) => n.kind === 'unreachable'));
      const closed = (await agent.post(`/api/demands/${demand.id}/callbacks`, { outcome: 'satisfied' })).json();
      assert.equal(closed.status, 'closed');
    });

    test('an overdue deadline escalates exactly once, across passes and a restart', async () => {
      const demand = (await agent.post('/api/demands', complaint(customer()))).json();
      const contactDue = new Date(demand.deadlines.find((d: any) => d.step === 'contact').dueAt);
      const later = new Date(contactDue.getTime() + 60_000);
      const firstPass = await timersPass(t.database.db, later);
      assert.ok(firstPass.escalations >= 1);
      assert.deepEqual(await timersPass(t.database.db, later), { warnings: 0, escalations: 0, handOvers: 0, reminders: 0, revisionNotices: 0 });
      // A restart: a new app on the same database, and the pass again.
      const app2 = await (await import('../src/server/app.js')).buildApp({ config: t.config, database: t.database, clock: () => later, logLevel: 'silent' });
      await app2.ready();
      assert.deepEqual(await timersPass(t.database.db, new Date(later.getTime() + 1000)), {
        warnings: 0,
        escalations: 0,
        handOvers: 0,
        reminders: 0,
        revisionNotices: 0,
      });
      await app2.close();
      now = later;
      agent = await t.login('agent'); // the old session ran out while the clock moved on
      const after = (await agent.get(`/api/demands/${demand.id}`)).json();
      assert.equal(after.timeline.filter((e: any) => e.kind === 'deadline.overdue' && e.data.step === 'contact').length, 1);
      assert.ok(after.escalationLevel >= 1);
      const overdue = (await agent.get('/api/demands?overdue=true&pageSize=200')).json();
      assert.ok(overdue.items.some((d: any) => d.id === demand.id));
    });

    test('list filters: by number, phone, 户号, type and text, with a total', async () => {
      const c = customer();
      const demand = (await agent.post('/api/demands', complaint(c, '电费账单金额异常偏高'))).json();
      const one = async (query: string) => (await agent.get(`/api/demands?${query}`)).json();
      assert.deepEqual(
        (await one(`number=${demand.number}`)).items.map((d: any) => d.id),
        [demand.id],
      );
      assert.ok((await one(`phone=${c.phone}`)).items.every((d: any) => d.customer.phone === c.phone));
      assert.ok((await one(`accountNo=${c.account_no}`)).total >= 1);
      assert.ok((await one(`q=${encodeURIComponent('账单金额')}`)).items.some((d: any) => d.id === demand.id));
      const open = await one('open=true&escalated=true&pageSize=200');
      assert.ok(open.items.every((d: any) => d.status !== 'closed' && d.escalationLevel > 0));
      const complaints = await one('type=complaint&pageSize=2');
      assert.equal(complaints.items.length, 2);
      assert.ok(complaints.total > 2);
    });

    test('free text is searched by words (jieba), not characters: 停电 and 电压质量 find what contains them', async () => {
      const contents = ['小区频繁停电，影响生活', '电压质量差，灯光闪烁', '电费缴纳方式咨询', '业扩报装进度太慢'];
      const ids: number[] = [];
      for (const content of contents) ids.push((await agent.post('/api/demands', { ...complaint(customer()), content })).json().id);
      const found = async (q: string) =>
        (await agent.get(`/api/demands?q=${encodeURIComponent(q)}&pageSize=200`))
          .json()
          .items.map((d: any) => d.id)
          .filter((id: number) => ids.includes(id));
      assert.deepEqual(await found('停电'), [ids[0]]);
      assert.deepEqual(await found('电压质量'), [ids[1]]);
      assert.deepEqual(await found('报装'), [ids[3]], 'a part of a long word');
      assert.deepEqual(await found('电'), [], 'a single character is no word of these texts');
      assert.deepEqual(await found('质量电压'), [], 'words match in order, as a phrase');
    });

    test('bad input names the field; nothing is saved', async () => {
      const before = (await t.database.db.selectFrom('demands').select('id').execute()).length;
      const cases: [unknown, RegExp][] = [
        [{ ...complaint(customer()), type: 'gossip' }, /body\.type/],
        [{ ...complaint(customer()), channel: 'pigeon' }, /body\.channel/],
        [{ ...complaint(customer()), customer: { phone: 'abc' } }, /body\.customer\.phone/],
        [{ ...complaint(customer()), customer: { accountNo: '0000009999', phone: '13800000000' } }, /body\.customer\.accountNo/],
        [{ ...complaint(customer()), content: '' }, /body\.content/],
        [{ ...complaint(customer()), colour: 'red' }, /body\.colour/],
        [{ ...complaint(customer()), unitId: 999999 }, /body\.unitId/],
        // The taxonomy is checked: a complaint carries one of its five classes, a class belongs to its type.
        [{ ...complaint(customer()), subcategory: undefined }, /body\.subcategory.*service_complaint/],
        [{ ...complaint(customer()), subcategory: 'meter_check' }, /body\.subcategory.*complaint's/],
        [{ ...complaint(customer()), type: 'fault_repair' }, /body\.subcategory.*fault_repair has no sub-categories/],
      ];
      for (const [body, pattern] of cases) {
        const res = await agent.post('/api/demands', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.match(res.json().message, pattern);
      }
      const badKey = await agent.request({ method: 'POST', url: '/api/demands', payload: complaint(customer()), headers: { 'idempotency-key': '键' } });
      assert.equal(badKey.statusCode, 400);
      const badMatch = await agent.request({ method: 'POST', url: '/api/demands/1/escalate', payload: { reason: 'x' }, headers: { 'if-match': 'yesterday' } });
      assert.equal(badMatch.statusCode, 400);
      assert.equal((await t.database.db.selectFrom('demands').select('id').execute()).length, before);
    });
  });
}
