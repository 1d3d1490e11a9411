import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../src/server/db/database.js';
import { seedDemo } from '../src/server/modules/demo/seed.js';
import { verifyPassword } from '../src/server/platform/passwords.js';
import { testDatabases } from './helpers/databases.js';

async function snapshot(database: Database) {
  const customers = await database.db
    .selectFrom('customers')
    .innerJoin('transformer_districts', 'transformer_districts.id', 'customers.district_id')
    .innerJoin('feeders', 'feeders.id', 'customers.feeder_id')
    .innerJoin('units', 'units.id', 'customers.unit_id')
    .select([
      'account_no',
      'customers.name',
      'phone',
      'address',
      'customer_class',
      'annual_kwh',
      'important',
      'transformer_districts.code as district',
      'feeders.code as feeder',
      'units.code as unit',
    ])
    .orderBy('account_no')
    .execute();
  const users = await database.db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['username', 'users.name', 'units.code'])
    .orderBy('username')
    .execute();
  return { customers, users };
}

for (const target of testDatabases()) {
  describe(`demo data (${target.name})`, () => {
    test('the same seed gives the same city; seeding again adds nothing; more customers top it up', async () => {
      const a = await target.open();
      const b = await target.open();
      try {
        const first = await seedDemo(a.database, { customers: 300, password: 'suqiu-demo' });
        assert.equal(first.customersCreated, 300);
        assert.equal(first.unitsCreated, 38);
        await seedDemo(b.database, { customers: 300, password: 'suqiu-demo' });
        assert.deepEqual(await snapshot(a.database), await snapshot(b.database));

        const again = await seedDemo(a.database, { customers: 300, password: 'suqiu-demo' });
        assert.deepEqual(again, { unitsCreated: 0, usersCreated: 0, customersCreated: 0, customersTotal: 300, articlesCreated: 0 });

        // Topping up in two steps gives the same customers as one step of the same size.
        const more = await seedDemo(a.database, { customers: 450, password: 'suqiu-demo' });
        assert.equal(more.customersCreated, 150);
        await seedDemo(b.database, { customers: 450, password: 'suqiu-demo' });
        assert.deepEqual((await snapshot(a.database)).customers, (await snapshot(b.database)).customers);
      } finally {
        await a.cleanup();
        await b.cleanup();
      }
    });

    test('customers are placed in the network; important customers are named for what they are, not the largest by consumption', async () => {
      const { database, cleanup } = await target.open();
      try {
        await seedDemo(database, { customers: 400, password: 'suqiu-demo' });
        const rows = await database.db
          .selectFrom('customers')
          .select(['important', 'name', 'customer_class', 'annual_kwh', 'unit_id', 'district_id'])
          .execute();
        // 重要电力用户 (hospitals, water works, mines …: their limits are halved) are a third of the large customers;
        // key accounts (核心客户) come from imported consumption (demo/consumption.ts), a separate group.
        const important = rows.filter((r) => r.important === 1);
        assert.ok(important.length > 0);
        assert.ok(important.every((r) => ['high_voltage', 'self_transformer'].includes(r.customer_class)));
        assert.ok(
          important.every((r) => /医院|水厂|污水|煤矿|保健院|燃气|化工|通信|铁路|钢铁|数据中心/.test(r.name)),
          'named as what they are',
        );
        const large = rows.filter((r) => ['high_voltage', 'self_transformer'].includes(r.customer_class));
        assert.ok(important.length < large.length, 'not every large customer is important');
        const stations = await database.db.selectFrom('units').select('id').where('kind', '=', 'station').execute();
        const stationIds = new Set(stations.map((s) => s.id));
        assert.ok(
          rows.every((r) => stationIds.has(r.unit_id)),
          'every customer belongs to a station',
        );
        assert.ok(new Set(rows.map((r) => r.district_id)).size > 50, 'customers spread over the 台区');
      } finally {
        await cleanup();
      }
    });

    test('demo users carry the demo password, each with its own salt', async () => {
      const { database, cleanup } = await target.open();
      try {
        await seedDemo(database, { customers: 0, password: 'another-demo-pw' });
        const users = await database.db.selectFrom('users').select(['username', 'password_hash']).where('username', 'in', ['admin', 'agent']).execute();
        assert.equal(users.length, 2);
        for (const u of users) assert.equal(await verifyPassword('another-demo-pw', u.password_hash), true);
        assert.notEqual(users[0]!.password_hash, users[1]!.password_hash);
      } finally {
        await cleanup();
      }
    });
  });
}
