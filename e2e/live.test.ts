import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testDatabases } from '../test/helpers/databases.js';
import { unitId } from '../test/helpers/app.js';
import { browserSkipReason, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// Live notifications in Chromium: pages that list work change by themselves
// when the server tells the user something happened, without a reload, and the
// header's bell counts what is new.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

interface Customer {
  account_no: string;
  phone: string;
}

/** The bell says its stream is open: from then on, nothing the server sends is missed. */
const live = (page: Page) => page.locator('[data-testid="notification-bell"][data-live="true"]').waitFor();
const unseen = async (page: Page) => Number(await page.getByTestId('notification-bell').getAttribute('data-unseen'));

describe('live notifications in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let customers: Customer[];
  let station: number;

  before(async () => {
    env = await startBrowserEnv(target, { customers: 300 });
    const db = env.t.database.db;
    station = await unitId(env.t.database, 'YL-QL-CG');
    customers = await db.selectFrom('customers').select(['account_no', 'phone']).where('unit_id', '=', station).orderBy('id').limit(2).execute();
    assert.equal(customers.length, 2, 'the demo city has customers at 城关供电所');
  });
  after(() => env?.close());

  test('a repair dispatched to the station appears on the open orders page, with a toast and on the bell', async () => {
    const customer = customers[0]!;
    const handler = await desk(env, 'handler');
    try {
      await handler.getByTestId('orders-table').waitFor();
      assert.match(handler.url(), /\/demands\/orders$/);
      await live(handler);
      const before = await unseen(handler);

      // The agent, at another desk, registers the call and sends the order to the station.
      const agent = await env.t.login('agent');
      const created = await agent.post('/api/demands', {
        channel: 'phone',
        type: 'fault_repair',
        category: 'outage_voltage',
        customer: { accountNo: customer.account_no, phone: customer.phone },
        content: '整栋楼停电，请尽快抢修',
      });
      assert.equal(created.statusCode, 201, created.body);
      const demand = created.json() as { id: number; number: string; version: number };
      const dispatched = await agent.request({
        method: 'POST',
        url: `/api/demands/${demand.id}/work-orders`,
        headers: { 'if-match': `"${demand.version}"` },
        payload: { unitId: station, instructions: '请立即派抢修人员到现场' },
      });
      assert.equal(dispatched.statusCode, 201, dispatched.body);

      // Without a reload: the row, its next step and deadline, the toast, and the bell's count.
      const row = handler.locator(`[data-testid="order-row"][data-number="${demand.number}"]`);
      await row.waitFor({ timeout: 10_000 });
      assert.equal(await row.getAttribute('data-status'), 'dispatched');
      await row.getByTestId('next-due').getByText('到达现场').waitFor();
      await row.getByTestId('order-accept').waitFor();
      await handler.getByTestId('notification-toast').filter({ hasText: demand.number }).waitFor();
      await handler.locator(`[data-testid="notification-bell"][data-unseen="${before + 1}"]`).waitFor();
      assert.equal(await handler.getByTestId('notification-bell').locator('.ant-badge-count').getAttribute('title'), String(before + 1));

      // The bell lists it as a new work order and leads to the demand; looking clears the count.
      await handler.getByTestId('notification-bell').click();
      const item = handler.getByTestId('notification-list').locator(`[data-testid="notification-item"][data-demand-id="${demand.id}"]`);
      await item.getByText('新工单').first().waitFor();
      await handler.locator('[data-testid="notification-bell"][data-unseen="0"]').waitFor();
      await item.click();
      await handler.waitForURL(new RegExp(`/demands/${demand.id}$`));
      await handler.getByTestId('demand-number').getByText(demand.number).waitFor();
    } finally {
      await handler.context().close();
    }
  });

  test('a case that climbs to the team lead at its third call reaches the supervision page by itself, once', async () => {
    const customer = customers[1]!;
    const lead = await desk(env, 'team_lead');
    try {
      await lead.goto(`${env.baseUrl}/demands/escalations`);
      await lead.getByTestId('escalations-table').waitFor();
      await live(lead);

      // Calls join the customer's open case; the 3rd raises it to the team lead (the ladder's default).
      const agent = await env.t.login('agent');
      const call = { channel: 'phone', type: 'fault_repair', category: 'outage_voltage', customer: { accountNo: customer.account_no, phone: customer.phone } };
      const first = await agent.post('/api/demands', { ...call, content: '家里没电了' });
      assert.equal(first.statusCode, 201, first.body);
      const kase = first.json() as { id: number; number: string };
      for (const content of ['第二次来电，还是没电', '第三次来电，仍然没电']) {
        const again = await agent.post('/api/demands', { ...call, content });
        assert.equal(again.statusCode, 201, again.body);
        assert.equal((again.json() as { caseId: number }).caseId, kase.id);
      }

      const row = lead.getByTestId('escalations-table').locator(`[data-testid="demand-row"][data-number="${kase.number}"]`);
      await row.waitFor({ timeout: 10_000 });
      await row.getByText('来电 3 次').waitFor();
      await row.getByTestId('escalation-level').getByText('班长').waitFor();
      assert.equal(await lead.getByTestId('escalations-table').locator('[data-testid="demand-row"]').count(), 1, 'one row for the case, not one a call');
      await lead.getByTestId('notification-toast').filter({ hasText: kase.number }).first().waitFor();
    } finally {
      await lead.context().close();
    }
  });
});
