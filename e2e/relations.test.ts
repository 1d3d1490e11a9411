import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// Service plans and communication activities in Chromium (issue 17). The
// account manager logs a visit from a visit candidate (the form opened
// prefilled with the customer), and the candidate is gone while the visit is
// in the list; then makes a plan for that customer from the page's
// ?new=1&customerId= link, with an action owned by name, and records it done:
// the plan is done.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = '/tmp/shots-relations';

describe('service plans and activities in Chromium', { skip }, () => {
  let env: BrowserEnv;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 300 });
    // A complaint handled as not solvable yet (it needs investment): its customer is a visit candidate.
    const db = env.t.database.db;
    const station = (await db.selectFrom('units').select('id').where('code', '=', 'YL-QL-CG').executeTakeFirstOrThrow()).id;
    const customers = await db.selectFrom('customers').select(['account_no', 'phone']).where('unit_id', '=', station).orderBy('id').execute();
    const phones = new Map<string, number>();
    for (const c of await db.selectFrom('customers').select('phone').execute()) phones.set(c.phone, (phones.get(c.phone) ?? 0) + 1);
    const called = new Set((await db.selectFrom('demands').select('phone').execute()).map((d) => d.phone));
    const c = customers.find((x) => phones.get(x.phone) === 1 && !called.has(x.phone))!;
    const agent = await env.t.login('agent');
    const handler = await env.t.login('handler');
    const demand = await agent.post('/api/demands', {
      channel: 'phone',
      type: 'complaint',
      category: 'outage_voltage',
      subcategory: 'quality_complaint',
      customer: { accountNo: c.account_no, phone: c.phone },
      content: '电压长期偏低，空调无法启动',
    });
    assert.equal(demand.statusCode, 201, demand.body);
    const order = await agent.post(`/api/demands/${demand.json().id}/work-orders`, { unitId: station, instructions: '请现场核实' });
    assert.equal(order.statusCode, 201, order.body);
    assert.equal((await handler.post(`/api/work-orders/${order.json().id}/accept`)).statusCode, 200);
    const handled = await handler.post(`/api/work-orders/${order.json().id}/handle`, {
      findings: '台区供电半径过长，需新增配变',
      resolved: false,
      unresolvedReason: 'investment',
    });
    assert.equal(handled.statusCode, 200, handled.body);
  });
  after(() => env?.close());

  test('a visit logged from a candidate, then a plan for the customer made and done', async () => {
    const page = await desk(env, 'account_manager');
    await page.goto(`${env.baseUrl}/customers/activities`);
    const rows = page.getByTestId('visit-candidates').getByTestId('candidate-row');
    await rows
      .first()
      .waitFor()
      .catch(async (err: unknown) => {
        await page.screenshot({ path: `${SCREENS}/failed.png`, fullPage: true });
        throw err;
      });
    const first = rows.first();
    const customerText = (await first.locator('td').first().innerText()).trim();
    const accountNo = /（(\d+)）/.exec(customerText)?.[1];
    assert.ok(accountNo, `a candidate names its customer with the 户号: ${customerText}`);
    await first.getByTestId('candidate-log').click();
    const form = page.getByTestId('activity-form');
    await form.waitFor();
    await page.getByTestId('activity-customers').filter({ hasText: accountNo! }).waitFor();
    await page.getByTestId('activity-outcome').fill('当面解释原因，客户表示理解');
    await saveDialog(page);
    await page
      .locator('.ant-modal:visible')
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.getByTestId('activity-row').first().waitFor();
    await page.getByTestId('candidate-row').filter({ hasText: accountNo! }).waitFor({ state: 'detached' });
    await page.screenshot({ path: `${SCREENS}/activities.png`, fullPage: true });

    const customer = await env.t.database.db.selectFrom('customers').select(['id', 'name']).where('account_no', '=', accountNo!).executeTakeFirstOrThrow();
    await page.goto(`${env.baseUrl}/customers/plans?new=1&customerId=${customer.id}`);
    await page.getByTestId('plan-form').waitFor();
    await page.getByTestId('plan-customer').filter({ hasText: accountNo! }).waitFor();
    await page.getByTestId('plan-title').fill('走访后跟进计划');
    await page.getByTestId('actions-text-0').fill('答复客户整改进度');
    await choose(page, 'actions-owner-0', '黄伟', /黄伟/);
    await saveDialog(page);
    const card = page.getByTestId('plan-card').filter({ hasText: '走访后跟进计划' });
    await card.waitFor();
    await card.getByTestId('plan-action-progress').click();
    await page.getByTestId('progress-note').fill('已电话答复客户');
    await page.getByTestId('progress-done').check();
    await saveDialog(page);
    // Open plans only by default: the done plan leaves the list; shown again with every status.
    await card.waitFor({ state: 'detached' });
    const plan = await env.t.database.db.selectFrom('service_plans').select(['status']).where('title', '=', '走访后跟进计划').executeTakeFirstOrThrow();
    assert.equal(plan.status, 'done');
    await page.screenshot({ path: `${SCREENS}/plans.png`, fullPage: true });
  });
});
