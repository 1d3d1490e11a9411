import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type TestApp } from './helpers/app.js';

// Every role through every demand endpoint: a role that may not gets 403; a
// record outside the caller's units is 404, and lists and searches leave it out.

type Outcome = 'ok' | 403 | 404;

for (const target of testDatabases()) {
  describe(`who may do what with demands (${target.name})`, () => {
    let t: TestApp;
    let ours: { id: number; order: number; phone: string; account: string }; // a repair at 城关供电所 (麒麟区)
    let theirs: { id: number; order: number; phone: string; account: string }; // a complaint sent to 西平供电所 (沾益区)

    before(async () => {
      t = await startTestApp(target, { customers: 600 });
      const agent = await t.login('agent');
      const pick = async (code: string) =>
        t.database.db
          .selectFrom('customers')
          .select(['account_no', 'phone'])
          .where('unit_id', '=', await unitId(t.database, code))
          .orderBy('id')
          .executeTakeFirstOrThrow();
      const a = await pick('YL-QL-CG');
      const b = await pick('YL-ZY-XP');
      const make = async (c: { account_no: string; phone: string }, type: string, category: string, station: string, subcategory?: string) => {
        const created = await agent.post('/api/demands', {
          channel: 'phone',
          type,
          category,
          subcategory,
          customer: { accountNo: c.account_no, phone: c.phone },
          content: '测试诉求',
        });
        assert.equal(created.statusCode, 201, created.body);
        const demand = created.json();
        const order = (await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: await unitId(t.database, station), instructions: '请处理' })).json();
        return { id: demand.id, order: order.id, phone: c.phone, account: c.account_no };
      };
      ours = await make(a, 'fault_repair', 'outage_voltage', 'YL-QL-CG');
      theirs = await make(b, 'complaint', 'supply_service', 'YL-ZY-XP', 'service_complaint');
    });
    after(() => t.close());

    const readers: Record<string, { ours: Outcome; theirs: Outcome }> = {
      admin: { ours: 403, theirs: 403 },
      agent: { ours: 'ok', theirs: 'ok' },
      team_lead: { ours: 'ok', theirs: 'ok' },
      analyst: { ours: 'ok', theirs: 'ok' },
      account_manager: { ours: 'ok', theirs: 'ok' },
      kb_editor: { ours: 403, theirs: 403 },
      kb_reviewer: { ours: 403, theirs: 403 },
      expert: { ours: 404, theirs: 404 }, // 生产设备部: neither demand is its unit's
      handler: { ours: 'ok', theirs: 404 }, // 城关供电所
      'handler.ql': { ours: 'ok', theirs: 404 }, // 麒麟区供电局, above 城关
      'handler.ql-nn': { ours: 404, theirs: 404 }, // a sibling station
      'handler.zy-xp': { ours: 404, theirs: 'ok' },
    };

    const status = (code: number): Outcome => (code >= 200 && code < 300 ? 'ok' : (code as Outcome));

    test('reading by id, by list and by search is bounded by unit', async () => {
      for (const [username, expected] of Object.entries(readers)) {
        const client = await t.login(username);
        assert.equal(status((await client.get(`/api/demands/${ours.id}`)).statusCode), expected.ours, `${username} reads ours`);
        assert.equal(status((await client.get(`/api/demands/${theirs.id}`)).statusCode), expected.theirs, `${username} reads theirs`);
        const list = await client.get('/api/demands?pageSize=200');
        if (expected.ours === 403) {
          assert.equal(list.statusCode, 403, `${username} lists`);
          continue;
        }
        const ids = list.json().items.map((d: { id: number }) => d.id);
        assert.equal(ids.includes(ours.id), expected.ours === 'ok', `${username} lists ours`);
        assert.equal(ids.includes(theirs.id), expected.theirs === 'ok', `${username} lists theirs`);
        const stations = { ours: await unitId(t.database, 'YL-QL-CG'), theirs: await unitId(t.database, 'YL-ZY-XP') };
        for (const query of [`phone=${theirs.phone}`, `accountNo=${theirs.account}`, `q=${encodeURIComponent('测试')}`, `unitId=${stations.theirs}`]) {
          const found = (await client.get(`/api/demands?${query}`)).json().items.map((d: { id: number }) => d.id);
          assert.equal(found.includes(theirs.id), expected.theirs === 'ok', `${username} searches ${query}`);
        }
        const byOurStation = (await client.get(`/api/demands?unitId=${stations.ours}`)).json().items.map((d: { id: number }) => d.id);
        assert.equal(byOurStation.includes(ours.id), expected.ours === 'ok', `${username} filters by 城关's id`);
      }
    });

    test('only the centre registers, dispatches, calls back', async () => {
      const body = { channel: 'phone', type: 'consultation', category: 'supply_service', customer: { phone: '13800000001' }, content: '咨询' };
      for (const username of Object.keys(readers)) {
        const client = await t.login(username);
        const mayCreate = username === 'agent' || username === 'team_lead';
        assert.equal(status((await client.post('/api/demands', body)).statusCode), mayCreate ? 'ok' : 403, `${username} registers`);
        const dispatch = await client.post(`/api/demands/${theirs.id}/work-orders`, { unitId: 2, instructions: 'x' });
        assert.equal(dispatch.statusCode === 403, !mayCreate, `${username} dispatches: ${dispatch.statusCode}`);
        const callback = await client.post(`/api/demands/${theirs.id}/callbacks`, { outcome: 'satisfied' });
        assert.equal(callback.statusCode === 403, !mayCreate, `${username} calls back: ${callback.statusCode}`);
      }
    });

    test('work orders are handled only by the units they were sent to (and the units above)', async () => {
      const expectations: Record<string, { ours: Outcome; theirs: Outcome }> = {
        agent: { ours: 403, theirs: 403 },
        team_lead: { ours: 403, theirs: 403 },
        expert: { ours: 403, theirs: 403 },
        analyst: { ours: 403, theirs: 403 },
        'handler.ql-nn': { ours: 404, theirs: 404 },
        'handler.zy-xp': { ours: 404, theirs: 'ok' },
        handler: { ours: 'ok', theirs: 404 },
      };
      for (const [username, expected] of Object.entries(expectations)) {
        const client = await t.login(username);
        assert.equal(status((await client.post(`/api/work-orders/${ours.order}/accept`)).statusCode), expected.ours, `${username} accepts ours`);
        assert.equal(status((await client.post(`/api/work-orders/${theirs.order}/accept`)).statusCode), expected.theirs, `${username} accepts theirs`);
      }
      const sibling = await t.login('handler.ql-nn');
      for (const action of ['arrive', 'return']) {
        const res = await sibling.post(`/api/work-orders/${ours.order}/${action}`, action === 'return' ? { reason: 'x' } : undefined);
        assert.equal(res.statusCode, 404, `sibling ${action}`);
      }
      assert.equal((await sibling.post(`/api/work-orders/${ours.order}/handle`, { findings: 'x' })).statusCode, 404);
    });

    test('the work-order queue shows a unit its own orders only, the nearest deadline first', async () => {
      const handler = await t.login('handler');
      const queue = (await handler.get('/api/work-orders')).json().items as { id: number; nextDueAt: string | null; unitName: string }[];
      assert.ok(queue.some((o) => o.id === ours.order));
      assert.ok(!queue.some((o) => o.id === theirs.order));
      const dues = queue.map((o) => o.nextDueAt).filter((d): d is string => d !== null);
      assert.deepEqual(dues, [...dues].sort());
      const sibling = await t.login('handler.ql-nn');
      assert.ok(!(await sibling.get('/api/work-orders')).json().items.some((o: { id: number }) => o.id === ours.order));
    });

    test('the screen pop is bounded too: a station handler finds only its own customers', async () => {
      const handler = await t.login('handler');
      assert.equal((await handler.get(`/api/customers/lookup?phone=${theirs.phone}`)).json().items.length, 0);
      assert.equal((await handler.get(`/api/customers/lookup?phone=${ours.phone}`)).json().items.length, 1);
      assert.equal((await (await t.login('kb_editor')).get(`/api/customers/lookup?phone=${ours.phone}`)).statusCode, 403);
    });
  });
}
