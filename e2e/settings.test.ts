import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// The settings that are data, changed by an admin in Chromium: a time limit,
// a day of the business calendar, the department a category goes to. Each
// change is checked where it matters: in the database and through the API.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

describe('settings in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let admin: Page;

  before(async () => {
    env = await startBrowserEnv(target, { customers: 300 });
    admin = await desk(env, 'admin');
  });
  after(async () => {
    await admin?.context().close();
    await env?.close();
  });

  test('the urban repair arrival limit goes from 45 to 40 minutes, and a new repair runs on it', async () => {
    await admin.goto(`${env.baseUrl}/admin`);
    await admin.getByTestId('admin-tab-policies').click();
    const row = admin.locator('[data-testid="policy-row"][data-step="arrive"][data-type="fault_repair"][data-area="urban"]');
    assert.equal(await row.getByTestId('policy-limit').innerText(), '45 分钟');
    await row.getByTestId('policy-edit').click();
    const form = admin.getByTestId('policy-form');
    assert.equal(await form.getByTestId('policy-amount').inputValue(), '45');
    await form.getByTestId('policy-amount').fill('40');
    await saveDialog(admin);
    await row.getByTestId('policy-limit').getByText('40 分钟').waitFor();

    const db = env.t.database.db;
    const saved = await db
      .selectFrom('time_policies')
      .selectAll()
      .where('step', '=', 'arrive')
      .where('type', '=', 'fault_repair')
      .where('area_class', '=', 'urban')
      .execute();
    assert.deepEqual(
      saved.map((p) => [p.amount, p.unit, p.category, p.subcategory, p.priority]),
      [[40, 'minutes', null, null, null]],
    );
    const api = await env.t.login('agent');
    const policies = (await api.get('/api/time-policies')).json() as { step: string; type: string | null; areaClass: string | null; amount: number }[];
    assert.equal(policies.find((p) => p.step === 'arrive' && p.type === 'fault_repair' && p.areaClass === 'urban')?.amount, 40);

    // The deadlines read the new limit at once: an ordinary urban customer's crew has 40 minutes.
    const customer = await db
      .selectFrom('customers')
      .select(['account_no', 'phone'])
      .where('area_class', '=', 'urban')
      .where('important', '=', 0)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const created = await api.post('/api/demands', {
      channel: 'phone',
      type: 'fault_repair',
      category: 'outage_voltage',
      customer: { accountNo: customer.account_no, phone: customer.phone },
      content: '停电报修',
    });
    assert.equal(created.statusCode, 201, created.body);
    const arrive = (created.json() as { deadlines: { step: string; startedAt: string; dueAt: string }[] }).deadlines.find((d) => d.step === 'arrive');
    assert.ok(arrive, 'a repair has an arrival deadline');
    assert.equal((Date.parse(arrive.dueAt) - Date.parse(arrive.startedAt)) / 60_000, 40);
  });

  test('a working Wednesday of 2027 becomes a rest day on the calendar, and is unlisted again', async () => {
    // The page opens on the browser's current year, and the demo calendar lists 2026 and 2027: the
    // browser's clock is set to 2026 so that 2027 is another year in the picker's decade, whatever the real date.
    await admin.clock.setFixedTime(new Date('2026-11-23T10:00:00+08:00'));
    await admin.goto(`${env.baseUrl}/admin`);
    await admin.getByTestId('admin-tab-calendar').click();
    await admin.getByTestId('calendar-table').waitFor();

    // The year picker brings 2027's listed days and its January.
    await admin.getByTestId('calendar-year').click();
    await admin.locator('.ant-picker-dropdown:visible .ant-picker-cell').getByText('2027', { exact: true }).click();
    await admin.waitForURL(/year=2027/);
    await admin.locator('[data-testid="calendar-row"][data-date="2027-01-01"][data-working="false"]').waitFor();

    const date = '2027-01-13';
    assert.equal(await admin.locator(`[data-testid="calendar-row"][data-date="${date}"]`).count(), 0);
    await admin.locator(`[data-testid="calendar-cell"][data-date="${date}"]`).click();
    const form = admin.getByTestId('calendar-form');
    await form.getByTestId('calendar-rest-option').click();
    await form.getByTestId('calendar-name').fill('临时停工日');
    await saveDialog(admin);
    const row = admin.locator(`[data-testid="calendar-row"][data-date="${date}"][data-working="false"]`);
    await row.getByText('临时停工日').waitFor();
    await admin
      .locator(`[data-testid="calendar-cell"][data-date="${date}"][data-working="false"]`)
      .getByText(/临时停工日/)
      .waitFor();

    const db = env.t.database.db;
    assert.deepEqual(await db.selectFrom('calendar_days').select(['date', 'working', 'name']).where('date', '=', date).execute(), [
      { date, working: 0, name: '临时停工日' },
    ]);
    const api = await env.t.login('agent');
    const days = (await api.get('/api/calendar?year=2027')).json() as { date: string; working: boolean; name: string | null }[];
    assert.deepEqual(
      days.find((d) => d.date === date),
      { date, working: false, name: '临时停工日' },
    );

    await row.getByTestId('calendar-unlist').click();
    await admin
      .locator('.ant-popover:visible')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await db.selectFrom('calendar_days').select('date').where('date', '=', date).execute()).length, 0);
  });

  test('supply safety is routed to another department', async () => {
    await admin.getByTestId('admin-tab-routes').click();
    const row = admin.locator('[data-testid="route-row"][data-category="supply_safety"]');
    await row.getByTestId('route-unit').waitFor();
    await row.getByTestId('route-change').click();
    await choose(admin, 'route-unit-select', '生产设备', /生产设备部/);
    await saveDialog(admin);
    await row.getByTestId('route-unit').getByText('生产设备部').waitFor();

    const api = await env.t.login('agent');
    const routes = (await api.get('/api/category-routes')).json() as { category: string; unitName: string }[];
    assert.equal(routes.find((r) => r.category === 'supply_safety')?.unitName, '生产设备部');
  });
});
