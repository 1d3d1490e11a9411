import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { startTestApp, unitId, type TestApp } from './helpers/app.js';

for (const target of testDatabases()) {
  describe(`calendar, time limits and routing are data (${target.name})`, () => {
    let t: TestApp;
    const now = new Date('2026-11-23T09:00:00+08:00'); // Monday
    before(async () => {
      t = await startTestApp(target, { clock: () => now, customers: 100 });
    });
    after(() => t.close());

    const complaint = {
      channel: 'phone',
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      customer: { phone: '13811112222' },
      content: '营业厅排队时间过长',
    };

    test('the 2026 holidays and 调休 days are loaded, and 2027 is there too', async () => {
      const agent = await t.login('agent');
      const days = (await agent.get('/api/calendar?year=2026')).json() as { date: string; working: boolean }[];
      assert.equal(days.find((d) => d.date === '2026-10-01')?.working, false);
      assert.equal(days.find((d) => d.date === '2026-10-10')?.working, true);
      assert.ok(((await agent.get('/api/calendar?year=2027')).json() as unknown[]).length > 0);
    });

    test('an admin declares a rest day; the next complaint’s deadlines step over it', async () => {
      const admin = await t.login('admin');
      const agent = await t.login('agent');
      const before = (await agent.post('/api/demands', complaint)).json();
      const contactBefore = before.deadlines.find((d: { step: string }) => d.step === 'contact').dueAt;
      assert.equal(contactBefore, new Date('2026-11-25T00:00:00+08:00').toISOString());
      const res = await admin.request({ method: 'PUT', url: '/api/calendar/2026-11-24', payload: { working: false, name: '台风停工' } });
      assert.equal(res.statusCode, 200);
      const afterDemand = (await agent.post('/api/demands', { ...complaint, customer: { phone: '13811113333' } })).json();
      assert.equal(afterDemand.deadlines.find((d: { step: string }) => d.step === 'contact').dueAt, new Date('2026-11-26T00:00:00+08:00').toISOString());
      const trail = (await admin.get('/api/audit?entityType=calendar_day&entityId=2026-11-24')).json();
      assert.equal(trail[0].action, 'calendar.day_set');
      assert.equal((await admin.request({ method: 'DELETE', url: '/api/calendar/2026-11-24' })).statusCode, 200);
    });

    test('an admin shortens a time limit; the next demand gets it', async () => {
      const admin = await t.login('admin');
      const policies = (await admin.get('/api/time-policies')).json() as {
        id: number;
        step: string;
        type: string;
        areaClass: string | null;
        amount: number;
        unit: string;
      }[];
      const urbanArrival = policies.find((p) => p.step === 'arrive' && p.type === 'fault_repair' && p.areaClass === 'urban')!;
      assert.equal(urbanArrival.amount, 45);
      const res = await admin.request({
        method: 'PUT',
        url: `/api/time-policies/${urbanArrival.id}`,
        payload: { step: 'arrive', type: 'fault_repair', areaClass: 'urban', amount: 40, unit: 'minutes' },
      });
      assert.equal(res.statusCode, 200, res.body);
      const agent = await t.login('agent');
      const repair = (
        await agent.post('/api/demands', {
          channel: 'phone',
          type: 'fault_repair',
          category: 'outage_voltage',
          areaClass: 'urban',
          customer: { phone: '13811114444' },
          content: '停电',
        })
      ).json();
      const arrive = repair.deadlines.find((d: { step: string }) => d.step === 'arrive');
      assert.equal(Date.parse(arrive.dueAt) - now.getTime(), 40 * 60_000);
    });

    test('routing a category to another department changes where new demands go', async () => {
      const admin = await t.login('admin');
      assert.equal(
        (await admin.request({ method: 'PUT', url: '/api/category-routes/supply_service', payload: { unitId: await unitId(t.database, 'YL-JHB') } }))
          .statusCode,
        200,
      );
      const agent = await t.login('agent');
      const demand = (await agent.post('/api/demands', { ...complaint, customer: { phone: '13811115555' } })).json();
      assert.equal(demand.unitName, '计划建设部');
    });

    test('only an admin edits them; bad dates, amounts and sub-categories are 400 naming the field', async () => {
      const lead = await t.login('team_lead');
      assert.equal((await lead.request({ method: 'PUT', url: '/api/calendar/2026-12-01', payload: { working: false } })).statusCode, 403);
      assert.equal((await lead.post('/api/time-policies', { step: 'answer', type: 'praise', amount: 1, unit: 'working_days' })).statusCode, 403);
      const admin = await t.login('admin');
      const badDate = await admin.request({ method: 'PUT', url: '/api/calendar/2026-02-30', payload: { working: false } });
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.json().message, /params\.date/);
      const badAmount = await admin.post('/api/time-policies', { step: 'answer', type: 'praise', amount: 0, unit: 'working_days' });
      assert.equal(badAmount.statusCode, 400);
      assert.match(badAmount.json().message, /body\.amount/);
      const wrongClass = await admin.post('/api/time-policies', {
        step: 'answer',
        type: 'business',
        subcategory: 'outage_complaint',
        amount: 3,
        unit: 'working_days',
      });
      assert.equal(wrongClass.statusCode, 400);
      assert.match(wrongClass.json().message, /body\.subcategory/);
    });
  });
}
