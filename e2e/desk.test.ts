import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// The agent's desk on a live call, without the mouse: the caller's number,
// Enter for the customer, the type and the category typed into their
// drop-downs (Chinese, or pinyin initials), the caller's words, Ctrl+Enter.
// Nothing here clicks: every step is a key.

const target = testDatabases()[0]!;
/** Waits until the element with this test id has the keyboard's focus. */
// A locator, not a string predicate: the page's Content-Security-Policy forbids the eval a string predicate needs.
const focused = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]:focus`).waitFor();
const skip = browserSkipReason();
const SCREENS = '/tmp/suqiu-screens';

describe('the agent’s desk from the keyboard in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let customer: { account_no: string; name: string; phone: string };
  /** A number no customer record has. */
  let stranger: string;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 300 });
    const db = env.t.database.db;
    // A customer of 城关供电所 with no demand yet: the call opens a case of its own.
    const candidates = await db
      .selectFrom('customers')
      .innerJoin('units', 'units.id', 'customers.unit_id')
      .select(['customers.account_no', 'customers.name', 'customers.phone'])
      .where('units.code', '=', 'YL-QL-CG')
      .orderBy('customers.id', 'desc')
      .limit(50)
      .execute();
    const called = await db.selectFrom('demands').select(['account_no', 'phone']).execute();
    const busy = new Set(called.flatMap((d) => [d.account_no, d.phone]));
    const free = candidates.find((c) => !busy.has(c.account_no) && !busy.has(c.phone) && candidates.filter((o) => o.phone === c.phone).length === 1);
    assert.ok(free, 'a customer of 城关供电所 without demands');
    customer = free;
    const phones = new Set((await db.selectFrom('customers').select('phone').execute()).map((c) => c.phone));
    stranger = ['13900000456', '13900000457', '13900000458', '13900000459'].find((p) => !phones.has(p) && !busy.has(p))!;
    assert.ok(stranger);
  });
  after(() => env?.close());

  test('an agent registers a repair without the mouse and lands on the saved demand', async () => {
    const agent = await desk(env, 'agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/new`);
      const keys = agent.keyboard;
      // The lookup has the focus when the page opens: the caller's number, then Enter picks the customer.
      await agent.getByTestId('customer-lookup').waitFor();
      await focused(agent, 'customer-lookup');
      await keys.type(customer.phone);
      await keys.press('Enter');
      await agent.getByTestId('intake-customer').getByText(customer.account_no).waitFor();
      assert.equal(await agent.getByTestId('demand-phone').inputValue(), customer.phone);
      // Before anything is saved: this caller has no case to join.
      await agent.locator('[data-testid="case-preview"][data-state="none"]').waitFor();

      // The type, typed in Chinese; Enter takes it and the category is next.
      await keys.type('故障');
      await keys.press('Enter');
      await agent.getByTestId('demand-type').filter({ hasText: '故障报修' }).waitFor();
      // The category by its pinyin initials: tdy → 停电与电压质量.
      await keys.type('tdy');
      await agent.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText('停电与电压质量').waitFor();
      await keys.press('Enter');
      await agent.getByTestId('demand-category').filter({ hasText: '停电与电压质量' }).waitFor();
      // A repair's address and place are the customer's by default; the focus goes on to the caller's words.
      assert.notEqual(await agent.getByTestId('demand-fault-address').inputValue(), '');
      await focused(agent, 'demand-content');
      await keys.type('家里突然停电，邻居家也没电，请尽快派人抢修。');
      await agent.screenshot({ path: `${SCREENS}/desk-keyboard.png`, fullPage: true });
      await keys.press('Control+Enter');

      // Saved: the demand's page, with the words as typed.
      await agent.waitForURL(/\/demands\/\d+$/);
      await agent.locator('[data-testid="demand-status"][data-status="open"]').waitFor();
      const number = (await agent.getByTestId('demand-number').innerText()).trim();
      assert.match(number, /^\d{13}$/);
      await agent.getByText('家里突然停电，邻居家也没电，请尽快派人抢修。').first().waitFor();
      await agent.getByTestId('demand-unit').getByText('城关供电所').waitFor();
      // Its clocks count down: 剩余 n 分钟.
      await agent
        .getByTestId('demand-deadlines')
        .getByTestId('deadline-countdown')
        .first()
        .getByText(/^剩余 \d+ 分钟$/)
        .waitFor();
      const saved = await env.t.database.db
        .selectFrom('demands')
        .select(['type', 'category', 'account_no'])
        .where('number', '=', number)
        .executeTakeFirstOrThrow();
      assert.deepEqual(saved, { type: 'fault_repair', category: 'outage_voltage', account_no: customer.account_no });
    } finally {
      await agent.context().close();
    }
  });

  test('an unregistered caller’s repair: the address as said, the place searched by name, still from the keyboard', async () => {
    const agent = await desk(env, 'agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/new`);
      await focused(agent, 'customer-lookup');
      const keys = agent.keyboard;
      await keys.type(stranger);
      await keys.press('Enter');
      await agent.locator(`[data-testid="demand-phone"][value="${stranger}"]`).waitFor();
      // As the agent does, Enter once the drop-down shows the match (on a loaded machine the list filters a moment later).
      const shown = (text: string) => agent.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText(text).first().waitFor();
      await keys.type('gzbx');
      await shown('故障报修');
      await keys.press('Enter');
      await agent.getByTestId('demand-type').filter({ hasText: '故障报修' }).waitFor();
      await keys.type('停电');
      await shown('停电与电压质量');
      await keys.press('Enter');
      await agent.getByTestId('demand-category').filter({ hasText: '停电与电压质量' }).waitFor();
      // Nobody's address to start from: the address is next, then the place, searched by a part of its name.
      await focused(agent, 'demand-fault-address');
      await keys.type('城关镇解放路 12 号楼下');
      await keys.press('Tab');
      await keys.type('城关2号线5号');
      const option = agent.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText('城关2号线5号台区');
      await option.waitFor();
      await keys.press('Enter');
      await agent.getByTestId('demand-place').getByText('城关2号线5号台区').waitFor();
      await focused(agent, 'demand-content');
      await keys.type('路边变压器冒烟，整条街停电');
      const sent = agent.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/demands'));
      await keys.press('Control+Enter');
      const body = (await sent).postDataJSON() as { faultAddress?: string; districtId?: number; feederId?: number };
      assert.equal(body.faultAddress, '城关镇解放路 12 号楼下');
      assert.equal(typeof body.districtId, 'number');
      assert.equal(body.feederId, undefined);
      await agent.waitForURL(/\/demands\/\d+$/);
      await agent.locator('[data-testid="demand-status"][data-status="open"]').waitFor();
    } finally {
      await agent.context().close();
    }
  });

  test('Ctrl+Enter with a field missing saves nothing and puts the focus on the field', async () => {
    const agent = await desk(env, 'agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/new`);
      await agent.getByTestId('customer-lookup').waitFor();
      await agent.keyboard.type('13900000123');
      await agent.keyboard.press('Enter');
      await agent.locator('[data-testid="demand-phone"][value="13900000123"]').waitFor();
      await agent.keyboard.type('咨询');
      await agent.keyboard.press('Enter');
      await agent.keyboard.press('Control+Enter');
      await agent.locator('.ant-form-item-explain-error').first().waitFor();
      // The browser's own code: the tests are compiled without the DOM's types.
      await agent.locator('[data-testid="demand-category"] :focus, [data-testid="demand-category"]:focus').first().waitFor();
      const saved = await env.t.database.db.selectFrom('demands').select('id').where('phone', '=', '13900000123').execute();
      assert.equal(saved.length, 0);
    } finally {
      await agent.context().close();
    }
  });
});
