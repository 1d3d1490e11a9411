import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, login, startBrowserEnv, type BrowserEnv } from './browser.js';

// The story in Chromium: an agent registers a repair from the screen
// pop and dispatches it to the customer's station; the station's handler
// accepts, arrives and hands back; the agent's callback finds the customer
// unsatisfied; the team lead finds the case among the escalations, with its
// timeline. Then the guards around it: the repeat warning before saving, the
// 409 of a stale page, and a consultation answered on the call.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

interface Customer {
  account_no: string;
  name: string;
  phone: string;
}

const save = (page: Page) =>
  page
    .locator('.ant-modal:visible')
    .getByRole('button', { name: /保\s*存/ })
    .click();
const status = (page: Page, code: string) => page.locator(`[data-testid="demand-status"][data-status="${code}"]`).waitFor();

describe('demands in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let customers: Customer[];
  let handlerName: string;
  let agentName: string;

  before(async () => {
    // Enough customers that the station has several of them.
    env = await startBrowserEnv(target, { customers: 300 });
    const db = env.t.database.db;
    customers = await db
      .selectFrom('customers')
      .innerJoin('units', 'units.id', 'customers.unit_id')
      .select(['customers.account_no', 'customers.name', 'customers.phone'])
      .where('units.code', '=', 'YL-QL-CG')
      .orderBy('customers.id')
      .limit(3)
      .execute();
    assert.ok(customers.length >= 3, 'the demo city has customers at 城关供电所');
    const users = await db.selectFrom('users').select(['username', 'name']).where('username', 'in', ['handler', 'agent']).execute();
    handlerName = users.find((u) => u.username === 'handler')!.name;
    agentName = users.find((u) => u.username === 'agent')!.name;
  });
  after(() => env?.close());

  /** A signed-in page of its own (its own cookies), as each person works at their own desk. */
  async function desk(username: string): Promise<Page> {
    const context = await env.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await login(page, env.baseUrl, username);
    return page;
  }

  test('a repair goes from the screen pop to the station and back, and the unsatisfied customer reaches the team lead', async () => {
    const customer = customers[0]!;
    const agent = await desk('agent');
    const handler = await desk('handler');
    const lead = await desk('team_lead');
    try {
      // The agent finds the caller by phone and sees where the customer is on the network.
      await agent.getByTestId('demands-tab-new').click();
      await agent.getByTestId('customer-lookup').fill(customer.phone);
      const result = agent.locator(`[data-testid="lookup-result"][data-account="${customer.account_no}"]`);
      await result.getByText(customer.name, { exact: true }).waitFor();
      await result.getByText(/城关供电所/).waitFor();
      await result.click();
      await agent.getByTestId('intake-customer').getByText(customer.account_no).waitFor();

      await choose(agent, 'demand-channel', '', '95598电话');
      await choose(agent, 'demand-type', '', '故障报修');
      await choose(agent, 'demand-category', '', '停电与电压质量');
      await agent.getByTestId('demand-content').fill('家中突然停电，邻居家有电，请尽快派人抢修。');
      await agent.getByTestId('demand-submit').click();

      await status(agent, 'open');
      const number = (await agent.getByTestId('demand-number').innerText()).trim();
      assert.match(number, /^\d{13}$/);
      assert.equal(await agent.getByTestId('demand-status').innerText(), '待处理');
      await agent.getByTestId('demand-unit').getByText('城关供电所').waitFor();

      // Dispatched to the station.
      await agent.getByTestId('dispatch-open').click();
      const dispatch = agent.getByTestId('dispatch-form');
      await choose(agent, 'dispatch-unit', '城关', /城关供电所/);
      await dispatch.getByTestId('dispatch-instructions').fill('客户报停电，请立即派抢修人员到现场。');
      await save(agent);
      await status(agent, 'dispatched');
      await agent.getByTestId('demand-timeline').getByText('派发工单').waitFor();

      // The station's handler opens the area on the unit's orders, and works this one through.
      await handler.getByTestId('orders-table').waitFor();
      assert.match(handler.url(), /\/demands\/orders$/);
      // The handler's page was open before the order went out: a refresh brings it in.
      await handler.getByTestId('orders-refresh').click();
      const row = handler.locator(`[data-testid="order-row"][data-number="${number}"]`);
      await row.getByTestId('order-accept').click();
      await handler.locator(`[data-testid="order-row"][data-number="${number}"][data-status="accepted"]`).waitFor();
      // On site now: the dialog's time defaults to now.
      await row.getByTestId('order-arrive').click();
      await handler.getByTestId('arrive-form').waitFor();
      await save(handler);
      await handler.locator(`[data-testid="order-row"][data-number="${number}"][data-status="arrived"]`).waitFor();
      await row.getByTestId('order-handle').click();
      const handle = handler.getByTestId('handle-form');
      await handle.getByTestId('handle-findings').fill('线路运行正常，客户内部开关跳闸，属客户侧故障，已告知可提供有偿服务。');
      assert.equal(await handle.getByTestId('handle-power').getAttribute('aria-checked'), 'false');
      await handle.getByTestId('handle-customer-side').click();
      await handle.getByTestId('handle-paid-offered').click();
      await handle.getByTestId('handle-accepted').waitFor();
      await save(handler);
      await row.waitFor({ state: 'detached' });

      // Back at the centre the demand waits for its callback, with the station's report.
      await agent.getByTestId('demand-refresh').click();
      await status(agent, 'awaiting_callback');
      const task = agent.getByTestId('task-card');
      await task.getByText('已处理').waitFor();
      await task.getByText('客户侧故障：是').waitFor();
      await task.getByText('已恢复送电：否').waitFor();

      await agent.getByTestId('callback-open').click();
      const callback = agent.getByTestId('callback-form');
      await callback.getByTestId('callback-outcome').getByText('不满意').click();
      assert.equal(await callback.getByTestId('callback-power').getAttribute('aria-checked'), 'false');
      await callback.getByTestId('callback-note').fill('还是没电，供电所说不是他们的问题，客户很不满意。');
      await save(agent);
      await status(agent, 'open');
      await agent.getByTestId('escalation-level').getByText(/班长/).waitFor();

      // The team lead finds it among the escalated demands and reads the whole story.
      await lead.getByTestId('demands-tab-escalations').click();
      const escalated = lead.getByTestId('escalations-table').locator(`[data-testid="demand-row"][data-number="${number}"]`);
      await escalated.getByText('班长').waitFor();
      await escalated.getByTestId('timeline-open').click();
      const timeline = lead.getByTestId('timeline-drawer').getByTestId('demand-timeline');
      const event = (kind: string) => timeline.locator(`[data-testid="timeline-event"][data-kind="${kind}"]`);
      await event('work_order.accepted').getByText(handlerName).waitFor();
      await event('work_order.arrived').getByText('到达现场').waitFor();
      await event('work_order.arrived').getByText(handlerName).waitFor();
      await event('work_order.handled').getByText('客户内部开关跳闸', { exact: false }).waitFor();
      await event('work_order.handled').getByText('客户侧故障：是').waitFor();
      await event('callback.reopened').getByText(agentName).waitFor();
      await event('callback.reopened').getByText('回访结果：不满意').waitFor();
      await event('callback.reopened').getByText('供电所说不是他们的问题', { exact: false }).waitFor();
      const kinds = await timeline.locator('[data-testid="timeline-event"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      const order = ['registered', 'work_order.dispatched', 'work_order.accepted', 'work_order.arrived', 'work_order.handled', 'callback.reopened'];
      assert.deepEqual(
        kinds.filter((k) => order.includes(k!)),
        order,
      );
    } finally {
      await Promise.all([agent, handler, lead].map((page) => page.context().close()));
    }
  });

  test('the screen pop shows the open case before saving, and the new call joins it', async () => {
    const customer = customers[1]!;
    const api = await env.t.login('agent');
    const first = await api.post('/api/demands', {
      channel: 'phone',
      type: 'fault_repair',
      category: 'outage_voltage',
      customer: { accountNo: customer.account_no, phone: customer.phone },
      content: '停电',
    });
    assert.equal(first.statusCode, 201);
    const firstNumber = (first.json() as { number: string }).number;

    const agent = await desk('agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/new?phone=${customer.phone}`);
      const result = agent.locator(`[data-testid="lookup-result"][data-account="${customer.account_no}"]`);
      await result.getByTestId('lookup-open-warning').waitFor();
      await result.getByTestId('lookup-recent').getByText(firstNumber).waitFor();
      await result.click();
      await choose(agent, 'demand-type', '', '故障报修');
      await agent.getByTestId('repeat-warning').getByText(`将并入诉求 ${firstNumber}（客户第 2 次来电）`).waitFor();
      await agent.getByTestId('demand-content').fill('第二次来电：还是没有电。');
      await agent.getByTestId('demand-submit').click();
      // Saved into the case: the agent is shown the case, with the new call in it.
      await agent.getByTestId('case-joined').getByText('客户第 2 次来电', { exact: false }).waitFor();
      await agent.getByTestId('demand-number').getByText(firstNumber).waitFor();
      const second = agent.locator('[data-testid="case-call"][data-ordinal="2"]');
      await second.getByText('第二次来电：还是没有电。').waitFor();
      // The call's own page names its case by number and leads back to it.
      await second.getByTestId('case-call-number').click();
      await agent.getByTestId('demand-case').getByText('第 2 次来电', { exact: false }).waitFor();
      await agent.getByTestId('demand-case-number').click();
      await agent.getByTestId('demand-number').getByText(firstNumber).waitFor();
    } finally {
      await agent.context().close();
    }
  });

  test('a change made meanwhile by someone else is refused with the server’s message and a reload', async () => {
    const customer = customers[2]!;
    const api = await env.t.login('agent');
    const created = await api.post('/api/demands', {
      channel: 'phone',
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      customer: { accountNo: customer.account_no, phone: customer.phone },
      content: '营业厅工作人员态度差',
    });
    assert.equal(created.statusCode, 201);
    const id = (created.json() as { id: number }).id;

    const agent = await desk('agent');
    const lead = await desk('team_lead');
    try {
      await agent.goto(`${env.baseUrl}/demands/${id}`);
      await lead.goto(`${env.baseUrl}/demands/${id}`);
      await status(agent, 'open');
      await status(lead, 'open');
      await agent.getByTestId('demand-customer').getByText(customer.name).waitFor();

      // The team lead escalates first …
      await lead.getByTestId('escalate-open').click();
      await lead.getByTestId('escalate-reason').fill('客户情绪激动，班长跟进');
      await save(lead);
      await lead.getByTestId('escalation-level').getByText(/班长/).waitFor();

      // … so the agent's page, still at the old version, is told so instead of overwriting.
      await agent.getByTestId('escalate-open').click();
      await agent.getByTestId('escalate-reason').fill('重复升级');
      await save(agent);
      const conflict = agent.getByTestId('conflict');
      await conflict.getByText(/changed by someone else/).waitFor();
      await agent.getByTestId('escalation-level').getByText(/坐席/).waitFor();
      await conflict.getByTestId('conflict-reload').click();
      await conflict.waitFor({ state: 'detached' });
      await agent.getByTestId('escalation-level').getByText(/班长/).waitFor();
      await agent.getByTestId('demand-timeline').getByText('客户情绪激动，班长跟进').waitFor();
    } finally {
      await Promise.all([agent, lead].map((page) => page.context().close()));
    }
  });

  test('a consultation from an unknown caller is answered on the call and closed', async () => {
    const agent = await desk('agent');
    try {
      await agent.getByTestId('demands-tab-new').click();
      await agent.getByTestId('customer-lookup').fill('13900000001');
      await agent.getByTestId('lookup-use-phone').click();
      assert.equal(await agent.getByTestId('demand-phone').inputValue(), '13900000001');
      await choose(agent, 'demand-type', '', '咨询查询');
      await choose(agent, 'demand-category', '', '供电服务');
      await agent.getByTestId('demand-content').fill('咨询峰谷电价的时段划分');
      await agent.getByTestId('demand-submit').click();
      await status(agent, 'open');
      await agent.getByTestId('answer-text').fill('峰段 8:00-22:00，谷段 22:00-次日 8:00。');
      await agent.getByTestId('answer-submit').click();
      await status(agent, 'closed');
      assert.equal(await agent.getByTestId('demand-status').innerText(), '已办结');
      await agent.getByTestId('demand-timeline').getByText('首问答复办结').waitFor();
      assert.equal(await agent.getByTestId('dispatch-open').count(), 0);
    } finally {
      await agent.context().close();
    }
  });
});
