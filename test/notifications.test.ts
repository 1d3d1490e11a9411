import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type TestApp } from './helpers/app.js';
import { readEvents } from './helpers/sse.js';

for (const target of testDatabases()) {
  describe(`live notifications (${target.name})`, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await startTestApp(target, { customers: 300 });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    test('a station handler sees a new order live; a sibling station does not; a reconnect replays what was missed', async () => {
      const handler = await t.login('handler');
      const sibling = await t.login('handler.ql-nn');
      const cookie = (c: typeof handler) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const agent = await t.login('agent');
      const station = await unitId(t.database, 'YL-QL-CG');
      const c = await t.database.db.selectFrom('customers').select(['account_no', 'phone']).where('unit_id', '=', station).executeTakeFirstOrThrow();

      const mine = readEvents(`${base}/api/notifications/stream`, cookie(handler), (e) => e.some((x) => x.data.kind === 'work_order'));
      const theirs = readEvents(`${base}/api/notifications/stream`, cookie(sibling), () => false, 3500);
      await new Promise((r) => setTimeout(r, 300));
      const demand = (
        await agent.post('/api/demands', {
          channel: 'phone',
          type: 'fault_repair',
          category: 'outage_voltage',
          customer: { accountNo: c.account_no, phone: c.phone },
          content: '停电',
        })
      ).json();
      await agent.post(`/api/demands/${demand.id}/work-orders`, { unitId: station, instructions: '抢修' });

      const received = await mine;
      const order = received.find((e) => e.data.kind === 'work_order');
      assert.ok(order, 'the handler got the order live');
      assert.equal(order.data.demandId, demand.id);
      assert.match(order.data.title, new RegExp(demand.number));
      assert.equal((await theirs).filter((e) => e.data.demandId === demand.id).length, 0, 'the sibling station got nothing');

      const listed = (await handler.get('/api/notifications')).json() as { id: number; kind: string }[];
      assert.ok(
        listed.some((n) => String(n.id) === order.id),
        'the latest notifications list holds it',
      );
      assert.equal((await sibling.get('/api/notifications')).json().filter((n: { demandId: number }) => n.demandId === demand.id).length, 0);

      const replay = await readEvents(`${base}/api/notifications/stream`, cookie(handler), (e) => e.length > 0, 3000, String(Number(order.id) - 1));
      assert.equal(replay[0]?.id, order.id);
    });
  });
}
