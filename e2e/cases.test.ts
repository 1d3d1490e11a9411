import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { localDateTime } from '../src/shared/time.js';
import { testDatabases } from '../test/helpers/databases.js';
import { unitId } from '../test/helpers/app.js';
import { browserSkipReason, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// 多次诉求 in Chromium: a case, not a call. A caller no customer record knows
// rings twice, and the agent sees the first call before saving the second;
// the second joins the case, is shown on it, and is taken out again from the
// keyboard. A customer without power calls three times: the station's queue
// shows the calls and the urges, the crew's actual arrival and restoration
// times are reported after the fact, and the case's timeline says in words
// who was told.

const target = testDatabases()[0]!;
/** Waits until the element with this test id has the keyboard's focus. */
// A locator, not a string predicate: the page's Content-Security-Policy forbids the eval a string predicate needs.
const focused = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]:focus`).waitFor();
const skip = browserSkipReason();
const SCREENS = '/tmp/suqiu-screens';
const shoot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/case-${name}.png`, fullPage: true });

/** No timeline entry shows its code instead of words. */
async function timelineInWords(page: Page) {
  const titles = await page.getByTestId('demand-timeline').locator('[data-testid="timeline-event"] strong').allInnerTexts();
  assert.ok(titles.length > 0);
  for (const title of titles) assert.doesNotMatch(title, /^[a-z_.]+$/, `a timeline title in words, not ${title}`);
  assert.equal(await page.getByTestId('demand-timeline').getByText('其他处理事项').count(), 0, 'every kind has its own words');
}

// The app's clock can be set back: the repair is dispatched two hours before the crew's report of it.
let offset = 0;
const HOUR = 3_600_000;

