import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, desk, saveDialog, startBrowserEnv, type BrowserEnv } from './browser.js';

// The expert seat in Chromium: the agent forwards a question from the demand's
// page; the expert sees it arrive on their page without reloading, acknowledges,
// records the call to the customer and reports the answer; the agent follows
// each step on the consultation's page and calls the customer back.

const target = testDatabases()[0]!;
const skip = browserSkipReason();

const live = (page: Page) => page.locator('[data-testid="notification-bell"][data-live="true"]').waitFor();
const cardStatus = (page: Page, status: string) => page.locator(`[data-testid="my-consultation"][data-status="${status}"]`).waitFor({ timeout: 10_000 });

describe('the expert seat in Chromium', { skip }, () => {
  let env: BrowserEnv;

  before(async () => {
    env = await startBrowserEnv(target, { customers: 300 });
  });
  after(() => env?.close());

  test('a question goes from the demand page to the expert’s page and back, each step timed, and the demand closes with the answer', async () => {
    const villager = await env.t.database.db
      .selectFrom('customers')
      .select(['account_no', 'phone', 'name'])
      .where('area_class', '=', 'rural')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const api = await env.t.login('agent');
    const created = await api.post('/api/demands', {
      channel: 'phone',
      type: 'consultation',
      category: 'supply_safety',
      customer: { accountNo: villager.account_no, phone: villager.phone, name: villager.name },
      content: '房屋在110千伏线路下方，能否加盖一层？',
    });
    assert.equal(created.statusCode, 201, created.body);
    const demand = created.json() as { id: number; number: string };

    // The expert 赵国强 (生产设备部) has their page open.
    const expert = await desk(env, 'expert');
    await expert.goto(`${env.baseUrl}/experts`);
    await expert.getByTestId('my-consultations').waitFor();
    assert.match(expert.url(), /\/experts\/mine$/);
    await live(expert);

    // The agent forwards from the demand's page; suqiu proposes the expert by unit and topic.
    const agent = await desk(env, 'agent');
    await agent.goto(`${env.baseUrl}/demands/${demand.id}`);
    await agent.getByTestId('forward-open').click();
    await agent.getByTestId('forward-form').waitFor();
    await choose(agent, 'forward-unit', '生产设备', /生产设备部/);
    await agent.getByTestId('forward-topic').click();
    await agent.keyboard.type('线路保护区');
    await agent.locator('.ant-modal:visible').getByText('由系统按专业方向和在岗情况推荐：赵国强').waitFor();
    await saveDialog(agent);
    const card = agent.getByTestId('demand-consultation');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-status'), 'assigned');
    assert.equal(await card.getByTestId('demand-consultation-expert').textContent(), '赵国强');

    // On the expert's page, without a reload: the question, the customer's phone, and the first step.
    await cardStatus(expert, 'assigned');
    const mine = expert.getByTestId('my-consultation');
    await mine.getByText('房屋在110千伏线路下方，能否加盖一层？').waitFor();
    await mine.getByText(villager.phone).waitFor();
    await mine.getByTestId('consultation-acknowledge').click();
    await cardStatus(expert, 'acknowledged');
    await expert.getByTestId('consultation-contacted').click();
    await cardStatus(expert, 'contacted');
    await expert.getByTestId('consultation-reply').click();
    await expert.getByTestId('reply-answer').fill('线路保护区内不得加盖，确需改建须先书面申请，由供电局核实安全距离。');
    await choose(expert, 'reply-joint', '市场', '市场营销部');
    await saveDialog(expert);
    await cardStatus(expert, 'replied');

    // The agent's card follows by itself; the consultation's page shows every step kept its 5 minutes.
    await agent.locator('[data-testid="demand-consultation"][data-status="replied"]').waitFor({ timeout: 10_000 });
    await card.getByRole('link').click();
    await agent.locator('[data-testid="consultation-page"][data-status="replied"]').waitFor();
    for (const step of ['forward', 'acknowledge', 'contact', 'reply']) {
      assert.equal(await agent.getByTestId(`step-${step}`).locator('[data-verdict]').getAttribute('data-verdict'), 'within', step);
    }
    await agent.getByTestId('consultation-answer').getByText('线路保护区内不得加盖').waitFor();
    await agent.getByText('会同：市场营销部').waitFor();
    const kinds = await agent.getByTestId('consultation-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    assert.deepEqual(kinds, ['forwarded', 'acknowledged', 'contacted', 'replied']);

    // The callback closes the consultation and, the customer having the answer, the demand.
    await agent.getByTestId('consultation-callback').click();
    await agent.getByTestId('consultation-callback-result').fill('已告知村民，村民表示理解');
    await saveDialog(agent);
    await agent.locator('[data-testid="consultation-page"][data-status="closed"]').waitFor();
    assert.equal(await agent.getByTestId('step-callback').locator('[data-verdict]').getAttribute('data-verdict'), 'within');
    await agent.getByRole('link', { name: `诉求 ${demand.number}` }).click();
    await agent.getByTestId('demand-page').waitFor();
    await agent.getByTestId('demand-status').filter({ hasText: '已办结' }).waitFor();
    await expert.context().close();
    await agent.context().close();
  });

  test('an expert on a trip switches himself off; the pool page warns that his county has fewer than two experts available', async () => {
    const expert = await desk(env, 'expert.ql.2');
    await expert.goto(`${env.baseUrl}/experts/mine`);
    await expert.getByTestId('my-availability').waitFor();
    await expert.getByTestId('my-reason').fill('出差');
    await expert.getByTestId('my-available').click();
    await expert.getByTestId('my-availability').getByText('出差').waitFor();

    const admin = await desk(env, 'admin');
    await admin.goto(`${env.baseUrl}/admin/experts`);
    const warning = admin.getByTestId('pool-warnings');
    await warning.getByText(/麒麟区供电局（可用 1 \/ 共 2）/).waitFor();
    const row = admin.locator('[data-testid="expert-row"][data-username="expert.ql.2"]');
    assert.equal(await row.getByTestId('expert-status').getAttribute('data-available'), 'false');
    await row.getByText('出差').waitFor();
    await expert.context().close();
    await admin.context().close();
  });
});
