import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, type Client, type TestApp } from './helpers/app.js';

// The company's time zone (SUQIU_TIME_ZONE, Asia/Shanghai by default) names
// every date: the demand number's day, the working days a deadline counts,
// the date in an export's file name. The server's own zone plays no part.

const complaint = (c: { account_no: string; phone: string }) => ({
  channel: 'phone',
  type: 'complaint',
  category: 'supply_service',
  subcategory: 'service_complaint',
  customer: { accountNo: c.account_no, phone: c.phone },
  content: '抄表员态度恶劣',
});

/** The UTF-8 file name of a download (RFC 6266 filename*). */
const fileName = (disposition: unknown) => decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(disposition))?.[1] ?? '');

/** An ordinary customer of the demo city (the hundred largest are important, and their limits halved). */
async function customerOf(t: TestApp) {
  return t.database.db.selectFrom('customers').select(['account_no', 'phone']).where('important', '=', 0).orderBy('id').executeTakeFirstOrThrow();
}

for (const target of testDatabases()) {
  describe(`the company's time zone, Asia/Shanghai by default (${target.name})`, () => {
    let t: TestApp;
    // 07:30 in Beijing on Sunday 6 December; UTC still says the 5th.
    const now = new Date('2026-12-05T23:30:00.000Z');
    let agent: Client;

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 150 });
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('the web is told the zone', async () => {
      assert.equal((await agent.get('/api/me')).json().timeZone, 'Asia/Shanghai');
    });

    test('an export at 07:30 Beijing time is named by today’s date, not yesterday’s', async () => {
      const reviewer = await t.login('kb_reviewer');
      const exported = await reviewer.get('/api/articles/export');
      assert.equal(exported.statusCode, 200);
      assert.equal(fileName(exported.headers['content-disposition']), '知识库-2026-12-06.xlsx');
    });

    test('a demand registered at 07:30 is numbered by the 6th and counts its working days from Monday', async () => {
      const demand = (await agent.post('/api/demands', complaint(await customerOf(t)))).json();
      assert.match(demand.number, /^20261206\d{5}$/);
      const due = Object.fromEntries(demand.deadlines.map((d: { step: string; dueAt: string }) => [d.step, d.dueAt]));
      assert.equal(due.contact, '2026-12-07T16:00:00.000Z', 'the end of Monday 7 December, Beijing time');
    });
  });

  describe(`SUQIU_TIME_ZONE=Europe/Berlin (${target.name})`, () => {
    let t: TestApp;
    // Friday 27 March 2026, 21:00 in Berlin (UTC+1); already Saturday 04:00 in Beijing. Berlin goes to summer time (UTC+2) on Sunday.
    const now = new Date('2026-03-27T20:00:00.000Z');
    let agent: Client;

    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 150, config: { timeZone: 'Europe/Berlin' } });
      agent = await t.login('agent');
    });
    after(() => t.close());

    test('the web is told the zone', async () => {
      assert.equal((await agent.get('/api/me')).json().timeZone, 'Europe/Berlin');
    });

    test('the demand number carries Berlin’s date, and its working days are Berlin’s, ending at Berlin’s midnight in summer time', async () => {
      const demand = (await agent.post('/api/demands', complaint(await customerOf(t)))).json();
      assert.match(demand.number, /^20260327\d{5}$/, 'Friday in Berlin, though Saturday in Beijing');
      const due = Object.fromEntries(demand.deadlines.map((d: { step: string; dueAt: string }) => [d.step, d.dueAt]));
      // Received on Friday: 1 WD is Monday 30 March, 5 WD Friday 3 April; each ends at 24:00 CEST (22:00 UTC).
      assert.equal(due.contact, '2026-03-30T22:00:00.000Z');
      assert.equal(due.answer, '2026-04-03T22:00:00.000Z');
    });

    test('an export’s file name carries Berlin’s date', async () => {
      const reviewer = await t.login('kb_reviewer');
      const exported = await reviewer.get('/api/articles/export');
      assert.equal(fileName(exported.headers['content-disposition']), '知识库-2026-03-27.xlsx');
    });
  });
}
