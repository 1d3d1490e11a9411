import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from '../test/helpers/databases.js';
import { browserSkipReason, choose, login, startBrowserEnv, type BrowserEnv } from './browser.js';

const target = testDatabases()[0]!;
const skip = browserSkipReason();

describe('administration in Chromium', { skip }, () => {
  let env: BrowserEnv;
  before(async () => {
    env = await startBrowserEnv(target);
  });
  after(() => env?.close());

  test('an admin adds a station under a county, then a user in it, who signs in and sees the handler’s navigation', async () => {
    const context = await env.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await login(page, env.baseUrl, 'admin');
      await page.goto(`${env.baseUrl}/admin/units`);
      await page.getByTestId('unit-add-child-YL-QL').click();
      const unitForm = page.getByTestId('unit-form');
      await choose(page, 'unit-kind', '', '供电所');
      await unitForm.getByTestId('unit-code').fill('YL-QL-E2E');
      await unitForm.getByTestId('unit-name').fill('浏览器测试供电所');
      await page
        .locator('.ant-modal:visible')
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await page.getByTestId('units-table').getByText('浏览器测试供电所').waitFor();

      const unit = await env.t.database.db.selectFrom('units').select(['id', 'kind', 'parent_id']).where('code', '=', 'YL-QL-E2E').executeTakeFirstOrThrow();
      const county = await env.t.database.db.selectFrom('units').select('id').where('code', '=', 'YL-QL').executeTakeFirstOrThrow();
      assert.equal(unit.kind, 'station');
      assert.equal(unit.parent_id, county.id);

      await page.goto(`${env.baseUrl}/admin/users`);
      await page.getByTestId('user-create').click();
      const userForm = page.getByTestId('user-form');
      await userForm.getByTestId('user-username').fill('handler.e2e');
      await userForm.getByTestId('user-name').fill('测试处理人');
      await userForm.getByTestId('user-password').fill('browser-pass-1');
      await choose(page, 'user-roles', '', '归口处理人员');
      await choose(page, 'user-unit', '浏览器测试', /浏览器测试供电所/);
      await page
        .locator('.ant-modal:visible')
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
      await page.getByTestId('users-filter-text').locator('input').fill('e2e');
      await page.getByTestId('users-filter-text').locator('input').press('Enter');
      await page.getByTestId('users-table').getByText('handler.e2e').waitFor();

      const other = await env.browser.newContext({ locale: 'zh-CN' });
      const newcomer = await other.newPage();
      await login(newcomer, env.baseUrl, 'handler.e2e', 'browser-pass-1');
      const areas = await newcomer.locator('[data-testid="main-nav"] [data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')));
      assert.deepEqual([...new Set(areas)], ['demands', 'customers', 'outages', 'reports', 'evaluation']);
      await newcomer.getByTestId('current-user').getByText('浏览器测试供电所').waitFor();
      await other.close();

      // The audit page, newest first: the newcomer's login, and before it the admin creating the user.
      await page.goto(`${env.baseUrl}/admin/audit`);
      const rows = page.getByTestId('audit-table').locator('tbody tr.ant-table-row');
      await rows.nth(0).getByText('测试处理人').waitFor();
      await rows.nth(0).getByText('登录', { exact: true }).waitFor();
      await rows.nth(1).getByText('创建用户').waitFor();
      await rows.nth(1).getByText('系统管理员').waitFor();
    } finally {
      await context.close();
    }
  });

  test('the server’s validation message lands on the form field', async () => {
    const context = await env.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await login(page, env.baseUrl, 'admin');
      await page.goto(`${env.baseUrl}/admin/users`);
      await page.getByTestId('user-create').click();
      const userForm = page.getByTestId('user-form');
      await userForm.getByTestId('user-username').fill('Bad Name');
      await userForm.getByTestId('user-name').fill('坏名字');
      await userForm.getByTestId('user-password').fill('browser-pass-1');
      await choose(page, 'user-roles', '', '坐席员');
      await choose(page, 'user-unit', '95598', /95598客户服务中心/);
      await page
        .locator('.ant-modal:visible')
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await userForm
        .locator('.ant-form-item-explain-error')
        .getByText(/lower-case/)
        .waitFor({ timeout: 5000 });
      const count = await env.t.database.db.selectFrom('users').select('id').where('name', '=', '坏名字').execute();
      assert.equal(count.length, 0);
    } finally {
      await context.close();
    }
  });
});