describe('cases in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let customer: { account_no: string; name: string; phone: string };
  let station: number;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 300, clock: () => new Date(Date.now() + offset) });
    const db = env.t.database.db;
    station = await unitId(env.t.database, 'YL-QL-CG');
    const candidates = await db
      .selectFrom('customers')
      .select(['account_no', 'name', 'phone'])
      .where('unit_id', '=', station)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    const called = await db.selectFrom('demands').select(['account_no', 'phone']).execute();
    const busy = new Set(called.flatMap((d) => [d.account_no, d.phone]));
    const free = candidates.find((c) => !busy.has(c.account_no) && !busy.has(c.phone) && candidates.filter((o) => o.phone === c.phone).length === 1);
    assert.ok(free, 'a customer of 城关供电所 without demands');
    customer = free;
  });
  after(() => env?.close());

  test('an unregistered caller rings twice: the first call is on screen before the second is saved, which joins it and is unlinked again from the keyboard', async () => {
    // A number no customer record has (the demo's numbers are random).
    const known = new Set((await env.t.database.db.selectFrom('customers').select('phone').execute()).map((c) => c.phone));
    const phone = ['13922220001', '13922220002', '13922220003'].find((p) => !known.has(p))!;
    const api = await env.t.login('agent');
    const firstWords = '小区路灯整晚不亮，晚上出门很不安全';
    const created = await api.post('/api/demands', { channel: 'phone', type: 'opinion', category: 'supply_service', customer: { phone }, content: firstWords });
    assert.equal(created.statusCode, 201, created.body);
    const first = created.json() as { id: number; number: string };

    const agent = await desk(env, 'agent');
    try {
      await agent.goto(`${env.baseUrl}/demands/new`);
      await agent.getByTestId('customer-lookup').fill(phone);
      // No customer record has the number, and still its case is there: number, words, unit, before anything is saved.
      await agent.getByTestId('lookup-none').getByText('该号码未关联客户档案').waitFor();
      const preview = agent.locator('[data-testid="case-preview"][data-state="joins"]');
      await preview.getByTestId('case-preview-title').getByText(`将并入诉求 ${first.number}（客户第 2 次来电）`).waitFor();
      const firstCall = preview.locator(`[data-testid="case-call"][data-ordinal="1"][data-number="${first.number}"]`);
      await firstCall.getByText(firstWords).waitFor();
      await firstCall.getByText(first.number).waitFor();
      await shoot(agent, 'preview-unregistered');

      // Enter takes the number as the caller's; the rest from the keyboard too.
      await agent.keyboard.press('Enter');
      await agent.locator(`[data-testid="demand-phone"][value="${phone}"]`).waitFor();
      await agent.keyboard.type('意见');
      await agent.keyboard.press('Enter');
      await agent.keyboard.type('gdfw');
      await agent.keyboard.press('Enter');
      await agent.getByTestId('demand-category').filter({ hasText: '供电服务' }).waitFor();
      await agent.getByTestId('repeat-warning').getByText(`将并入诉求 ${first.number}（客户第 2 次来电）`).waitFor();
      await focused(agent, 'demand-content');
      await agent.keyboard.type('第二次来电：路灯还是不亮，物业说归供电公司管');
      await agent.keyboard.press('Control+Enter');

      // Saved into the case: the agent is on the case, the new call marked in its list.
      await agent.getByTestId('case-joined').getByText('（客户第 2 次来电）', { exact: false }).waitFor();
      await agent.getByTestId('demand-number').getByText(first.number).waitFor();
      const card = agent.locator('[data-testid="case-card"][data-call-count="2"]');
      await card.locator('[data-testid="case-call"][data-ordinal="1"]').getByText(firstWords).waitFor();
      const second = card.locator('[data-testid="case-call"][data-ordinal="2"]');
      await second.getByText('第二次来电：路灯还是不亮', { exact: false }).waitFor();
      await agent.locator('[data-testid="timeline-event"][data-kind="call.joined"]').getByText('客户第 2 次来电', { exact: false }).waitFor();
      await timelineInWords(agent);
      await shoot(agent, 'joined');
      const secondNumber = (await second.getAttribute('data-number'))!;

      // The call's own page says which case it belongs to, by number, and acts only through it.
      await second.getByTestId('case-call-number').click();
      await agent.getByTestId('joined-banner').getByTestId('demand-case-link').getByText(first.number).waitFor();
      await agent.getByTestId('demand-case').getByText('第 2 次来电', { exact: false }).waitFor();
      assert.equal(await agent.getByTestId('dispatch-open').count(), 0, 'a joined call is dispatched through its case');
      assert.equal(await agent.getByTestId('escalate-open').count(), 0);

      // 解除关联 from the keyboard: the button, the reason (required), Ctrl+Enter.
      await agent.getByTestId('unlink-open').focus();
      await agent.keyboard.press('Enter');
      const form = agent.getByTestId('unlink-form');
      await form.waitFor();
      await focused(agent, 'unlink-reason');
      await agent.keyboard.press('Control+Enter');
      await form.getByText('必填').waitFor();
      await agent.keyboard.type('客户本次反映的是另一处路灯，与原诉求无关');
      await agent.keyboard.press('Control+Enter');
      await agent.getByText(`来电 ${secondNumber} 已解除关联，成为单独的诉求`).waitFor();
      await agent.getByTestId('joined-banner').waitFor({ state: 'detached' });
      await agent.getByTestId('demand-number').getByText(secondNumber).waitFor();
      // A case of its own now: its own clock, counting down.
      await agent.getByTestId('demand-deadlines').getByTestId('deadline-countdown').first().waitFor();
      await agent.locator('[data-testid="timeline-event"][data-kind="case.unlinked"]').getByText('另一处路灯', { exact: false }).waitFor();
      await timelineInWords(agent);
      await agent.getByTestId('dispatch-open').waitFor();
    } finally {
      await agent.context().close();
    }
  });

  test('a customer without power calls three times: the station sees the calls and the urges, reports the actual times, and the case names who was told', async () => {
    offset = -2 * HOUR;
    const api = await env.t.login('agent');
    const call = { channel: 'phone', type: 'fault_repair', category: 'outage_voltage', customer: { accountNo: customer.account_no, phone: customer.phone } };
    const created = await api.post('/api/demands', { ...call, content: '家里停电了，整栋楼都没电' });
    assert.equal(created.statusCode, 201, created.body);
    const first = created.json() as { id: number; number: string; version: number };
    const dispatched = await api.request({
      method: 'POST',
      url: `/api/demands/${first.id}/work-orders`,
      headers: { 'if-match': `"${first.version}"` },
      payload: { unitId: station, instructions: '请立即派抢修人员到现场' },
    });
    assert.equal(dispatched.statusCode, 201, dispatched.body);
    offset = -HOUR;
    assert.equal((await api.post('/api/demands', { ...call, content: '第二次来电：还是没电' })).statusCode, 201);
    offset = 0;
    assert.equal((await api.post('/api/demands', { ...call, content: '第三次来电：老人在家，冰箱里的药要坏了' })).statusCode, 201);

    const handler = await desk(env, 'handler');
    const agent = await desk(env, 'agent');
    try {
      await handler.goto(`${env.baseUrl}/demands/orders`);
      const row = handler.locator(`[data-testid="order-row"][data-number="${first.number}"]`);
      await row.getByTestId('order-call-count').getByText('客户来电 3 次').waitFor();
      await row.getByTestId('urge-count').getByText('催办 2 次').waitFor();
      await row
        .getByTestId('next-due')
        .getByText(/剩余|超时/)
        .waitFor();
      await shoot(handler, 'orders');
      await row.getByTestId('order-accept').click();
      await handler.locator(`[data-testid="order-row"][data-number="${first.number}"][data-status="accepted"]`).waitFor();

      // The crew arrived an hour and a half ago; the report comes now, with that time.
      await row.getByTestId('order-arrive').click();
      const arrive = handler.getByTestId('arrive-form');
      await arrive.waitFor();
      const arrivedAt = new Date(Date.now() - 90 * 60_000);
      // The picker takes the company's time (Beijing), whatever zone the browser keeps.
      const typed = localDateTime(arrivedAt, 'Asia/Shanghai');
      const input = handler.locator('.ant-modal:visible .ant-picker input');
      await input.click();
      await input.press('Control+a');
      await input.pressSequentially(typed);
      assert.equal(await input.inputValue(), typed);
      await shoot(handler, 'arrive');
      // Enter takes the time and saves.
      await input.press('Enter');
      await arrive.waitFor({ state: 'hidden' });
      await handler.locator(`[data-testid="order-row"][data-number="${first.number}"][data-status="arrived"]`).waitFor();
      const task = await env.t.database.db.selectFrom('tasks').select(['id', 'arrived_at']).where('demand_id', '=', first.id).executeTakeFirstOrThrow();
      assert.equal(new Date(task.arrived_at!).toISOString().slice(0, 16), arrivedAt.toISOString().slice(0, 16));

      // Power back: the time defaults to now, and is sent only when changed.
      await row.getByTestId('order-handle').click();
      const handle = handler.getByTestId('handle-form');
      await handle.getByTestId('handle-findings').fill('10kV 城关二回线跌落保险熔断，已更换，恢复送电');
      await handle.getByTestId('handle-power').click();
      await handle.locator('.ant-picker').waitFor();
      await saveDialog(handler);
      await row.waitFor({ state: 'detached' });

      // The case: urges and escalation in words, with the people told by name.
      await agent.goto(`${env.baseUrl}/demands/${first.id}`);
      await agent.getByTestId('task-card').getByTestId('urge-count').getByText('催办 2 次').waitFor();
      await agent.locator('[data-testid="case-card"][data-call-count="3"]').waitFor();
      const urged = agent.locator('[data-testid="timeline-event"][data-kind="urged"]');
      await urged.first().getByText('催办 城关供电所（第 1 次）').waitFor();
      await urged.first().getByText('原因：客户第 2 次来电').waitFor();
      const escalated = agent.locator('[data-testid="timeline-event"][data-kind="escalated"]');
      await escalated.getByText('升级至：班长').waitFor();
      await escalated.getByText('客户第 3 次来电，自动升级').waitFor();
      await escalated.getByText(/^已通知：.+/).waitFor();
      await agent
        .locator('[data-testid="timeline-event"][data-kind="work_order.arrived"]')
        .getByText(/^实际到达：/)
        .waitFor();
      await timelineInWords(agent);
      await shoot(agent, 'three-calls');

      // The list shows the case once, counted.
      await agent.goto(`${env.baseUrl}/demands/list?phone=${customer.phone}`);
      const rows = agent.getByTestId('demands-table').locator('[data-testid="demand-row"]');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.first().getAttribute('data-number'), first.number);
      await rows.first().getByTestId('repeat-badge').getByText('3').waitFor();

      // The same case in English: the new words have their translations.
      await agent.goto(`${env.baseUrl}/demands/${first.id}`);
      await agent.getByTestId('lang-switch').click();
      await agent.getByTestId('task-card').getByText('Urged 2×').waitFor();
      await agent.locator('[data-testid="timeline-event"][data-kind="escalated"]').getByText('The customer’s call 3: escalated automatically').waitFor();
      await agent.getByTestId('lang-switch').click();
    } finally {
      await Promise.all([handler, agent].map((page) => page.context().close()));
    }
  });

  test('the team lead is told of the escalation, in words, on the bell', async () => {
    const lead = await desk(env, 'team_lead');
    try {
      await lead.getByTestId('notification-bell').click();
      const item = lead.locator('[data-testid="notification-item"][data-kind="escalated"]').first();
      await item.getByText('诉求升级', { exact: true }).waitFor();
      await item.getByText(/诉求升级至班长 \d{13}：客户第 3 次来电/).waitFor();
    } finally {
      await lead.context().close();
    }
  });
});
