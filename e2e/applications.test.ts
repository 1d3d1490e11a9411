import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, desk, startBrowserEnv, type BrowserEnv } from './browser.js';

// The green channel in Chromium (issue 17): the account manager opens an
// application's page, completes the stage under way with a note typed and
// submitted from the keyboard (Ctrl+Enter), then the next one; the steps move
// on, the history shows both; the list shows the application at its new stage.

const target = testDatabases()[0]!;
const skip = browserSkipReason();
const SCREENS = '/tmp/shots-applications';

describe('green-channel applications in Chromium', { skip }, () => {
  let env: BrowserEnv;
  let application: { id: number; number: string };

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    env = await startBrowserEnv(target, { customers: 120 });
    const db = env.t.database.db;
    const managerId = (await db.selectFrom('users').select('id').where('username', '=', 'account_manager').executeTakeFirstOrThrow()).id;
    const customer = await db.selectFrom('customers').select('id').orderBy('id').executeTakeFirstOrThrow();
    await db.updateTable('customers').set({ customer_class: 'self_transformer', account_manager_id: managerId }).where('id', '=', customer.id).execute();
    const manager = await env.t.login('account_manager');
    const res = await manager.post('/api/applications', { customerId: customer.id, kind: 'new', capacityKva: 800, voltage: '10kV', supply: 'single' });
    assert.equal(res.statusCode, 201, res.body);
    application = res.json();
  });
  after(() => env?.close());

  test('the account manager advances an application through two stages on its page, and the list shows the new stage', async () => {
    const page = await desk(env, 'account_manager');
    await page.goto(`${env.baseUrl}/customers/applications/${application.id}`);
    const view = page.getByTestId('application-page');
    await view.waitFor();
    assert.equal(await view.getAttribute('data-stage'), 'accept');
    assert.equal(await page.getByTestId('application-number').innerText(), application.number);
    assert.equal(await page.locator('[data-testid="application-step"][data-running="true"]').getAttribute('data-stage'), 'accept');

    for (const [stage, next, note] of [
      ['accept', 'survey', '资料齐全，已受理'],
      ['survey', 'scheme', '现场勘查完成，具备供电条件'],
    ] as const) {
      await page.getByTestId('application-complete').click();
      const field = page.getByTestId('application-complete-note');
      await field.waitFor();
      await page.locator('[data-testid="application-complete-note"]:focus').waitFor();
      await page.keyboard.type(note);
      await page.keyboard.press('Control+Enter');
      await page.locator(`[data-testid="application-page"][data-stage="${next}"]`).waitFor();
      assert.equal(await page.locator('[data-testid="application-step"][data-running="true"]').getAttribute('data-stage'), next, `after ${stage}`);
      await page
        .locator('.ant-modal:visible')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
    }
    const events = page.locator('[data-testid="application-event"][data-kind="stage_completed"]');
    assert.equal(await events.count(), 2);
    assert.match(await page.getByTestId('application-events').innerText(), /现场勘查完成/);
    await page.screenshot({ path: `${SCREENS}/application.png`, fullPage: true });

    // The list: the application at its new stage, its owner unit named.
    await page.getByText('返回绿色通道').click();
    const row = page.locator(`[data-testid="application-row"][data-number="${application.number}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('application-stage').getAttribute('data-stage'), 'scheme');
    assert.match(await row.innerText(), /供电方案答复/);
    assert.match(await row.innerText(), /市场营销部/);
    await page.getByTestId('applications-chart').waitFor();
    await page.screenshot({ path: `${SCREENS}/applications.png`, fullPage: true });
    await page.context().close();
  });
});
