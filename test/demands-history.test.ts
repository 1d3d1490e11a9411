import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { seedDemands } from '../src/server/modules/demo/demands.js';
import { TOTAL_CAP } from '../src/server/modules/demands/repository.js';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type TestApp } from './helpers/app.js';

// Lists over a history longer than the count cap (the demo generator's
// demands): totals stop at the cap and say so, smaller sets are exact, and a
// search lists the newest registrations first.

for (const target of testDatabases()) {
  describe(`demand lists over a long history (${target.name})`, () => {
    let t: TestApp;
    // The history is two years back from the app's clock, never the real one.
    const now = new Date('2026-11-23T09:27:00+08:00');

    before(async () => {
      t = await startTestApp(target, { customers: 2000, clock: () => now });
      await seedDemands(t.database, { demands: TOTAL_CAP + 500, seed: 95598, now: () => now.toISOString() });
    });
    after(() => t.close());

    test('the whole list says "more than 1,000" instead of counting everything', async () => {
      const agent = await t.login('agent');
      const list = (await agent.get('/api/demands?pageSize=50')).json();
      assert.equal(list.total, TOTAL_CAP);
      assert.equal(list.totalCapped, true);
      assert.equal(list.items.length, 50);
      const created = list.items.map((d: { createdAt: string }) => d.createdAt);
      assert.deepEqual(created, [...created].sort().reverse(), 'newest first');
    });

    test('a station’s list is counted exactly: its demands and those it holds an order of', async () => {
      const station = await unitId(t.database, 'YL-QL-CG');
      const handler = await t.login('handler');
      const list = (await handler.get('/api/demands')).json();
      const { n } = await t.database.db
        .selectFrom('demands')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb.or([eb('unit_id', '=', station), eb('id', 'in', eb.selectFrom('tasks').select('demand_id').where('unit_id', '=', station))]))
        .executeTakeFirstOrThrow();
      assert.ok(Number(n) > 0 && Number(n) < TOTAL_CAP);
      assert.equal(list.total, Number(n));
      assert.equal(list.totalCapped, false);
    });

    test('a search lists what contains the word, newest registration first, with a total that fits the pages', async () => {
      const agent = await t.login('agent');
      const first = (await agent.get(`/api/demands?q=${encodeURIComponent('停电')}&pageSize=100`)).json();
      assert.ok(first.items.length > 0);
      const ids = first.items.map((d: { id: number }) => d.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a: number, b: number) => b - a),
      );
      // A case is found by the words of any of its calls (demands/rules.ts caseSearchText).
      const saying = (db: typeof t.database.db) =>
        db
          .selectFrom('demands as c')
          .select('c.case_id')
          .where(sql<boolean>`c.content LIKE ${'%停电%'}`);
      const listed = await t.database.db.selectFrom('demands').select('id').where('id', 'in', ids).where('id', 'in', saying(t.database.db)).execute();
      assert.equal(listed.length, ids.length, 'each case listed has a call saying 停电');
      const { n } = await t.database.db
        .selectFrom('demands')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('id', 'in', saying(t.database.db))
        .where(sql<boolean>`case_id = id`)
        .executeTakeFirstOrThrow();
      assert.equal(first.total, Math.min(Number(n), TOTAL_CAP), 'every case with a call saying 停电, up to the cap');
      assert.equal(first.totalCapped, Number(n) > TOTAL_CAP);
      const second = (await agent.get(`/api/demands?q=${encodeURIComponent('停电')}&pageSize=100&page=2`)).json();
      if (first.total > 100) assert.ok(second.items[0].id < ids.at(-1), 'the second page goes on where the first stopped');
    });
  });
}
