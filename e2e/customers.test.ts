import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Client } from '../test/helpers/app.js';
import { userId } from '../test/helpers/app.js';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// Customers and key accounts in Chromium (issue 17): the account manager's
// desk with their accounts and an open demand of one; the agent opens the
// customer record from the intake screen by the keyboard (Alt+V), sees the
// customer's history, and the half-typed form keeps what was typed.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = '/tmp/shots-customers';

describe('customers in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let manager: Client;
  let agent: Client;
  let customer: { id: number; account_no: string; phone: string; name: string };
  let demandNumber: string;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 200 });
    const db = env.t.database.db;
    manager = await env.t.login('account_manager');
    agent = await env.t.login('agent');
    const called = new Set((await db.selectFrom('demands').select('phone').execute()).map((d) => d.phone));
    const candidates = await db.selectFrom('customers').select(['id', 'account_no', 'phone', 'name']).where('important', '=', 0).orderBy('id').execute();
    customer = candidates.find((c) => !called.has(c.phone))!;
    // A month of consumption makes the customer a key account; the account manager owns them.
    const csv = `户号,月份,电量\r\n${candidates
      .slice(0, 50)
      .map((c, i) => `${c.account_no},2026-10,${c.id === customer.id ? 90_000 : 100 + i}`)
      .join('\r\n')}\r\n`;
    const imported = await manager.request({
      method: 'POST',
      url: '/api/customers/consumption?name=oct.csv',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    assert.equal(imported.statusCode, 200, imported.body);
    const assigned = await manager.put(`/api/customers/${customer.id}/account-manager`, { userId: await userId(env.t.database, 'account_manager') });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const demand = await agent.post('/api/demands', {
      channel: 'phone',
      type: 'complaint',
      category: 'supply_service',
      subcategory: 'service_complaint',
      customer: { accountNo: customer.account_no, phone: customer.phone },
      content: '抄表员多次未按时抄表，投诉',
    });
    assert.equal(demand.statusCode, 201, demand.body);
    demandNumber = demand.json().number;
  });
  after(() => env?.close());

  test('the account manager’s desk shows their accounts and the open demand of one', async () => {
    const page = await desk(env, 'account_manager');
    await page.goto(`${env.baseUrl}/customers/desk`);
    await page.getByTestId('desk').waitFor();
    const accounts = page.getByTestId('desk-accounts');
    await accounts.getByText(customer.name).waitFor();
    const demands = page.getByTestId('desk-demands');
    await demands.getByText(demandNumber).waitFor();
    assert.equal(await page.getByTestId('desk-count-accounts').locator('.ant-statistic-content-value').innerText(), '1');
    await page.screenshot({ path: `${SCREENS}/desk.png`, fullPage: true });
    await page.context().close();
  });

  test('the agent opens the record from the intake screen with Alt+V, sees the history, and the form keeps what was typed', async () => {
    const page = await desk(env, 'agent');
    await page.goto(`${env.baseUrl}/demands/new`);
    await page.getByTestId('customer-lookup').fill(customer.account_no);
    await page.getByTestId('lookup-result').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('demand-content').fill('客户询问抄表时间');
    await page.keyboard.press('Alt+v');
    const drawer = page.getByTestId('record-drawer');
    const record = drawer.getByTestId('customer-record');
    await record.waitFor();
    assert.equal(await record.getByTestId('record-name').innerText(), customer.name);
    await record.getByTestId('record-demands').getByText(demandNumber).waitFor();
    await record.getByTestId('record-key-account').waitFor();
    await record.getByTestId('record-manager').getByText('黄伟').waitFor();
    await page.screenshot({ path: `${SCREENS}/intake-record.png` });
    // Closed by the keyboard, the intake is as it was left.
    await page.keyboard.press('Escape');
    await record.waitFor({ state: 'hidden' });
    assert.equal(await page.getByTestId('demand-content').inputValue(), '客户询问抄表时间');
    assert.ok(page.url().endsWith('/demands/new'), 'never left the intake');
    await page.context().close();
  });
});
