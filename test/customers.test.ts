import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, userId, type Client, type TestApp } from './helpers/app.js';
import { readEvents } from './helpers/sse.js';

// Customers and key accounts through the public endpoints (issue 17): the
// consumption import (all or nothing, each bad row named), the top-100 list
// checked against the imported figures, an account manager assigned and told
// live when their account calls, the customer record with the demand, a call
// from their phone before they were known, the outage that touched them, a
// visit and an application; the desk; 403, 404 and 400.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const at = (local: string) => new Date(`${local}+08:00`);

for (const target of testDatabases()) {
  describe(`customers (${target.name})`, () => {
    let t: TestApp;
    const now = at('2026-12-07T09:00:00');
    let agent: Client;
    let manager: Client;
    let lead: Client;
    let customers: { id: number; account_no: string; phone: string; name: string; district_id: number; feeder_id: number; unit_id: number }[];
    /** Each customer's kWh per month of 2025, as imported. */
    const figures = new Map<number, number[]>();

    const upload = (client: Client, body: string | Buffer, type = 'text/csv', name = 'consumption.csv') =>
      client.request({ method: 'POST', url: `/api/customers/consumption?name=${encodeURIComponent(name)}`, headers: { 'content-type': type }, payload: body });
    const count = async (table: 'consumption' | 'consumption_imports' | 'consumption_years') =>
      Number(
        (
          await t.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 300 });
      agent = await t.login('agent');
      manager = await t.login('account_manager');
      lead = await t.login('team_lead');
      customers = await t.database.db
        .selectFrom('customers')
        .select(['id', 'account_no', 'phone', 'name', 'district_id', 'feeder_id', 'unit_id'])
        .where('important', '=', 0)
        .orderBy('id')
        .execute();
      // A skewed year: a few large accounts, many small ones.
      for (const [i, c] of customers.entries()) {
        const base = i % 17 === 0 ? 50_000 + i * 1000 : 100 + (i % 50) * 10;
        figures.set(
          c.id,
          Array.from({ length: 12 }, (_, m) => base + m * 7 + (i % 3) * 0.5),
        );
      }
    });
    after(() => t.close());

    const csvOf = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
    const goodRows = () => {
      const rows: string[][] = [['户号', '月份', '电量']];
      for (const c of customers) figures.get(c.id)!.forEach((kwh, m) => rows.push([c.account_no, `2025-${String(m + 1).padStart(2, '0')}`, String(kwh)]));
      return rows;
    };

    test('a file with bad rows imports nothing and names each row with its problem; the good file imports every row', async () => {
      const rows = goodRows();
      rows[5] = [rows[5]![0]!, '2025-13', rows[5]![2]!];
      const refused = await upload(manager, csvOf(rows));
      assert.equal(refused.statusCode, 400, refused.body);
      assert.deepEqual(refused.json().rejected, [{ row: 6, problem: 'month "2025-13" is not a month YYYY-MM' }]);
      assert.match(refused.json().message, /row 6/);
      assert.equal(await count('consumption'), 0, 'nothing saved');
      assert.equal(await count('consumption_imports'), 0);

      // Every kind of bad row, each named.
      const worse = goodRows().slice(0, 4);
      worse.push(
        ['9999999999', '2025-01', '5'],
        [customers[0]!.account_no, '2025-01', '7'],
        [customers[1]!.account_no, '2025-02', '-3'],
        [customers[1]!.account_no, '2025-03', 'abc'],
      );
      const named = (await upload(manager, csvOf(worse))).json().rejected as { row: number; problem: string }[];
      assert.deepEqual(
        named.map((r) => r.row),
        [5, 6, 7, 8],
      );
      assert.match(named[0]!.problem, /no customer with 户号 9999999999/);
      assert.match(named[1]!.problem, /already in row 2/);
      assert.match(named[2]!.problem, /negative/);
      assert.match(named[3]!.problem, /not a number/);
      assert.equal(await count('consumption'), 0);

      const good = await upload(manager, csvOf(goodRows()));
      assert.equal(good.statusCode, 200, good.body);
      assert.deepEqual(good.json(), { imported: customers.length * 12, rejected: [] });
      assert.equal(await count('consumption'), customers.length * 12);
      assert.equal(await count('consumption_years'), customers.length);
      assert.equal(await count('consumption_imports'), 1);
      // English headers, in another order, are read too; the agent may not import.
      assert.equal((await upload(agent, csvOf([['month', 'accountNo', 'kWh']]))).statusCode, 403);
      assert.equal((await upload(manager, 'x,y\n1,2\n')).json().rejected[0].problem.includes('户号'), true);
    });

    test('the top 100 with each share and the cumulative share match the imported figures', async () => {
      const sums = customers.map((c) => ({ id: c.id, kwh: figures.get(c.id)!.reduce((a, b) => a + b, 0) }));
      const total = sums.reduce((a, s) => a + s.kwh, 0);
      const ranked = [...sums].sort((a, b) => b.kwh - a.kwh || a.id - b.id).slice(0, 100);
      const res = await lead.get('/api/key-accounts');
      assert.equal(res.statusCode, 200, res.body);
      const list = res.json();
      assert.equal(list.year, 2025, 'the latest year with consumption');
      assert.equal(list.top, 100, 'the setting’s default');
      assert.ok(Math.abs(list.totalKwh - total) < 1e-6 * total);
      assert.deepEqual(
        list.items.map((i: { customerId: number }) => i.customerId),
        ranked.map((r) => r.id),
      );
      let cumulative = 0;
      for (const [i, item] of list.items.entries()) {
        cumulative += ranked[i]!.kwh;
        assert.equal(item.rank, i + 1);
        assert.ok(Math.abs(item.annualKwh - ranked[i]!.kwh) < 1e-6);
        assert.ok(Math.abs(item.share - ranked[i]!.kwh / total) < 1e-9);
        assert.ok(Math.abs(item.cumulativeShare - cumulative / total) < 1e-9, `cumulative share of rank ${i + 1}`);
      }
      assert.ok(Math.abs(list.topShare - cumulative / total) < 1e-9);
      // The customers marked as key accounts with their rank; `important` untouched.
      const marked = await t.database.db
        .selectFrom('customers')
        .select(['id', 'key_account_rank', 'important'])
        .where('key_account', '=', 1)
        .orderBy('key_account_rank')
        .execute();
      assert.deepEqual(
        marked.map((m) => m.id),
        ranked.map((r) => r.id),
      );
      assert.ok(marked.every((m) => m.important === 0));
      // top=10, and the workbook.
      assert.equal((await lead.get('/api/key-accounts?top=10')).json().items.length, 10);
      const book = await lead.get('/api/key-accounts/export?top=10');
      assert.equal(book.statusCode, 200);
      assert.equal(book.headers['content-type'], XLSX);
      assert.deepEqual((await lead.get('/api/key-accounts?year=2019')).json().items, []);
    });

    test('a month imported again is replaced and the year’s sum adjusted; an xlsx file imports the same way', async () => {
      const c = customers[1]!;
      const before = figures.get(c.id)!.reduce((a, b) => a + b, 0);
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('电量');
      sheet.addRow(['户号', '月份', '电量']);
      sheet.addRow([c.account_no, '2025-03', 10_000_000]);
      const res = await upload(manager, Buffer.from(await book.xlsx.writeBuffer()), XLSX, '电量.xlsx');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().imported, 1);
      const year = await t.database.db
        .selectFrom('consumption_years')
        .select(['kwh', 'months'])
        .where('customer_id', '=', c.id)
        .where('year', '=', 2025)
        .executeTakeFirstOrThrow();
      assert.ok(Math.abs(year.kwh - (before - figures.get(c.id)![2]! + 10_000_000)) < 1e-6);
      assert.equal(year.months, 12);
      figures.get(c.id)![2] = 10_000_000;
      const list = (await lead.get('/api/key-accounts')).json();
      assert.equal(list.items[0].customerId, c.id, 'now the largest');
      assert.equal(
        (await t.database.db.selectFrom('customers').select('key_account_rank').where('id', '=', c.id).executeTakeFirstOrThrow()).key_account_rank,
        1,
      );
    });

    test('an account manager is assigned, and told live when their account calls or complains', async () => {
      const c = customers[2]!;
      const managerId = await userId(t.database, 'account_manager');
      const agentId = await userId(t.database, 'agent');
      // Only an account manager may own an account, and only customer.manage assigns.
      const wrong = await manager.put(`/api/customers/${c.id}/account-manager`, { userId: agentId });
      assert.equal(wrong.statusCode, 400, wrong.body);
      assert.match(wrong.json().message, /account_manager/);
      assert.equal((await agent.put(`/api/customers/${c.id}/account-manager`, { userId: managerId })).statusCode, 403);
      const res = await manager.put(`/api/customers/${c.id}/account-manager`, { userId: managerId });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().accountManager.name, '黄伟');

      const complaint = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'complaint',
        category: 'supply_service',
        subcategory: 'service_complaint',
        customer: { accountNo: c.account_no, phone: c.phone },
        content: '营业厅工作人员态度差，投诉',
      });
      assert.equal(complaint.statusCode, 201, complaint.body);
      const told = (await manager.get('/api/notifications')).json().filter((n: { kind: string }) => n.kind === 'account_demand');
      assert.equal(told.length, 1);
      assert.equal(told[0].demandId, complaint.json().id);
      assert.match(told[0].title, /投诉/);
      assert.match(told[0].title, new RegExp(complaint.json().number));
      // A repeat joining the case tells them too.
      const again = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'complaint',
        category: 'supply_service',
        subcategory: 'service_complaint',
        customer: { accountNo: c.account_no, phone: c.phone },
        content: '还是没有人处理营业厅态度的问题',
      });
      assert.equal(again.statusCode, 201, again.body);
      const after = (await manager.get('/api/notifications')).json().filter((n: { kind: string }) => n.kind === 'account_demand');
      assert.equal(after.length, 2);
      // Another customer's call tells nobody.
      await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { accountNo: customers[3]!.account_no, phone: customers[3]!.phone },
        content: '咨询电价',
      });
      assert.equal((await manager.get('/api/notifications')).json().filter((n: { kind: string }) => n.kind === 'account_demand').length, 2);

      // The desk: the account and its open demand.
      const desk = (await manager.get('/api/customers/desk')).json();
      assert.equal(desk.counts.accounts, 1);
      assert.equal(desk.accounts[0].customerId, c.id);
      assert.ok(desk.accounts[0].yearKwh > 0);
      assert.deepEqual(
        desk.demands.map((d: { number: string }) => d.number),
        [complaint.json().number],
      );
      assert.equal(desk.accounts[0].openDemands, 1);
    });

    test('the account manager is told over the live stream the moment their account calls', async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const c = customers[2]!;
      const cookie = [...manager.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const live = readEvents(`${base}/api/notifications/stream`, cookie, (events) =>
        events.some((e) => e.data.kind === 'account_demand' && /来电/.test(e.data.title)),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const call = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { accountNo: c.account_no, phone: c.phone },
        content: '咨询电费发票开具',
      });
      assert.equal(call.statusCode, 201, call.body);
      const events = await live;
      // The call joined the customer's open case: the notice names the call and links to the case.
      const told = events.find((e) => e.data.kind === 'account_demand' && String(e.data.title).includes(call.json().number));
      assert.ok(told, `the stream carried the call: ${JSON.stringify(events.map((e) => e.data.kind))}`);
    });

    test('the record: the demand, a call from their phone before they were known, the outage, a visit, an application, contacts', async () => {
      const c = customers[2]!;
      const newPhone = '13912345678';
      // A call from a phone no customer had yet…
      const early = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'consultation',
        category: 'supply_service',
        customer: { phone: newPhone, name: '王先生' },
        content: '咨询新装用电',
      });
      assert.equal(early.statusCode, 201, early.body);
      // …then the customer gives that phone as theirs.
      await t.database.db.updateTable('customers').set({ phone: newPhone }).where('id', '=', c.id).execute();
      const outage = await lead.post('/api/outages', {
        kind: 'fault',
        districtIds: [c.district_id],
        startsAt: now.toISOString(),
        expectedEndAt: new Date(now.getTime() + 4 * 3_600_000).toISOString(),
        cause: '台区变压器故障',
      });
      assert.equal(outage.statusCode, 201, outage.body);
      const managerId = await userId(t.database, 'account_manager');
      const activity = await t.database.db
        .insertInto('activities')
        .values({
          kind: 'visit',
          held_on: '2026-12-05',
          topic: '走访了解用电需求',
          outcome: '客户满意',
          unit_id: c.unit_id,
          created_by: managerId,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.database.db.insertInto('activity_customers').values({ activity_id: activity.id, customer_id: c.id }).execute();
      const application = await t.database.db
        .insertInto('applications')
        .values({
          number: 'YK20261207001',
          customer_id: c.id,
          kind: 'increase',
          capacity_kva: 800,
          voltage: '10kV',
          supply: 'single',
          track: 'hv_single',
          status: 'open',
          stage: 'survey',
          stage_due_at: new Date(now.getTime() - 3_600_000).toISOString(),
          unit_id: c.unit_id,
          account_manager_id: managerId,
          created_by: managerId,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      const contacts = await manager.put(`/api/customers/${c.id}/contacts`, {
        contacts: [
          { name: '张电工', role: 'electrician', phone: '13800001111' },
          { name: '李会计', role: 'finance', phone: '0874-3333333', email: 'li@example.cn', note: '月底对账' },
        ],
      });
      assert.equal(contacts.statusCode, 200, contacts.body);
      assert.equal(contacts.json().items.length, 2);

      const res = await agent.get(`/api/customers/${c.id}`);
      assert.equal(res.statusCode, 200, res.body);
      const record = res.json();
      assert.equal(record.accountNo, c.account_no);
      assert.equal(record.accountManager.name, '黄伟');
      assert.equal(record.accountManagerId, managerId);
      assert.ok(record.network.stationName && record.network.feederName && record.network.districtName);
      assert.equal(record.consumption.months.length, 12);
      assert.equal(record.consumption.years[0].year, 2025);
      assert.deepEqual(
        record.contacts.map((x: { name: string; role: string }) => [x.name, x.role]),
        [
          ['张电工', 'electrician'],
          ['李会计', 'finance'],
        ],
      );
      const byNumber = new Map(record.demands.map((d: { number: string }) => [d.number, d]));
      assert.equal((byNumber.get(early.json().number) as { matchedBy: string }).matchedBy, 'phone', 'the call before they were known, marked');
      assert.ok(record.demands.some((d: { type: string; matchedBy: string }) => d.type === 'complaint' && d.matchedBy === 'customer'));
      assert.deepEqual(
        record.outages.map((o: { id: number; scope: string }) => [o.id, o.scope]),
        [[outage.json().id, 'district']],
      );
      assert.deepEqual(
        record.activities.map((a: { id: number; kind: string }) => [a.id, a.kind]),
        [[activity.id, 'visit']],
      );
      assert.equal(record.applications[0].id, application.id);
      assert.equal(record.applications[0].late, true);
      assert.equal(record.keyAccount, false);

      // Contacts replace the old set; bad ones are named.
      const bad = await manager.put(`/api/customers/${c.id}/contacts`, { contacts: [{ name: '张', role: 'boss', phone: '1380' }] });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /role/);
      assert.equal((await agent.put(`/api/customers/${c.id}/contacts`, { contacts: [] })).statusCode, 403);
    });

    test('a handler sees only their units’ customers; an unknown customer is 404', async () => {
      const handler = await t.login('handler');
      const handlerUnit = (await t.database.db.selectFrom('users').select('unit_id').where('username', '=', 'handler').executeTakeFirstOrThrow()).unit_id;
      const theirs = customers.find((c) => c.unit_id === handlerUnit);
      const other = customers.find((c) => c.unit_id !== handlerUnit)!;
      if (theirs) assert.equal((await handler.get(`/api/customers/${theirs.id}`)).statusCode, 200);
      assert.equal((await handler.get(`/api/customers/${other.id}`)).statusCode, 404);
      assert.equal((await agent.get('/api/customers/999999')).statusCode, 404);
      assert.equal((await agent.get('/api/customers/abc')).statusCode, 400);
      assert.equal((await t.anonymous().get(`/api/customers/${other.id}`)).statusCode, 401);
    });
  });
}
